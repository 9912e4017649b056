"""What proves an activity closes it: the signed pair order and
«Формирование наставнических пар»."""

import pytest
from django.urls import reverse
from django.utils import timezone

from roadmap import services
from roadmap.models import Evidence
from tests.factories import (
    ActivityFactory,
    PairFactory,
    RoadmapFactory,
    StageFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def test_a_signed_document_closes_the_activity_of_its_code_and_links_to_it(client):
    roadmap = RoadmapFactory()
    stage = StageFactory(roadmap=roadmap, number="5")
    pairs = ActivityFactory(stage=stage, code="form_pairs", content="Формирование пар")
    other = ActivityFactory(stage=stage, code="programs")
    document = PairFactory(organization=roadmap.organization)

    closed = services.close_activities_with_evidence(
        organization=roadmap.organization,
        obj=document,
        code="form_pairs",
        title="Приказ № 12 от 01.10.2025 «О закреплении наставнических пар»",
        url="https://school.example/orders/12.pdf",
    )

    pairs.refresh_from_db()
    other.refresh_from_db()
    assert closed == [pairs]
    assert (pairs.status, pairs.done_on) == ("done", timezone.localdate())
    assert other.status == "planned"
    evidence = Evidence.objects.get(activity=pairs)
    assert evidence.source == document
    client.force_login(UserFactory(director=True, organization=roadmap.organization))
    page = client.get(reverse("roadmap:detail", args=[roadmap.pk])).text
    assert 'href="https://school.example/orders/12.pdf"' in page


def test_closing_twice_with_the_same_document_changes_nothing():
    activity = ActivityFactory(code="form_pairs")
    organization = activity.stage.roadmap.organization
    document = PairFactory(organization=organization)
    arguments = {
        "organization": organization,
        "obj": document,
        "code": "form_pairs",
        "title": "Приказ № 12",
    }

    services.close_activities_with_evidence(**arguments)
    again = services.close_activities_with_evidence(**arguments)

    assert again == []
    assert activity.evidence.count() == 1


def test_another_schools_document_closes_nothing_here():
    activity = ActivityFactory(code="form_pairs")
    stranger = PairFactory()

    closed = services.close_activities_with_evidence(
        organization=stranger.organization,
        obj=stranger,
        code="form_pairs",
        title="Приказ № 1",
    )

    activity.refresh_from_db()
    assert closed == []
    assert activity.status == "planned"


@pytest.mark.parametrize(
    ("url", "ok"),
    [
        ("/orders/5/pdf/", True),
        ("https://school.example/orders/12.pdf", True),
        ("javascript:alert(1)", False),
        ("//evil.example/x", False),
    ],
)
def test_evidence_links_to_a_page_of_this_site_or_a_web_address(url, ok):
    from django.core.exceptions import ValidationError

    activity = ActivityFactory()
    arguments = {"by": None, "activity": activity, "title": "Приказ", "url": url}
    if ok:
        assert services.add_evidence(**arguments).url == url
    else:
        with pytest.raises(ValidationError) as error:
            services.add_evidence(**arguments)
        assert "Введите адрес страницы" in str(error.value)
        assert not Evidence.objects.exists()
