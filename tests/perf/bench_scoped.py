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
- the time: the database of the one school is copied (`CREATE DATABASE …
  TEMPLATE`) before the others are generated, and at the end each page is
  asked of the copy and of the grown database in turn, run after run, by
  the same client through two open connections: both sizes are timed in
  the same seconds, so the machine's load hits them alike (timed in two
  phases minutes apart, scaled by `/admin/login/`, the ratio moved
  0.58–1.32× with the machine while the plans stayed the same).

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

import contextlib
import io
import json
import time

from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.db.models import Count
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mentoring.models import Organization, Participation, Person, Role, User

OTHERS = {"staff": 20, "students": 60, "pairs": 10, "meetings": 6}
# The page at 400 organizations / the same page at 1, timed in turn: issue
# 15's aim, a tenth either way.
GOAL = 1.1
ROWS_GOAL = 1.1
ROWS_SLACK = 100
RUNS = 31


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


def _plan(client: Client, url: str) -> tuple[int, int]:
    """The page's query count and the rows its SQL reads."""
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
    return len(queries), rows


@contextlib.contextmanager
def _copy_of_the_database():
    """The test database as it is now, copied, with a connection of its own
    open beside the test's; dropped at the end."""
    main = connections[DEFAULT_DB_ALIAS]
    name = main.settings_dict["NAME"]
    copy = f"{name}_one_school"
    # CREATE DATABASE … TEMPLATE wants nobody connected to the template.
    main.close()
    with main._nodb_cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{copy}"')
        cursor.execute(f'CREATE DATABASE "{copy}" TEMPLATE "{name}"')
    wrapper = type(main)({**main.settings_dict, "NAME": copy}, DEFAULT_DB_ALIAS)
    try:
        yield wrapper
    finally:
        connections[DEFAULT_DB_ALIAS] = main
        wrapper.close()
        with main._nodb_cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{copy}"')


def _side_by_side(client: Client, url: str, *databases) -> list[float]:
    """The least seconds of the page asked of each database in turn, run
    after run, the order reversed every other run: the client's requests go
    to whichever connection is Django's default at the time. The least, not
    the median: on a shared machine the other processes only ever add time,
    and the medians of two sizes of the same plan moved a tenth apart from
    one run to the next (persons 1.12× then 1.07×, pairs 0.93× then 1.12×)."""

    def asked_of(database):
        def page():
            connections[DEFAULT_DB_ALIAS] = database
            assert client.get(url).status_code == 200

        return page

    pages = [asked_of(database) for database in databases]
    least = [float("inf")] * len(pages)
    for page in pages:
        page()
    for run in range(RUNS):
        order = range(len(pages)) if run % 2 == 0 else reversed(range(len(pages)))
        for index in order:
            started = time.perf_counter()
            pages[index]()
            least[index] = min(least[index], time.perf_counter() - started)
    return least


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
    # Planned on the one school's own statistics, as the grown one is below.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    alone = {name: _plan(clients[user.pk], url) for name, (user, url) in pages.items()}

    with _copy_of_the_database() as one_school:
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
            name: _plan(clients[user.pk], url) for name, (user, url) in pages.items()
        }
        grown = connections[DEFAULT_DB_ALIAS]
        # The copy is still the one school alone.
        connections[DEFAULT_DB_ALIAS] = one_school
        assert Organization.objects.count() == 1
        times = {
            name: _side_by_side(clients[user.pk], url, one_school, grown)
            for name, (user, url) in pages.items()
        }

    print(f"\n399 organizations generated beside the school in {generated:.1f} s")
    print(
        f"{'page':<22} {'ms at 1':>8} {'at 400':>8} {'queries':>9} "
        f"{'rows read at 1':>15} {'at 400':>8}"
    )
    for name in pages:
        (one, many), (q1, r1), (q400, r400) = times[name], alone[name], beside[name]
        print(
            f"{name:<22} {one * 1000:>8.1f} {many * 1000:>8.1f} {q1:>4} {q400:>4} "
            f"{r1:>15} {r400:>8}"
        )

    grew = {
        name: (alone[name][0], beside[name][0])
        for name in pages
        if alone[name][0] != beside[name][0]
    }
    assert not grew, f"query count changed: {grew}"
    read_more = {
        name: (alone[name][1], beside[name][1])
        for name in pages
        if beside[name][1] > alone[name][1] * ROWS_GOAL + ROWS_SLACK
    }
    ratios = {
        name: bench_table.record(
            f"{name}, 400 organizations / 1 (side by side)",
            ours=times[name][1],
            floor=times[name][0],
            goal=GOAL,
        )
        for name in pages
    }
    assert not read_more, f"rows read grow with the other schools: {read_more}"
    # A tenth either way: a page faster beside the others reads differently too.
    apart = {
        name: f"{r:.2f}×" for name, r in ratios.items() if not 1 / GOAL <= r <= GOAL
    }
    assert not apart, f"pages not within a tenth at 1 and 400 organizations: {apart}"
