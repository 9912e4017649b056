"""A suspended pair's page offers nothing the services would refuse."""

import pytest
from django.urls import reverse

from mentoring import services
from mentoring.models import Consent, Participation
from tests.factories import (
    MeetingFactory,
    PairFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def pair_with_logins(*, suspended):
    pair = PairFactory(active=True)
    people = {p.role: p.person for p in pair.participations.all()}
    for person in people.values():
        person.user = UserFactory()
        person.save(update_fields=["user"])
    MeetingFactory(pair=pair)  # held, feedback owed
    if suspended:
        mentee = people[Participation.Role.MENTEE]
        services.withdraw_consent(
            consent=mentee.consents.get(kind=Consent.Kind.PERSONAL_DATA),
            by=UserFactory(curator=True, organization=pair.organization),
        )
    return pair, people[Participation.Role.MENTOR], people[Participation.Role.MENTEE]


@pytest.mark.parametrize("suspended", [False, True])
def test_the_mentor_is_offered_the_meeting_form_only_while_the_pair_works(
    client, suspended
):
    pair, mentor, mentee = pair_with_logins(suspended=suspended)
    client.force_login(mentor.user)
    page = client.get(reverse("surveys:pair", args=[pair.pk])).text
    offered = reverse("surveys:meeting-new", args=[pair.pk]) in page
    assert offered is not suspended
    assert ("Заполнить обратную связь" in page) is not suspended
    assert ("Работа пары/группы приостановлена" in page) is suspended


def test_the_mentee_of_a_suspended_pair_is_told_why_no_feedback_is_asked(client):
    pair, mentor, mentee = pair_with_logins(suspended=True)
    client.force_login(mentee.user)
    page = client.get(reverse("surveys:pair", args=[pair.pk])).text
    assert "Работа пары/группы приостановлена" in page
    assert "Заполнить обратную связь" not in page


def test_no_questionnaire_is_offered_about_a_suspended_pair(client):
    pair, mentor, mentee = pair_with_logins(suspended=True)
    working, *_ = pair_with_logins(suspended=False)
    working.participations.filter(role=Participation.Role.MENTOR).update(person=mentor)
    client.force_login(mentor.user)
    page = client.get(reverse("surveys:dashboard")).text
    assert page.count("Анкета удовлетворённости") == 1
    assert f"pair={working.pk}" in page and f"pair={pair.pk}" not in page


def test_a_person_whose_consent_ended_is_offered_nothing_and_told_why(client):
    pair, mentor, mentee = pair_with_logins(suspended=True)
    assert mentee.mentee_profile  # a bank entry: its questionnaire was offered
    client.force_login(mentee.user)
    page = client.get(reverse("surveys:dashboard")).text
    assert "Ваше согласие на обработку персональных данных не действует" in page
    questionnaires = reverse("surveys:answer", args=[0]).removesuffix("0/")
    assert questionnaires not in page
