"""A school's pages at 1 and at 400 organizations (issue 15, item 6).

One school is generated alone and its pages are timed and their SQL read:
the curator's admin lists (persons, pairs, both banks) and home, the
director's `/orders/`, the mentor's `/my/`. Then 399 more organizations are
generated beside it, in districts of 40, and the same pages are asked again
by the same users. The school has not changed, so neither may its pages:

- the query count, exactly;
- the rows PostgreSQL reads for the page (every scan node's rows, kept or
  thrown away by a filter, over all loops, under EXPLAIN ANALYZE): within a
  tenth (and a hundred rows, for pages that read a handful) — a plan that
  hashes a whole table grows with the others, many times the school;
- the time: each page is timed in turn with `/admin/login/` at each size,
  and the page's share of that is compared, 400 against 1, so a machine
  busier in one phase than in the other does not read as a slower page.
  The issue's 10 % is printed as the target; a looser goal is asserted.

The banks' forms filter offers the shared catalogue of forms, read from its
own small table (mentoring/admin/base.py `CatalogueFilter`): finding the
forms the school's entries name joined them to every school's entry–form
links, which PostgreSQL hashed whole while that table was small.

The other 399 schools are smaller than the school measured (as in
bench_region.py: 20 staff, 60 students, 10 pairs each, 32,000 people in all)
so the benchmark runs in minutes; the school is the generator's default
(80 staff, 800 students, 30 pairs).
"""

from __future__ import annotations

import io
import json
import time

from django.core.management import call_command
from django.db import connection
from django.db.models import Count
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mentoring.models import Organization, Participation, Person, Role, User
from tests.perf.timing import interleaved_medians

OTHERS = {"staff": 20, "students": 60, "pairs": 10, "meetings": 6}
# The page at 400 organizations / the same page at 1, each phase's time
# scaled by /admin/login/ timed in turn with it. The aim is 10 %
# (TARGET, printed). Measured on 2026-12-01 in two runs with the machine
# under heavy load (load average 7–10 on two cores): 0.77–1.61× raw, and
# 1.01–1.36× scaled, the highest the curator's home, whose SQL reads fewer
# rows at 400 than at 1 (2,629 against 5,574): its time moves with the
# machine, not the data. The rows read hold the 10 %; the goal leaves the
# noise its room.
GOAL = 1.5
TARGET = 1.1
ROWS_GOAL = 1.1
ROWS_SLACK = 100
RUNS = 11


def _pages(school: Organization) -> dict[str, tuple[User, str]]:
    curator = User.objects.create_user(
        username="scoped-curator", role=Role.CURATOR, organization=school, is_staff=True
    )
    director = User.objects.create_user(
        username="scoped-director", role=Role.DIRECTOR, organization=school
    )
    # The school's busiest mentor logs in to their /my/.
    busiest = (
        Participation.objects.filter(
            role=Participation.Role.MENTOR, pair__organization=school
        )
        .values("person")
        .annotate(pairs=Count("pk"))
        .order_by("-pairs", "person")
        .values_list("person", flat=True)
        .first()
    )
    mentor = User.objects.create_user(username="scoped-mentor", role=Role.PARTICIPANT)
    Person.objects.filter(pk=busiest).update(user=mentor)
    return {
        "admin persons": (curator, reverse("admin:mentoring_person_changelist")),
        "admin pairs": (curator, reverse("admin:mentoring_pair_changelist")),
        "admin mentor bank": (
            curator,
            reverse("admin:mentoring_mentorprofile_changelist"),
        ),
        "admin mentee bank": (
            curator,
            reverse("admin:mentoring_menteeprofile_changelist"),
        ),
        "curator's home": (curator, reverse("mentoring:home")),
        "director's /orders/": (director, reverse("mentoring:orders")),
        "mentor's /my/": (mentor, reverse("surveys:dashboard")),
    }


def _rows_read(node: dict) -> int:
    own = 0
    if "Relation Name" in node:
        kept = node.get("Actual Rows", 0)
        dropped = node.get("Rows Removed by Filter", 0) + node.get(
            "Rows Removed by Index Recheck", 0
        )
        own = (kept + dropped) * node.get("Actual Loops", 1)
    return own + sum(_rows_read(child) for child in node.get("Plans", []))


def _measure(client: Client, url: str) -> tuple[float, float, int, int]:
    """Median seconds of the page and of `/admin/login/` timed in turn, the
    page's query count, the rows its SQL reads."""
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    queries = [q["sql"] for q in captured.captured_queries]
    rows = 0
    with connection.cursor() as cursor:
        for sql in queries:
            # The session's own reads are the same at any size; its renewal
            # (an UPDATE) is not replayed.
            if not sql.startswith("SELECT") or "django_session" in sql:
                continue
            cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + sql)
            plan = cursor.fetchone()[0]
            plan = json.loads(plan) if isinstance(plan, str) else plan
            rows += _rows_read(plan[0]["Plan"])
    visitor = Client()
    page, login = interleaved_medians(
        lambda: client.get(url), lambda: visitor.get(reverse("admin:login")), runs=RUNS
    )
    return page, login, len(queries), rows


def _generate(organizations: int, name: str, **sizes) -> None:
    call_command(
        "generate_district",
        organizations=organizations,
        district_name=name,
        seed=organizations,
        stdout=io.StringIO(),
        **sizes,
    )


def test_a_schools_pages_cost_the_same_at_1_and_400_organizations(
    growing_db, bench_table
):
    _generate(1, "Замер: школа")
    school = Organization.objects.get()
    pages = _pages(school)
    clients = {}
    for user, _url in pages.values():
        if user.pk not in clients:
            clients[user.pk] = Client()
            clients[user.pk].force_login(user)
    alone = {
        name: _measure(clients[user.pk], url) for name, (user, url) in pages.items()
    }

    started = time.perf_counter()
    for district in range(10):
        _generate(
            39 if district == 0 else 40, f"Замер: соседи {district + 1}", **OTHERS
        )
    generated = time.perf_counter() - started
    assert Organization.objects.count() == 400
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    beside = {
        name: _measure(clients[user.pk], url) for name, (user, url) in pages.items()
    }

    print(f"\n399 organizations generated beside the school in {generated:.1f} s")
    print(
        f"{'page':<22} {'ms at 1':>8} {'at 400':>8} {'queries':>9} "
        f"{'rows read at 1':>15} {'at 400':>8}"
    )
    for name in pages:
        (one, _l1, q1, r1), (many, _l400, q400, r400) = alone[name], beside[name]
        print(
            f"{name:<22} {one * 1000:>8.1f} {many * 1000:>8.1f} {q1:>4} {q400:>4} "
            f"{r1:>15} {r400:>8}"
        )

    grew = {
        name: (alone[name][2], beside[name][2])
        for name in pages
        if alone[name][2] != beside[name][2]
    }
    assert not grew, f"query count changed: {grew}"
    read_more = {
        name: (alone[name][3], beside[name][3])
        for name in pages
        if beside[name][3] > alone[name][3] * ROWS_GOAL + ROWS_SLACK
    }
    # The floor: the page at 1 organization, scaled by how much slower or
    # faster /admin/login/ ran at 400 than at 1 (the machine, not the page).
    ratios = {
        name: bench_table.record(
            f"{name}, 400 organizations / 1 (÷ /admin/login/ of each)",
            ours=beside[name][0],
            floor=alone[name][0] * beside[name][1] / alone[name][1],
            goal=GOAL,
            target=TARGET,
        )
        for name in pages
    }
    assert not read_more, f"rows read grow with the other schools: {read_more}"
    slower = {name: f"{r:.2f}×" for name, r in ratios.items() if r > GOAL}
    assert not slower, f"pages slower beside 399 schools: {slower}"
