"""`manage.py generate_region`: districts of schools with answers to read."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from mentoring.models import District, Organization, Region
from surveys.models import Answer, Response
from tests.factories import UserFactory


@pytest.mark.django_db
def test_a_generated_region_fills_every_column_of_its_table(client):
    out = io.StringIO()
    call_command(
        "generate_region",
        districts=2,
        organizations=3,
        staff=15,
        students=30,
        pairs=6,
        meetings=4,
        seed=7,
        stdout=out,
    )

    region = Region.objects.get()
    assert f"Субъект РФ «{region.name}»" in out.getvalue()
    assert District.objects.filter(region=region).count() == 2
    assert Organization.objects.filter(district__region=region).count() == 6
    assert Response.objects.filter(meeting__isnull=False).exists()
    assert Answer.objects.filter(response__pair__isnull=False).exists()

    client.force_login(UserFactory(regional=True, region=region))
    rows = client.get(reverse("regions:districts")).context["rows"]
    assert len(rows) == 2
    for row in rows:
        assert row[1] == 3
        assert None not in row, row


@pytest.mark.django_db
def test_a_second_region_takes_the_next_free_name():
    for _ in range(2):
        call_command(
            "generate_region",
            districts=1,
            organizations=1,
            staff=4,
            students=4,
            pairs=1,
            meetings=1,
            stdout=io.StringIO(),
        )

    assert list(Region.objects.values_list("name", flat=True)) == [
        "Модельный регион 1",
        "Модельный регион 2",
    ]


@pytest.mark.django_db
def test_districts_go_on_in_a_region_named_again():
    for _ in range(2):
        call_command(
            "generate_region",
            districts=1,
            organizations=1,
            staff=4,
            students=4,
            pairs=1,
            meetings=1,
            region_name="Тестовая область",
            stdout=io.StringIO(),
        )

    assert list(
        District.objects.filter(region__name="Тестовая область")
        .order_by("name")
        .values_list("name", flat=True)
    ) == ["Тестовая область: район 1", "Тестовая область: район 2"]
