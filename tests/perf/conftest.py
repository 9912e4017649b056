"""Benchmarks: a database that grows, and one table of ratios for the run.

Ratios, not times. Each benchmark times our code and its floor — the least
any implementation must spend on the same work (bare WeasyPrint on the same
HTML and stylesheet, the bare solver on the same slot matrix, the page's own
SQL replayed alone, a `count(*)` of the table read) — in the same run,
interleaved, and asserts ours / floor against a goal. On this two-core machine
shared by several processes an absolute time measures the neighbours; a ratio
of two times taken side by side mostly does not. No benchmark asserts a time.

To add a benchmark (a new tests/perf/bench_*.py):

    from tests.perf.timing import interleaved_medians

    # Measured 1.4× on <date> under load: about the margin a busy machine needs.
    GOAL = 2.0

    def test_x(bench_table):  # the fixture comes from this conftest
        ours, floor = interleaved_medians(our_code, bare_floor)
        ratio = bench_table.record(
            "x, 1,000 rows / bare floor", ours=ours, floor=floor, goal=GOAL,
            target=1.2,  # the issue's aim, printed beside the goal, not asserted
        )
        assert ratio <= GOAL

`bench_table` is session-scoped: every row recorded in the run is printed in
one table at the end of `make bench` (measure | ours | floor | ratio | goal,
with the target, if any, beside the goal). `record` returns the ratio; the
test asserts it, so a failure names its own benchmark. Say in a comment next
to each goal where the number comes from.

`growing_db`: pytest-django wraps each `django_db` test in a transaction it
rolls back, which would throw the generated district away; a benchmark
instead commits its data, measures, generates more and measures again. The
tables are emptied when the module ends so the next benchmark module starts
from the migrated database.
"""

import pytest
from django.db import connection

from mentoring.models import District, Region, User
from tests.factories import ensure_catalogue
from tests.perf.timing import BenchTable

TABLE = pytest.StashKey[BenchTable]()


@pytest.fixture(scope="session")
def bench_table(pytestconfig) -> BenchTable:
    return pytestconfig.stash.setdefault(TABLE, BenchTable())


def pytest_terminal_summary(terminalreporter, config):
    table = config.stash.get(TABLE, None)
    if table is None or not table.rows:
        return
    terminalreporter.section("benchmarks: ours against the floor in the same run")
    for line in table.lines():
        terminalreporter.write_line(line)


@pytest.fixture(scope="session")
def django_db_setup(request, django_test_environment, django_db_blocker):
    """The test database, whichever benchmarks `-k` picks.

    pytest-django creates it only when a selected test is marked `django_db`;
    `make bench PYTEST_ARGS='-k scoped'` picks only `growing_db` benchmarks,
    which commit instead, and found the development database's empty name.
    """
    from django.test.utils import setup_databases, teardown_databases

    verbosity = request.config.option.verbose
    with django_db_blocker.unblock():
        databases = setup_databases(
            verbosity=verbosity, interactive=False, aliases={"default"}
        )
    yield
    with django_db_blocker.unblock():
        teardown_databases(databases, verbosity=verbosity)


@pytest.fixture(scope="module")
def growing_db(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        yield
        # CASCADE reaches every table that points at districts or users:
        # organizations, people, pairs, sessions' owners, the audit trail, and
        # catalogues that point at organizations too (the standard
        # questionnaires): those are loaded again for the next benchmark.
        tables = [
            Region._meta.db_table,
            District._meta.db_table,
            User._meta.db_table,
            "django_session",
        ]
        with connection.cursor() as cursor:
            cursor.execute(f"TRUNCATE {', '.join(tables)} CASCADE")
        ensure_catalogue()
