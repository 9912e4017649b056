"""The mentor's and the mentee's feedback after a meeting."""

import datetime
import re

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from mentoring.models import Meeting
from surveys.models import Response
from surveys.services import submit_response
from tests.factories import MeetingFactory, UserFactory, questionnaire


def _mentor_answers(meeting, **overrides):
    version = questionnaire("meeting-feedback-mentor").versions.get()
    q = {x.code: x for x in version.questions.all()}
    data = {
        f"q{q['goal_reached'].pk}": "8",
        f"q{q['done'].pk}": "Разобрали технологическую карту урока",
        f"q{q['next_steps'].pk}": "Провести урок по карте",
        f"q{q['curator_help'].pk}": "нет",
    }
    for code, value in overrides.items():
        data[f"q{q[code].pk}"] = value
    return data


@pytest.mark.django_db
def test_mentor_fills_the_feedback_and_it_is_no_longer_owed(client, pair_with_logins):
    unit = pair_with_logins()
    meeting = MeetingFactory(pair=unit.pair, topic="Разбор открытого урока")
    client.force_login(unit.mentor.user)
    dashboard = client.get(reverse("surveys:dashboard"))
    assert "Нужна обратная связь" in dashboard.text
    assert reverse("surveys:feedback", args=[meeting.pk]) in dashboard.text

    response = client.post(
        reverse("surveys:feedback", args=[meeting.pk]),
        _mentor_answers(meeting),
        follow=True,
    )

    assert "Спасибо! Обратная связь сохранена." in response.text
    assert "Нужна обратная связь" not in response.text
    saved = Response.objects.get(meeting=meeting)
    assert saved.respondent == unit.mentor
    values = {a.question.code: a.value for a in saved.answers.all()}
    assert values["goal_reached"] == 8
    assert values["curator_help"] == "нет"


@pytest.mark.django_db
def test_mentee_answers_their_own_part_of_the_feedback(client, pair_with_logins):
    unit = pair_with_logins()
    meeting = MeetingFactory(pair=unit.pair)
    client.force_login(unit.mentee.user)
    page = client.get(reverse("surveys:feedback", args=[meeting.pk]))
    assert "Обратная связь после встречи (наставляемый)" in page.text
    _one_form_one_token(page.text)
    q = {x.code: x for x in page.context["form"].questions}

    client.post(
        reverse("surveys:feedback", args=[meeting.pk]),
        {
            f"q{q['usefulness'].pk}": "9",
            f"q{q['comfort'].pk}": "10",
            f"q{q['next_steps_clear'].pk}": "да",
        },
    )

    saved = Response.objects.get(meeting=meeting)
    assert saved.questionnaire.code == "meeting-feedback-mentee"
    assert saved.respondent == unit.mentee


@pytest.mark.django_db
def test_a_missing_required_answer_is_named_and_nothing_is_saved(
    client, pair_with_logins
):
    unit = pair_with_logins()
    meeting = MeetingFactory(pair=unit.pair)
    client.force_login(unit.mentor.user)

    response = client.post(
        reverse("surveys:feedback", args=[meeting.pk]),
        _mentor_answers(meeting, next_steps=""),
    )

    assert "Ответьте на вопрос «О каких следующих шагах договорились»." in response.text
    assert not Response.objects.exists()
    # Shown again by crispy, as the empty form is by surveys/form_markup.py.
    _one_form_one_token(response.text)


def _one_form_one_token(page: str) -> None:
    """The answers' form is one <form> with one CSRF input: not crispy's
    own form and token nested inside the page's."""
    start = page.index('<form method="post" novalidate>')
    form = page[start : page.index("</form>", start)]
    assert form.count("<form") == 1
    assert form.count("csrfmiddlewaretoken") == 1
    assert 'name="send"' in form


@pytest.mark.django_db
def test_a_scale_answer_out_of_range_is_refused(client, pair_with_logins):
    unit = pair_with_logins()
    meeting = MeetingFactory(pair=unit.pair)
    client.force_login(unit.mentor.user)

    response = client.post(
        reverse("surveys:feedback", args=[meeting.pk]),
        _mentor_answers(meeting, goal_reached="11"),
    )

    assert "Оценка — целое число от 1 до 10." in response.text
    assert not Response.objects.exists()


@pytest.mark.django_db
def test_a_second_submission_of_the_same_feedback_is_refused(client, pair_with_logins):
    unit = pair_with_logins()
    meeting = MeetingFactory(pair=unit.pair)
    client.force_login(unit.mentor.user)
    url = reverse("surveys:feedback", args=[meeting.pk])
    client.post(url, _mentor_answers(meeting))

    again = client.post(url, _mentor_answers(meeting, goal_reached="2"), follow=True)

    assert "Обратная связь по этой встрече уже заполнена." in again.text
    assert Response.objects.get().answers.get(question__code="goal_reached").value == 8
    with pytest.raises(ValidationError) as error:
        submit_response(
            questionnaire=questionnaire("meeting-feedback-mentor"),
            respondent=unit.mentor,
            raw={},
            by=None,
            meeting=meeting,
        )
    assert error.value.code == "duplicate"


@pytest.mark.django_db
def test_feedback_for_someone_elses_meeting_is_not_found(client, pair_with_logins):
    unit = pair_with_logins()
    neighbours = pair_with_logins(organization=unit.pair.organization)
    other_school = pair_with_logins()
    client.force_login(unit.mentor.user)

    for meeting in (
        MeetingFactory(pair=neighbours.pair),
        MeetingFactory(pair=other_school.pair),
    ):
        url = reverse("surveys:feedback", args=[meeting.pk])
        assert client.get(url).status_code == 404
        assert client.post(url, _mentor_answers(meeting)).status_code == 404
    assert not Response.objects.exists()


@pytest.mark.django_db
def test_feedback_is_not_due_before_the_meeting(client, pair_with_logins):
    unit = pair_with_logins()
    meeting = MeetingFactory(
        pair=unit.pair,
        starts_at=timezone.now() + datetime.timedelta(days=2),
        status=Meeting.Status.PLANNED,
    )
    client.force_login(unit.mentor.user)

    response = client.get(reverse("surveys:feedback", args=[meeting.pk]), follow=True)

    assert "Обратную связь заполняют после встречи." in response.text


@pytest.mark.django_db
def test_curator_sees_meetings_without_feedback_per_mentor(client, pair_with_logins):
    unit = pair_with_logins()
    owed = MeetingFactory(pair=unit.pair, topic="Анализ контрольной работы")
    answered = MeetingFactory(pair=unit.pair, topic="Подготовка к родительскому")
    submit_response(
        questionnaire=questionnaire("meeting-feedback-mentor"),
        respondent=unit.mentor,
        raw={
            q.pk: {"scale": 7, "single": "нет"}.get(q.kind, "текст")
            for q in questionnaire("meeting-feedback-mentor")
            .versions.get()
            .questions.all()
        },
        by=None,
        meeting=answered,
    )
    MeetingFactory(pair=pair_with_logins().pair, topic="Чужая школа")
    curator = UserFactory(curator=True, organization=unit.pair.organization)
    client.force_login(curator)

    page = client.get(reverse("surveys:feedback-owed")).text

    assert unit.mentor.full_name in page
    assert owed.topic in page
    assert answered.topic not in page
    assert "Чужая школа" not in page


@pytest.mark.django_db
def test_participants_do_not_open_the_curators_feedback_page(client, pair_with_logins):
    unit = pair_with_logins()
    client.force_login(unit.mentor.user)

    assert client.get(reverse("surveys:feedback-owed")).status_code == 404


@pytest.mark.django_db
def test_a_feedback_post_does_not_ask_again_for_rows_it_holds(client, pair_with_logins):
    """full_clean() asked whether each referenced row (questionnaire, version,
    organization, person, meeting, pair, user) exists: seven queries of a post's
    forty, for rows the service had just read or locked."""
    unit = pair_with_logins()
    meeting = MeetingFactory(pair=unit.pair)
    client.force_login(unit.mentor.user)
    url = reverse("surveys:feedback", args=[meeting.pk])
    client.get(url)
    answers = _mentor_answers(meeting)

    with CaptureQueriesContext(connection) as queries:
        response = client.post(url, answers)

    assert response.status_code == 302
    assert Response.objects.filter(meeting=meeting).count() == 1
    by_primary_key = re.compile(r'^SELECT 1 AS "a" FROM "(\w+)" WHERE "\1"."id" = ')
    asked = [q["sql"] for q in queries.captured_queries]
    assert not [sql for sql in asked if by_primary_key.match(sql)]
    # 44 statements here before (the seven above, the meeting's pair read
    # apart from it, the respondent's place in the pair asked twice, their
    # organization read for the audit entry); 34, then 28 without the
    # constraints validated again after the service's own duplicate checks.
    assert len(asked) <= 28
    assert not [sql for sql in asked if "_check" in sql]
