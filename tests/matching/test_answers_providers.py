"""The engine reads questionnaire answers only through registered providers
(mentoring.matching.providers): the surveys app registers its own, and
without any the engine matches on the banks' own fields."""

import pytest

from mentoring.matching.providers import (
    register_answers_provider,
    unregister_answers_provider,
)
from mentoring.matching.scoring import Weights
from mentoring.services.matching import run_matching
from surveys.selectors import profile_answers
from tests.factories import (
    MenteeProfileFactory,
    MentorProfileFactory,
    OrganizationFactory,
    UserFactory,
    fill_questionnaire,
    form,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def without_surveys():
    unregister_answers_provider(profile_answers)
    yield
    register_answers_provider(profile_answers)


def answered_school():
    """A mentor and a mentee who name the same difficulty only in questionnaires."""
    organization = OrganizationFactory()
    tt = form("teacher-teacher")
    mentor = MentorProfileFactory(
        person__organization=organization, forms=[tt], competencies="Подготовка к ЕГЭ"
    )
    mentee = MenteeProfileFactory(person__organization=organization, requests="")
    fill_questionnaire(
        "mentor-candidate",
        respondent=mentor.person,
        answers={"expertise": ["дисциплина на уроке"]},
    )
    fill_questionnaire(
        "mentee-request",
        respondent=mentee.person,
        answers={"difficulties": ["дисциплина на уроке"]},
    )
    return organization, tt, mentor, mentee


def explanation(organization, tt):
    curator = UserFactory(curator=True, organization=organization)
    run = run_matching(
        organization=organization, by=curator, forms=[tt], weights=Weights()
    )
    return run.suggestions.get().explanation


def test_the_surveys_provider_brings_the_questionnaire_answers():
    organization, tt, _, _ = answered_school()

    assert "совпадают запросы: дисциплина на уроке" in explanation(organization, tt)


def test_without_a_provider_the_engine_matches_on_the_banks_fields(without_surveys):
    organization, tt, _, _ = answered_school()

    found = explanation(organization, tt)

    assert "дисциплина на уроке" not in found


def test_answers_of_every_provider_join(without_surveys):
    organization, tt, mentor, mentee = answered_school()

    def district_survey(*, profiles):
        return {
            p: {"expertise": ["наставничество в классе"]}
            if p == mentor
            else {"request": "Наставничество в классе."}
            for p in profiles
        }

    register_answers_provider(district_survey)
    try:
        found = explanation(organization, tt)
    finally:
        unregister_answers_provider(district_survey)

    assert "совпадают запросы: наставничество в классе" in found
