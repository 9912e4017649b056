"""The audit log names people as the school knows them, not by their logins."""

import pytest
from django.urls import reverse

from mentoring.models import AuditEntry
from mentoring.services import record_change
from tests.factories import PairFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_the_audit_log_shows_the_actors_name(client):
    curator = UserFactory(
        curator=True, username="k.orlova", last_name="Орлова", first_name="Ксения"
    )
    pair = PairFactory(organization=curator.organization)
    record_change(
        actor=curator,
        obj=pair,
        action="test",
        message="Пара изменена",
        organization=curator.organization,
    )
    entry = AuditEntry.objects.get(action="test")
    client.force_login(curator)

    listing = client.get(reverse("admin:mentoring_auditentry_changelist")).text
    detail = client.get(
        reverse("admin:mentoring_auditentry_change", args=[entry.pk])
    ).text

    for page in (listing, detail):
        assert "Ксения Орлова" in page
        assert "k.orlova" not in page
