"""The methodologist marks the district's pilot organizations and since when."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from district.models import Pilot
from district.services import remove_pilot, save_pilot
from mentoring.models import AuditEntry
from tests.factories import OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_the_methodologist_adds_a_pilot_in_the_admin(client, district):
    client.force_login(district.methodologist)
    response = client.post(
        reverse("admin:district_pilot_add"),
        {
            "organization": district.lyceum.pk,
            "since": "01.02.2026",
            "basis": "Распоряжение ИМЦ от 30.01.2026 № 4",
        },
    )
    assert response.status_code == 302
    pilot = Pilot.objects.get(organization=district.lyceum)
    assert pilot.since == datetime.date(2026, 2, 1)
    entry = AuditEntry.objects.get(action="pilot.saved", object_id=pilot.pk)
    assert entry.actor == district.methodologist
    assert "01.02.2026" in entry.message

    page = client.get(reverse("admin:district_pilot_changelist")).content.decode()
    assert "Лицей № 2" in page and "Гимназия № 1" in page


def test_another_districts_school_cannot_be_picked(client, district):
    client.force_login(district.methodologist)
    response = client.post(
        reverse("admin:district_pilot_add"),
        {"organization": district.neighbour.pk, "since": "01.02.2026"},
    )
    assert response.status_code == 200
    assert "Выберите корректный вариант" in response.content.decode()
    assert not Pilot.objects.filter(organization=district.neighbour).exists()


def test_another_districts_methodologist_is_refused_by_the_service(district):
    stranger = UserFactory(methodologist=True)
    with pytest.raises(ValidationError) as error:
        save_pilot(
            by=stranger, organization=district.lyceum, since=datetime.date(2026, 2, 1)
        )
    assert error.value.messages == [
        "Пилотные площадки района «Кировский район» выбирает его методист."
    ]
    pilot = Pilot.objects.get(organization=district.gymnasium)
    with pytest.raises(ValidationError):
        remove_pilot(by=stranger, pilot=pilot)
    assert Pilot.objects.filter(organization=district.gymnasium).exists()


def test_a_curator_does_not_choose_pilots(district):
    curator = UserFactory(curator=True, organization=district.lyceum)
    with pytest.raises(ValidationError):
        save_pilot(
            by=curator, organization=district.lyceum, since=datetime.date(2026, 2, 1)
        )
    assert not Pilot.objects.filter(organization=district.lyceum).exists()


def test_ending_a_pilot_is_audited(client, district):
    pilot = Pilot.objects.get(organization=district.gymnasium)
    client.force_login(district.methodologist)
    response = client.post(
        reverse("admin:district_pilot_delete", args=[pilot.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    assert not Pilot.objects.filter(pk=pilot.pk).exists()
    assert AuditEntry.objects.filter(action="pilot.removed").count() == 1


def test_the_methodologist_sees_only_the_districts_pilots(client, district):
    Pilot.objects.create(
        organization=OrganizationFactory(short_name="Чужая школа"),
        since=datetime.date(2025, 9, 1),
    )
    client.force_login(district.methodologist)
    page = client.get(reverse("admin:district_pilot_changelist")).content.decode()
    assert "Гимназия № 1" in page
    assert "Чужая школа" not in page
