"""The persons' list downloaded as XLSX at 2,000, 10,000 and 50,000 rows.

The export streams the changelist's queryset in chunks into a write-only
workbook (a server-side cursor): the query count is fixed, and the time
grows with the rows. Prints rows per second and the Python heap's peak
(which holds the finished file) at each size.
"""

import datetime
import io
import time
import tracemalloc

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from mentoring.models import Person
from tests.factories import UserFactory

SIZES = [2_000, 10_000, 50_000]
# Generous: the machine is shared; openpyxl writes several times faster with lxml.
SECONDS_PER_10K_CEILING = 30.0


def _add_people(organization, n: int) -> None:
    Person.objects.bulk_create(
        [
            Person(
                organization=organization,
                last_name=f"=Фамилия{i}" if i % 100 == 0 else f"Фамилия{i}",
                first_name="Мария",
                patronymic="Петровна",
                gender=Person.Gender.FEMALE,
                category=Person.Category.TEACHER,
                birth_date=datetime.date(1980, 1, 1),
                position="учитель математики",
            )
            for i in range(n)
        ],
        batch_size=5_000,
    )


class _Counter:
    """Statements sent to the database (the test client resets Django's log)."""

    def __init__(self):
        self.n = 0

    def __call__(self, execute, sql, params, many, context):
        self.n += 1
        return execute(sql, params, many, context)


def _download(client, url) -> bytes:
    response = client.get(url)
    assert response.status_code == 200
    return b"".join(response.streaming_content)


@pytest.mark.django_db
def test_person_export_scales_with_rows(growing_db):
    curator = UserFactory(curator=True)
    client = Client()
    client.force_login(curator)
    url = reverse("admin:mentoring_person_export")
    have, counts = 0, set()
    print()
    for size in SIZES:
        _add_people(curator.organization, size - have)
        have = size
        started = time.perf_counter()
        queries = _Counter()
        with connection.execute_wrapper(queries):
            content = _download(client, url)
        elapsed = time.perf_counter() - started
        # Measured apart: tracing every allocation slows the export severalfold.
        tracemalloc.start()
        _download(client, url)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        counts.add(queries.n)
        sheet = load_workbook(io.BytesIO(content), read_only=True).active
        assert sum(1 for _ in sheet.iter_rows(values_only=True)) == size + 1
        print(
            f"export {size:>6} persons: {elapsed:6.2f} s, "
            f"{size / elapsed:8.0f} rows/s, {len(content) // 1024} KB, "
            f"peak heap {peak / 2**20:.1f} MB, {queries.n} queries"
        )
        assert elapsed < SECONDS_PER_10K_CEILING * size / 10_000
    # A server-side cursor fetches the chunks: one query whatever the rows.
    assert len(counts) == 1, "queries grow with rows"
