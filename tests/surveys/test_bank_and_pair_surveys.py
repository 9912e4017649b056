"""Bank questionnaires for the matching engine; surveys about one's pair."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from surveys.models import Response
from surveys.selectors import profile_answers
from tests.factories import (
    MenteeProfileFactory,
    MentorProfileFactory,
    UserFactory,
    fill_questionnaire,
    questionnaire,
)


@pytest.mark.django_db
def test_profile_answers_give_each_profile_its_latest_answers_by_code(
    django_assert_num_queries,
):
    mentor = MentorProfileFactory()
    mentee = MenteeProfileFactory()
    silent = MentorProfileFactory()
    fill_questionnaire(
        "mentor-candidate",
        respondent=mentor.person,
        answers={"experience_years": 12, "expertise": ["работа с родителями"]},
        submitted_at=timezone.now() - datetime.timedelta(days=40),
    )
    fill_questionnaire(
        "mentor-candidate",
        respondent=mentor.person,
        answers={
            "experience_years": 13,
            "expertise": ["планирование уроков", "аттестация"],
            "ready": "да",
        },
    )
    fill_questionnaire(
        "mentee-request",
        respondent=mentee.person,
        answers={"difficulties": ["дисциплина на уроке"], "request": "Дисциплина"},
    )

    with django_assert_num_queries(4):
        found = profile_answers(profiles=[mentor, mentee, silent])

    assert found[mentor]["experience_years"] == 13
    assert found[mentor]["expertise"] == ["планирование уроков", "аттестация"]
    assert found[mentor]["ready"] == "да"
    assert found[mentee] == {
        "difficulties": ["дисциплина на уроке"],
        "desired_frequency": "раз в месяц",
        "request": "Дисциплина",
    }
    assert found[silent] == {}


@pytest.mark.django_db
def test_a_mentor_in_the_bank_answers_the_candidate_questionnaire(client):
    profile = MentorProfileFactory()
    profile.person.user = UserFactory()
    profile.person.save(update_fields=["user"])
    client.force_login(profile.person.user)
    form = questionnaire("mentor-candidate")
    dashboard = client.get(reverse("surveys:dashboard")).text
    url = reverse("surveys:answer", args=[form.pk])
    assert url in dashboard
    q = {x.code: x for x in client.get(url).context["form"].questions}

    response = client.post(
        url,
        {
            f"q{q['experience_years'].pk}": "abc",
            f"q{q['qualification'].pk}": "высшая",
        },
    )

    assert "Введите число." in response.text
    assert "Ответьте на вопрос «В чём вы готовы помогать»." in response.text
    assert not Response.objects.exists()


@pytest.mark.django_db
def test_mentee_answers_satisfaction_once_and_before_then_after(
    client, pair_with_logins
):
    unit = pair_with_logins()
    client.force_login(unit.mentee.user)
    satisfaction = questionnaire("satisfaction-mentee")
    impact = questionnaire("impact-teacher")
    dashboard = client.get(reverse("surveys:dashboard")).text
    before_url = (
        reverse("surveys:answer", args=[impact.pk])
        + f"?pair={unit.pair.pk}&amp;moment=before"
    )
    assert before_url in dashboard

    def answers(form, value):
        return {
            f"q{q.pk}": value if q.kind == "scale" else (q.choices or ["1"])[0]
            for q in form.versions.get().questions.all()
            if q.is_required
        }

    sat_url = (
        reverse("surveys:answer", args=[satisfaction.pk]) + f"?pair={unit.pair.pk}"
    )
    client.post(sat_url, answers(satisfaction, "8"))
    again = client.post(sat_url, answers(satisfaction, "2"))
    assert "Вы уже ответили на эту анкету об этой паре." in again.text

    base = reverse("surveys:answer", args=[impact.pk]) + f"?pair={unit.pair.pk}"
    client.post(base + "&moment=before", answers(impact, "4"))
    dashboard = client.get(reverse("surveys:dashboard")).text
    assert "Итоговая анкета" in dashboard and "Входная анкета" not in dashboard
    client.post(base + "&moment=after", answers(impact, "7"))

    moments = Response.objects.filter(questionnaire=impact).values_list(
        "moment", flat=True
    )
    assert sorted(moments) == ["after", "before"]
    assert Response.objects.filter(questionnaire=satisfaction).count() == 1


@pytest.mark.django_db
def test_surveys_about_someone_elses_pair_are_not_found(client, pair_with_logins):
    unit = pair_with_logins()
    other = pair_with_logins(organization=unit.pair.organization)
    client.force_login(unit.mentee.user)
    url = reverse("surveys:answer", args=[questionnaire("satisfaction-mentee").pk])

    assert client.get(url + f"?pair={other.pair.pk}").status_code == 404
    assert "открывают из карточки пары" in client.get(url, follow=True).text


@pytest.mark.django_db
def test_a_mentee_cannot_fill_the_mentors_form_about_their_pair():
    from django.core.exceptions import ValidationError

    from mentoring.models import Participation
    from tests.factories import PairFactory

    pair = PairFactory(active=True)
    mentee = pair.participations.get(role=Participation.Role.MENTEE).person
    with pytest.raises(ValidationError) as error:
        fill_questionnaire("satisfaction-mentor", respondent=mentee, pair=pair)
    assert "Эту анкету заполняет наставник пары." in str(error.value)
    assert not Response.objects.exists()
