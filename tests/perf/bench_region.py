"""The region's tables at 40 and 400 organizations (issue 14, item 6).

One region grows from one district of 40 organizations to ten (400), made by
`generate_region` with its answers. At each size every table in `TABLES` is
asked over HTTP by the user it is for: its query count must not change with
the size. At 400 organizations its server time is printed next to its floor,
the page's own SQL replayed alone through a cursor (the same rows, without
Django, the template or our code), timed in turn (tests/perf/conftest.py);
the ratio is asserted, never a time.

The district's table (`district:organizations`) is asked for the region's
first district by its methodologist: the same 40 organizations at both
sizes, so its queries and its time must not notice the other 360.
"""

from __future__ import annotations

import functools
import io
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mentoring.models import District, Organization, Region, Role, User
from tests.perf.timing import interleaved_medians

REGION = "Замер региона"
# Per organization: fewer people than generate_region's default school (80
# staff, 800 students), the same shape; the tables read pairs, meetings and
# answers, which these sizes keep at tens of thousands of rows at 400.
SCHOOL = {"staff": 20, "students": 60, "pairs": 10, "meetings": 6}
# Districts added at each step, each of 40 organizations: 40, then 400 in all.
STEPS = [(40, 1), (400, 9)]
# Page / its SQL alone at 400 organizations: the goal, asserted.
# Measured 1.27–1.33× in two runs on 2026-12-01 (320 ms against 252 ms of
# SQL, load average 7–10 on two cores): the page adds little to its SQL, so
# the goal holds with room for a busier machine. The district's table: 4.2×,
# then 4.2–5.8× once its meetings came from their roll-up (its SQL halved,
# the template's cell loop stayed), 3.2–3.6× with its rows built in page.py
# (2026-12-02, load average 3–9).
GOAL = 5.0
# The aim for the server time at 400 organizations: printed, never
# asserted (an absolute time measures the neighbours).
AIM_MS = 150


@dataclass(frozen=True)
class Table:
    url_name: str
    # Who asks for it, given the generated region.
    user: Callable[[Region], User]
    # The URL's arguments, given the user.
    args: Callable[[User], list] = lambda user: []


def _regional(region: Region) -> User:
    return User.objects.get_or_create(
        username="bench-regional", defaults={"role": Role.REGIONAL, "region": region}
    )[0]


def _methodologist(region: Region) -> User:
    district = District.objects.filter(region=region).order_by("pk").first()
    return User.objects.get_or_create(
        username="bench-methodologist",
        defaults={"role": Role.METHODOLOGIST, "district": district, "is_staff": True},
    )[0]


TABLES = [
    Table("regions:districts", _regional),
    Table(
        "district:organizations",
        _methodologist,
        lambda user: [user.district_id],
    ),
]


def _grow(districts: int) -> float:
    started = time.perf_counter()
    call_command(
        "generate_region",
        districts=districts,
        organizations=40,
        region_name=REGION,
        seed=districts,
        stdout=io.StringIO(),
        **SCHOOL,
    )
    return time.perf_counter() - started


def _replay(queries: list[dict]) -> None:
    """The page's reads, alone, under its settings (SET LOCAL jit, in one
    transaction as on the page). Its session's save (UPDATE: the session is
    saved on every request) is left out of the floor, which makes it the
    lower and the ratio the stricter."""
    with transaction.atomic(), connection.cursor() as cursor:
        for query in queries:
            if query["sql"].startswith("SET"):
                cursor.execute(query["sql"])
            elif query["sql"].startswith("SELECT"):
                cursor.execute(query["sql"])
                cursor.fetchall()


def _get(client: Client, url: str) -> Callable[[], None]:
    def page():
        assert client.get(url).status_code == 200

    return page


def _queries(client: Client, url: str) -> list[dict]:
    client.get(url)  # the session's first read is not the page's
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return list(captured.captured_queries)


def test_the_region_tables_at_40_and_400_organizations(growing_db, bench_table):
    measured, generated = {}, []  # (size, url name) → (queries, times at 400)
    for size, districts in STEPS:
        generated.append((districts, _grow(districts)))
        region = Region.objects.get(name=REGION)
        assert Organization.objects.filter(district__region=region).count() == size
        for table in TABLES:
            client = Client()
            user = table.user(region)
            client.force_login(user)
            url = reverse(table.url_name, args=table.args(user))
            queries = _queries(client, url)
            times = None
            if size == STEPS[-1][0]:
                times = interleaved_medians(
                    _get(client, url), functools.partial(_replay, queries)
                )
            measured[size, table.url_name] = (queries, times)
    assert District.objects.filter(region__name=REGION).count() == 10

    print()
    for districts, seconds in generated:
        print(
            f"generate_region --districts {districts} --organizations 40: "
            f"{seconds:.1f} s"
        )
    grew, over = {}, []
    last = STEPS[-1][0]
    for table in TABLES:
        counts = {size: len(measured[size, table.url_name][0]) for size, _ in STEPS}
        if len(set(counts.values())) > 1:
            grew[table.url_name] = counts
        queries, (seconds, floor) = measured[last, table.url_name]
        slowest = max(float(q["time"]) * 1000 for q in queries)
        print(
            f"{table.url_name}: queries {counts}; at {last} organizations server "
            f"{seconds * 1000:.1f} ms (aim ≤ {AIM_MS} ms), its SQL alone "
            f"{floor * 1000:.1f} ms, slowest query {slowest:.1f} ms"
        )
        ratio = bench_table.record(
            f"{table.url_name}, {last} organizations / its SQL alone",
            ours=seconds,
            floor=floor,
            goal=GOAL,
        )
        if ratio > GOAL:
            over.append(f"{table.url_name}: {ratio:.1f}×")
    assert grew == {}, "query count grows with the data"
    assert over == [], "tables over the goal: " + "; ".join(over)
