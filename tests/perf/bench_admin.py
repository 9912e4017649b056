"""The curator's change lists at 1, 10, 40 and 400 schools (DESIGN.md §6).

One database grows from one school to a district of forty, then to 400
organizations (nine more districts of forty smaller schools, as in
bench_region.py: 20 staff, 60 students, 10 pairs each, so the step takes a
minute or two rather than a quarter of an hour); at each size the
person and pair lists (and the index, which lists no rows) are timed for a
curator of one school and for a superuser who sees them all. The query count
of a page must not change with the size. A list's floor is its own SQL
replayed alone through a cursor, timed in turn with the page
(tests/perf/conftest.py): the ratio is what Django, the admin and our code
add to the database's work. The index runs 1–9 ms of SQL, too little to
divide by: its floor is a trivial page, `/admin/login/` for a visitor. The
ratios are asserted at forty and at 400 organizations.

The pages and `/admin/login/` are timed as a server renders them: pytest-django
installs Django's test instrumentation of every template render (a signal and
a copy of the whole context per template, kept for `response.context`), which
no server pays and the SQL replay does not either; on the persons list it was
a fifth of the page's CPU (issue 15, 2 December 2026: 22.8 against 18.9 ms,
`/admin/login/` 4.7 against 3.8 ms). The first request of each page, which
the rows and query assertions read, keeps it. The timed requests and
replays run on a fresh thread, as a server's worker thread runs a request:
deep in pytest's stack CPython 3.11 allocated and freed a frame chunk about a
thousand times a request, which made the persons list cost 26.5 ms of CPU
instead of 15.5 ms (tests/perf/timing.py, `in_a_fresh_thread`). Beside the wall times the
per-size table prints this process's CPU for each page and for `/admin/login/`
(medians, not asserted): the Python's share, steadier than wall time on a
busy machine.

The generator's floor is the same rows written by raw SQL: one
`INSERT … SELECT` per table into a copy with the same indexes.
"""

import functools
import io
import statistics
import time
from collections import Counter

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mentoring.models import Organization, Pair, Person, Role, User
from tests.perf.timing import (
    in_a_fresh_thread,
    interleaved_medians,
    rendered_as_a_server_renders,
)

# Schools added at each step: 1, then 10, then 40, then 400 in all.
STEPS = [(1, 1), (10, 9), (40, 30), (400, 360)]
# The schools beyond forty, in districts of forty (bench_region.py's size).
SMALL_SCHOOL = {"staff": 20, "students": 60, "pairs": 10, "meetings": 6}
ASSERTED_AT = (40, 400)
PAGES = {
    "index": "admin:index",
    "persons": "admin:mentoring_person_changelist",
    "pairs": "admin:mentoring_pair_changelist",
}
# Page / its floor at forty schools, asserted. Measured on 2026-12-01 in four
# runs with the machine under load (load average 7 on two cores): persons
# 2.6–3.2× its SQL, pairs 5.9–10× its SQL; the goals leave about twice that.
# The index / /admin/login/: 4.1–5.2× in two runs; about twice that.
# Later that day the consent check stopped reading every school's consents:
# the curator's persons SQL fell from about 14 ms to 4 ms while the page's
# Python (about 60 ms) stayed, so the ratio rose to 17.7× (superuser 5.6×).
# The goal follows the faster floor; issue 15's item 2 (the page's own cost)
# is what brings it down. With the rows built without a template per row
# (mentoring/admin/lists.py), on 2026-12-01 under heavy load: persons 17.0×
# at 40 and 14.9× at 400 schools, pairs 13.6× and 11.6×; the same goals hold
# at 400. On 2026-12-02, the rows built from columns resolved once per page,
# the app list built only when printed, the action select kept
# (mentoring/admin/lists.py, mentoring/admin_site.py), three runs at load
# average 4–7: persons 5.5–10.2× at 40 and 400 schools, pairs 6.7–11.6×;
# the persons goal follows, about twice the worst. After the second round the
# curator's persons SQL is about 2.4 ms, so a single slow page moves this
# ratio a lot: 24.6× at 40 schools (10.7× at 400) in a `make bench` beside a
# whole `make test` (2026-12-02 03:10); the goal stays 30, as before the
# lists' rounds, and the ratios over `/admin/login/` below are the steadier.
# After the third round (rows, filters, page links and actions joined in
# Python, mentoring/admin/lists.py) and with the timing done as a server
# runs a page (no test instrumentation, a fresh thread: see the module's
# docstring), four runs on 2026-12-02 ~05:10: persons 5.9-8.5x its SQL at
# 40 and 400 schools, pairs 5.9-8.7x; the persons goal back to 20.
# Fourth round (the lists' annotations resolved and the consent columns
# compiled once, mentoring/admin/base.py `prepare_rows`), 2026-12-02 ~07:40:
# persons 6.9-7.1x, pairs 7.7-7.9x its SQL, whose replay fell with the
# machine's load (2.0-2.4 ms); the goals stay.
PAGE_GOALS = {"index": 10.0, "persons": 20.0, "pairs": 20.0}
# Page / (its SQL + /admin/login/): `/admin/login/` alone is Django answering
# the least admin page (middleware, session, a template), about 1.7× the
# curator's persons SQL, so this is the floor a page of our own could reach.
# Measured on 2026-12-02 in the same three runs: persons 2.8–4.3× as curator
# (2.0–2.7× as superuser, whose SQL is larger), pairs 3.6–5.6×; goals about
# twice the worst, the 2× printed as the target.
# On 2026-12-02 ~03:05, after the second round (permissions from the role,
# rows reading only their columns, the pairs' names by one query, the
# consent conditions built once a day: mentoring/admin/, permissions.py),
# three runs at load average 2–3: persons 2.4–3.5×, pairs 2.3–4.4× as curator.
# Those cuts removed SQL as well as Python (two permission reads, sixty
# unread columns a row, whole persons per participant), so this floor fell
# with the page; the page alone over `/admin/login/` shows what they gained.
# The same four runs after the third round: persons 2.8-3.3x, pairs
# 3.1-3.6x as curator (1.7-2.6x as superuser); goals about twice the worst.
LOGIN_GOALS = {"persons": 8.0, "pairs": 8.0}
# Page / `/admin/login/` alone, timed in the same turns: persons 5.2–7.7×,
# pairs 6.0–7.8× as curator in the same three runs (before the second round,
# from the README's run at ~01:50: persons 8.1×, pairs 13.2×); about twice
# the worst.
# After the third round: persons 5.1-5.5x, pairs 5.8-6.6x; about twice.
PAGE_OVER_LOGIN_GOAL = 14.0
# Issue 15's aim for lists, after its later items; printed, not asserted.
LIST_TARGET = 2.0
# generate_district / the same rows by INSERT … SELECT: 6.1–14.6× in four
# runs on 2026-12-01 under load. Each is timed once (20–40 s, too long to
# repeat in turn), so load hits them unevenly: a wide margin.
GENERATOR_GOAL = 30.0


def _generate(organizations: int, name: str, **sizes) -> float:
    started = time.perf_counter()
    call_command(
        "generate_district",
        organizations=organizations,
        district_name=name,
        seed=organizations,
        stdout=io.StringIO(),
        **sizes,
    )
    return time.perf_counter() - started


def _grow(scale: int, added: int) -> float:
    if scale <= 40:
        return _generate(added, name=f"Замер: +{added} (до {scale})")
    return sum(
        _generate(40, name=f"Замер: район {n + 2}", **SMALL_SCHOOL)
        for n in range(added // 40)
    )


def _replay(queries: list[dict]) -> None:
    with connection.cursor() as cursor:
        for query in queries:
            cursor.execute(query["sql"])
            cursor.fetchall()


def _get(client: Client, url: str):
    def page():
        assert client.get(url).status_code == 200

    return page


def _measure(client: Client, url: str) -> tuple[float, float, list[dict], int, float]:
    """Median times of the page, of its floor and of `/admin/login/`, the
    page's SQL, the rows listed."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    changelist = response.context.get("cl") if response.context else None
    rows = changelist.result_count if changelist is not None else 0
    # The page only reads; its one write is the session's renewal (an idle
    # session ends after SESSION_IDLE_MINUTES), left out of the floor, which
    # makes the floor the lower and the ratio the stricter.
    writes = [
        q["sql"] for q in captured.captured_queries if not q["sql"].startswith("SELECT")
    ]
    assert all(
        sql in ("BEGIN", "COMMIT") or sql.startswith('UPDATE "django_session"')
        for sql in writes
    ), writes
    queries = [q for q in captured.captured_queries if q["sql"].startswith("SELECT")]

    login = _get(Client(), reverse("admin:login"))
    if changelist is None:
        with rendered_as_a_server_renders():
            seconds, floor = in_a_fresh_thread(
                lambda: interleaved_medians(_get(client, url), login)
            )
        return seconds, floor, queries, rows, floor
    with rendered_as_a_server_renders():
        seconds, floor, login_seconds = in_a_fresh_thread(
            lambda: interleaved_medians(
                _get(client, url), functools.partial(_replay, queries), login
            )
        )
    return seconds, floor, queries, rows, login_seconds


def _cpu_medians(client: Client, url: str, runs: int = 7) -> tuple[float, float]:
    """This process's CPU for the page and for `/admin/login/`, medians.

    Printed beside the wall times, not asserted: the CPU of the Python that
    answers (the database's work is another process's), steadier than wall
    time on a machine shared with other work.
    """
    login = Client()
    login_url = reverse("admin:login")
    spent = {url: [], login_url: []}

    def turns():
        for _ in range(runs):
            for who, where in ((client, url), (login, login_url)):
                started = time.process_time()
                assert who.get(where).status_code == 200
                spent[where].append(time.process_time() - started)

    with rendered_as_a_server_renders():
        in_a_fresh_thread(turns)
    return statistics.median(spent[url]), statistics.median(spent[login_url])


def _repeated(queries: list[dict]) -> list[tuple[int, str]]:
    """Statements run more than once, with literal numbers hidden."""
    shapes = Counter()
    for query in queries:
        shapes["".join("#" if c.isdigit() else c for c in query["sql"])[:400]] += 1
    return [(n, sql) for sql, n in shapes.most_common() if n > 1]


def test_change_lists_keep_their_query_count_from_one_school_to_400(
    growing_db, bench_table
):
    # (scale, page, user) -> (seconds, floor, queries, rows, /admin/login/)
    results = {}
    cpu = {}  # (scale, page, user) -> (the page's CPU, /admin/login/'s)
    generator_times = []
    totals = {}  # scale -> (persons, pairs)
    clients = {}
    for scale, added in STEPS:
        generator_times.append((added, _grow(scale, added)))
        if not clients:
            organization = Organization.objects.order_by("pk").first()
            curator = User.objects.create_user(
                username="bench-curator",
                role=Role.CURATOR,
                organization=organization,
                is_staff=True,
            )
            superuser = User.objects.create_superuser(username="bench-admin")
            for label, user in (("curator", curator), ("superuser", superuser)):
                clients[label] = Client()
                clients[label].force_login(user)
        assert Organization.objects.count() == scale
        totals[scale] = (Person.objects.count(), Pair.objects.count())
        for label, client in clients.items():
            for page, url_name in PAGES.items():
                results[scale, page, label] = _measure(client, reverse(url_name))
                cpu[scale, page, label] = _cpu_medians(client, reverse(url_name))

    # The curator sees their school only, at every size; the superuser sees all.
    persons_per_school = Person.objects.filter(organization=organization).count()
    pairs_per_school = Pair.objects.filter(organization=organization).count()
    for scale, _added in STEPS:
        assert results[scale, "persons", "curator"][3] == persons_per_school
        assert results[scale, "pairs", "curator"][3] == pairs_per_school
    for scale in ASSERTED_AT:
        assert results[scale, "persons", "superuser"][3] == totals[scale][0]
        assert results[scale, "pairs", "superuser"][3] == totals[scale][1]

    print()
    for added, seconds in generator_times:
        print(f"generate_district --organizations {added}: {seconds:.1f} s")
    print(
        f"{'schools':>7}  {'page':<8} {'user':<10} {'median ms':>9} "
        f"{'floor':>6} {'ratio':>6} {'queries':>7} {'max SQL':>7} {'rows':>6} "
        f"{'CPU ms':>6} {'login CPU':>9}"
    )
    for scale, _added in STEPS:
        for label in clients:
            for page in PAGES:
                seconds, floor, queries, rows, _login = results[scale, page, label]
                sql = [float(q["time"]) * 1000 for q in queries]
                print(
                    f"{scale:>7}  {page:<8} {label:<10} {seconds * 1000:>9.1f} "
                    f"{floor * 1000:>6.1f} {seconds / floor:>6.1f} {len(queries):>7} "
                    f"{max(sql):>7.1f} {rows:>6} "
                    f"{cpu[scale, page, label][0] * 1000:>6.1f} "
                    f"{cpu[scale, page, label][1] * 1000:>9.1f}"
                )

    grew = []
    for label in clients:
        for page in PAGES:
            counts = {scale: len(results[scale, page, label][2]) for scale, _ in STEPS}
            if len(set(counts.values())) > 1:
                grew.append(f"{page} as {label}: {counts}")
                largest = results[STEPS[-1][0], page, label][2]
                print(f"\nRepeated SQL on {page} as {label} at 400 schools:")
                for n, sql in _repeated(largest):
                    print(f"  {n}× {sql}")
    assert not grew, "query count grows with the data: " + "; ".join(grew)
    ratios = {
        (scale, page, label): bench_table.record(
            f"admin {page} as {label}, {scale} schools / "
            + ("/admin/login/" if page == "index" else "its SQL alone"),
            ours=results[scale, page, label][0],
            floor=results[scale, page, label][1],
            goal=PAGE_GOALS[page],
            target=None if page == "index" else LIST_TARGET,
        )
        for scale in ASSERTED_AT
        for label in clients
        for page in PAGES
    }
    # The second floor: what the page's own SQL costs plus what Django
    # costs to answer the least admin page, timed in the same turns.
    with_login = {
        (scale, page, label): bench_table.record(
            f"admin {page} as {label}, {scale} schools / (its SQL + /admin/login/)",
            ours=results[scale, page, label][0],
            floor=results[scale, page, label][1] + results[scale, page, label][4],
            goal=LOGIN_GOALS[page],
            target=LIST_TARGET,
        )
        for scale in ASSERTED_AT
        for label in clients
        for page in PAGES
        if page != "index"
    }
    # What the page costs beyond the least admin page, SQL included.
    over_login = {
        (scale, page, label): bench_table.record(
            f"admin {page} as {label}, {scale} schools / /admin/login/",
            ours=results[scale, page, label][0],
            floor=results[scale, page, label][4],
            goal=PAGE_OVER_LOGIN_GOAL,
        )
        for scale in ASSERTED_AT
        for page in PAGES
        if page != "index"
        for label in ("curator",)
    }
    over = (
        [
            f"{p} as {u} at {n}: {r:.1f}×"
            for (n, p, u), r in ratios.items()
            if r > PAGE_GOALS[p]
        ]
        + [
            f"{p} as {u} at {n}: {r:.1f}× (its SQL + /admin/login/)"
            for (n, p, u), r in with_login.items()
            if r > LOGIN_GOALS[p]
        ]
        + [
            f"{p} as {u} at {n}: {r:.1f}× (/admin/login/)"
            for (n, p, u), r in over_login.items()
            if r > PAGE_OVER_LOGIN_GOAL
        ]
    )
    assert not over, "pages over the goal: " + "; ".join(over)


def _copy_rows_by_sql() -> float:
    """The floor: every table's rows written again by one statement each."""
    started = time.perf_counter()
    with connection.cursor() as cursor:
        for number, model in enumerate(apps.get_models(include_auto_created=True)):
            if model._meta.proxy or not model._meta.managed:
                continue
            copy = f"bench_copy_{number}"
            cursor.execute(
                f"CREATE TEMP TABLE {copy} (LIKE {model._meta.db_table} INCLUDING ALL)"
            )
            cursor.execute(f"INSERT INTO {copy} SELECT * FROM {model._meta.db_table}")
    return time.perf_counter() - started


@pytest.mark.django_db
def test_generating_a_district_of_forty_schools_costs_a_bounded_multiple_of_sql(
    bench_table,
):
    # The test's transaction is rolled back: the forty schools and the
    # temporary copies leave no trace.
    seconds = _generate(40, name="Замер генератора")
    floor = _copy_rows_by_sql()
    print(
        f"\ngenerate_district --organizations 40: {seconds:.1f} s; "
        f"the same rows by INSERT … SELECT: {floor:.2f} s"
    )
    assert Person.objects.filter(
        organization__district__name="Замер генератора"
    ).count() == 40 * (80 + 800)
    ratio = bench_table.record(
        "generate_district, 40 schools / its rows by raw SQL",
        ours=seconds,
        floor=floor,
        goal=GENERATOR_GOAL,
    )
    assert ratio <= GENERATOR_GOAL
