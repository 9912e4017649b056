"""The curator's change lists at 1, 10 and 40 schools (DESIGN.md §6).

One database grows from one school to a district of forty; at each size the
person and pair lists are timed for a curator of one school and for a
superuser who sees them all. The query count of a page must not change with
the size, and each page stays well under a second. The admin index, which
lists no rows, is the floor the lists are compared with.
"""

import io
import statistics
import time
from collections import Counter

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mentoring.models import Organization, Pair, Person, Role, User

# Schools added at each step: 1, then 10, then 40 in all.
STEPS = [(1, 1), (10, 9), (40, 30)]
PAGES = {
    "index": "admin:index",
    "persons": "admin:mentoring_person_changelist",
    "pairs": "admin:mentoring_pair_changelist",
}
WARM_UP = 2
TIMED = 7
PAGE_CEILING_S = 1.0
GENERATOR_CEILING_S = 120.0


def _generate(organizations: int, name: str) -> float:
    started = time.perf_counter()
    call_command(
        "generate_district",
        organizations=organizations,
        district_name=name,
        seed=organizations,
        stdout=io.StringIO(),
    )
    return time.perf_counter() - started


def _measure(client: Client, url: str) -> tuple[float, list[dict], int]:
    """Median server time of warm requests, the SQL of one, the rows listed."""
    for _ in range(WARM_UP):
        assert client.get(url).status_code == 200
    times = []
    for _ in range(TIMED):
        started = time.perf_counter()
        response = client.get(url)
        times.append(time.perf_counter() - started)
        assert response.status_code == 200
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    changelist = response.context.get("cl") if response.context else None
    rows = changelist.result_count if changelist is not None else 0
    return statistics.median(times), captured.captured_queries, rows


def _repeated(queries: list[dict]) -> list[tuple[int, str]]:
    """Statements run more than once, with literal numbers hidden."""
    shapes = Counter()
    for query in queries:
        shapes["".join("#" if c.isdigit() else c for c in query["sql"])[:400]] += 1
    return [(n, sql) for sql, n in shapes.most_common() if n > 1]


def test_change_lists_keep_their_query_count_from_one_school_to_forty(growing_db):
    results = {}  # (scale, page, user) -> (seconds, queries, rows)
    generator_times = []
    clients = {}
    for scale, added in STEPS:
        generator_times.append(
            (added, _generate(added, name=f"Замер: +{added} (до {scale})"))
        )
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
        for label, client in clients.items():
            for page, url_name in PAGES.items():
                results[scale, page, label] = _measure(client, reverse(url_name))

    # The curator sees their school only, at every size; the superuser sees all.
    persons_per_school = Person.objects.filter(organization=organization).count()
    pairs_per_school = Pair.objects.filter(organization=organization).count()
    for scale, _added in STEPS:
        assert results[scale, "persons", "curator"][2] == persons_per_school
        assert results[scale, "pairs", "curator"][2] == pairs_per_school
    assert results[40, "persons", "superuser"][2] == Person.objects.count()
    assert results[40, "pairs", "superuser"][2] == Pair.objects.count()

    print()
    for added, seconds in generator_times:
        print(f"generate_district --organizations {added}: {seconds:.1f} s")
    print(
        f"{'schools':>7}  {'page':<8} {'user':<10} {'median ms':>9} "
        f"{'× floor':>7} {'queries':>7} {'SQL ms':>6} {'max SQL':>7} {'rows':>6}"
    )
    for scale, _added in STEPS:
        for label in clients:
            floor = results[scale, "index", label][0]
            for page in PAGES:
                seconds, queries, rows = results[scale, page, label]
                sql = [float(q["time"]) * 1000 for q in queries]
                print(
                    f"{scale:>7}  {page:<8} {label:<10} {seconds * 1000:>9.1f} "
                    f"{seconds / floor:>7.1f} {len(queries):>7} {sum(sql):>6.1f} "
                    f"{max(sql):>7.1f} {rows:>6}"
                )

    grew = []
    for label in clients:
        for page in PAGES:
            counts = {scale: len(results[scale, page, label][1]) for scale, _ in STEPS}
            if len(set(counts.values())) > 1:
                grew.append(f"{page} as {label}: {counts}")
                largest = results[STEPS[-1][0], page, label][1]
                print(f"\nRepeated SQL on {page} as {label} at 40 schools:")
                for n, sql in _repeated(largest):
                    print(f"  {n}× {sql}")
    assert not grew, "query count grows with the data: " + "; ".join(grew)
    slow = [
        f"{page} as {label} at {scale}: {results[scale, page, label][0]:.2f} s"
        for (scale, page, label) in results
        if results[scale, page, label][0] > PAGE_CEILING_S
    ]
    assert not slow, "pages over the ceiling: " + "; ".join(slow)


@pytest.mark.django_db
def test_generating_a_district_of_forty_schools_takes_under_two_minutes():
    # The test's transaction is rolled back: the forty schools leave no trace.
    seconds = _generate(40, name="Замер генератора")
    print(f"\ngenerate_district --organizations 40: {seconds:.1f} s")
    assert Person.objects.filter(
        organization__district__name="Замер генератора"
    ).count() == 40 * (80 + 800)
    assert seconds < GENERATOR_CEILING_S
