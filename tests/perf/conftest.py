"""Benchmarks share one database that grows between measurements.

pytest-django wraps each `django_db` test in a transaction it rolls back, which
would throw the generated district away; a benchmark instead commits its data,
measures, generates more and measures again. The tables are emptied when the
module ends so the next benchmark module starts from the migrated database.
"""

import pytest
from django.db import connection

from mentoring.models import District, User
from tests.factories import ensure_catalogue


@pytest.fixture(scope="module")
def growing_db(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        yield
        # CASCADE reaches every table that points at districts or users:
        # organizations, people, pairs, sessions' owners, the audit trail, and
        # catalogues that point at organizations too (the standard
        # questionnaires): those are loaded again for the next benchmark.
        tables = [District._meta.db_table, User._meta.db_table, "django_session"]
        with connection.cursor() as cursor:
            cursor.execute(f"TRUNCATE {', '.join(tables)} CASCADE")
        ensure_catalogue()
