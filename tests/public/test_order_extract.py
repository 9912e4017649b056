"""A signed order on the public page is an extract: a person is named only
with a valid consent to the distribution of their personal data."""

import pytest
from django.urls import reverse

from mentoring.models import Participation
from mentoring.services import withdraw_consent
from tests.factories import OrganizationFactory, PairFactory, PersonFactory
from tests.public.helpers import distribution_consent, publish_order, signed_order

pytestmark = pytest.mark.django_db


def _pair_order():
    organization = OrganizationFactory()
    pair = PairFactory(organization=organization, active=True)
    people = {p.role: p.person for p in pair.participations.select_related("person")}
    mentor = people[Participation.Role.MENTOR]
    mentee = people[Participation.Role.MENTEE]
    mentor.last_name, mentor.first_name, mentor.patronymic = (
        "Лебедева",
        "Ирина",
        "Викторовна",
    )
    mentor.save()
    mentee.last_name, mentee.first_name, mentee.patronymic = (
        "Смирнова",
        "Алина",
        "Олеговна",
    )
    mentee.save()
    order = signed_order(
        organization,
        items=[
            "Закрепить наставником Лебедеву Ирину Викторовну за молодым "
            "специалистом Смирновой Алиной Олеговной.",
            "Наставнику Лебедевой И.В. провести открытый урок.",
            "Контроль за исполнением настоящего приказа оставляю за собой.",
        ],
    )
    pair.order = order
    pair.save(update_fields=["order"])
    document = publish_order(order)
    url = reverse("public:document", args=[organization.pk, document.pk])
    return url, mentor, mentee


def test_the_extract_names_nobody_without_a_publication_consent(client):
    url, mentor, mentee = _pair_order()

    text = client.get(url).text

    assert "Выписка из приказа" in text
    assert "оставляю за собой" in text
    for name in ("Лебедев", "Смирнов", "Ирин", "Алин"):
        assert name not in text
    assert "ФИО не публикуется" in text
    assert "не публикуются" in text


def test_a_consenting_person_is_named_and_the_others_still_not(client):
    url, mentor, mentee = _pair_order()
    distribution_consent(mentor)

    text = client.get(url).text

    # The line naming the mentor alone is shown; the one naming the mentee too is not.
    assert "Наставнику Лебедевой И.В. провести открытый урок." in text
    assert "Лебедева Ирина Викторовна" in text  # the appendix
    assert "Смирнов" not in text
    assert "Закрепить наставником" not in text


def test_a_withdrawn_publication_consent_takes_the_name_off_the_cached_page(
    client, django_capture_on_commit_callbacks
):
    url, mentor, mentee = _pair_order()
    consent = distribution_consent(mentor)
    assert "Лебедева Ирина Викторовна" in client.get(url).text
    # Cached: asked again, the page is served as stored.
    assert "Лебедева Ирина Викторовна" in client.get(url).text

    with django_capture_on_commit_callbacks(execute=True):
        withdraw_consent(consent=consent, by=None)

    text = client.get(url).text
    assert "Лебедев" not in text
    organization_page = client.get(
        reverse("public:organization", args=[mentor.organization_id])
    ).text
    assert "Лебедев" not in organization_page


def test_an_expired_publication_consent_names_nobody(client):
    url, mentor, mentee = _pair_order()
    distribution_consent(mentor, expired=True)

    assert "Лебедев" not in client.get(url).text


def test_a_namesake_in_another_pair_does_not_reveal_the_unconsented(client):
    """The consenting mentor's own name is read first: her surname is not
    taken for the trace of someone without a consent."""
    url, mentor, mentee = _pair_order()
    distribution_consent(mentor)
    PersonFactory(
        organization=mentor.organization,
        last_name="Лебедева",
        first_name="Ольга",
        patronymic="Ивановна",
    )

    assert "Наставнику Лебедевой И.В. провести открытый урок." in client.get(url).text
