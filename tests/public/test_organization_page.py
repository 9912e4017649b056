import pytest
from django.urls import reverse

from mentoring.models import Participation
from mentoring.services import withdraw_consent
from public.models import PublicDocument
from tests.factories import (
    ActivityFactory,
    OrganizationFactory,
    PairFactory,
    PersonFactory,
    StageFactory,
)
from tests.public.helpers import distribution_consent, news, publish_order, signed_order

pytestmark = pytest.mark.django_db


def test_anyone_reads_the_organizations_mentoring_page_without_logging_in(client):
    organization = OrganizationFactory()
    stage = StageFactory(
        roadmap__organization=organization, name="Формирование банка наставников"
    )
    ActivityFactory(stage=stage, content="Анкетирование потенциальных наставников")
    PairFactory(organization=organization, active=True)
    publish_order(signed_order(organization, title="О закреплении пар"))
    news(organization, title="Педсовет о наставничестве")

    page = client.get(reverse("public:organization", args=[organization.pk]))

    assert page.status_code == 200
    text = page.text
    assert "О системе наставничества" in text
    assert "Анкетирование потенциальных наставников" in text
    assert "О закреплении пар" in text
    assert "Педсовет о наставничестве" in text
    assert "«Учитель – учитель»" in text or "Учитель – учитель" in text


def test_a_draft_and_an_unpublished_document_are_not_listed(client):
    organization = OrganizationFactory()
    news(organization, title="Черновик новости", published=False)
    publish_order(
        signed_order(organization, title="О неопубликованном"), is_published=False
    )

    text = client.get(reverse("public:organization", args=[organization.pk])).text

    assert "Черновик новости" not in text
    assert "О неопубликованном" not in text


def test_a_responsible_person_is_named_only_with_a_publication_consent(client):
    organization = OrganizationFactory()
    shown = PersonFactory(organization=organization, last_name="Лебедева")
    hidden = PersonFactory(organization=organization, last_name="Зайцева")
    distribution_consent(shown)
    activity = ActivityFactory(
        stage=StageFactory(roadmap__organization=organization),
        responsible_roles="куратор",
    )
    activity.responsible.set([shown, hidden])

    text = client.get(reverse("public:organization", args=[organization.pk])).text

    assert "Лебедева" in text
    assert "Зайцева" not in text


def test_no_page_for_an_organization_that_does_not_exist(client):
    assert client.get(reverse("public:organization", args=[999999])).status_code == 404


def test_the_page_names_no_participant_of_the_pairs(client):
    organization = OrganizationFactory()
    pair = PairFactory(organization=organization, active=True)
    mentee = pair.participations.get(role=Participation.Role.MENTEE).person

    text = client.get(reverse("public:organization", args=[organization.pk])).text

    assert mentee.last_name not in text


def test_a_document_of_text_shows_its_paragraphs(client):
    organization = OrganizationFactory()
    document = PublicDocument.objects.create(
        organization=organization,
        kind=PublicDocument.Kind.REGULATIONS,
        title="Положение о системе наставничества педагогических работников",
        text="1. Общие положения\n2. Цели и задачи наставничества",
        is_published=True,
        published_on="2026-09-01",
    )

    page = client.get(reverse("public:document", args=[organization.pk, document.pk]))

    assert page.status_code == 200
    assert "<p>2. Цели и задачи наставничества</p>" in page.text


def test_a_withdrawn_consent_takes_the_responsible_off_the_cached_page(
    client, django_capture_on_commit_callbacks
):
    organization = OrganizationFactory()
    person = PersonFactory(organization=organization, last_name="Лебедева")
    consent = distribution_consent(person)
    activity = ActivityFactory(
        stage=StageFactory(roadmap__organization=organization),
        responsible_roles="куратор",
    )
    activity.responsible.set([person])
    url = reverse("public:organization", args=[organization.pk])
    assert "Лебедева" in client.get(url).text

    with django_capture_on_commit_callbacks(execute=True):
        withdraw_consent(consent=consent, by=None)

    assert "Лебедева" not in client.get(url).text
