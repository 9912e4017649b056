"""The mentor changes a meeting: postpones it, corrects it, writes its outcome."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from mentoring.models import AuditEntry, Meeting
from mentoring.services.meetings import update_meeting
from surveys.services import submit_response
from tests.factories import MeetingFactory, UserFactory, questionnaire


def _local(moment: datetime.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def _form(meeting, **fields):
    return {
        "kind": meeting.kind,
        "starts_at": _local(meeting.starts_at),
        "duration_minutes": str(meeting.duration_minutes),
        "format": meeting.format,
        "topic": meeting.topic,
        "outcome": meeting.outcome,
        **fields,
    }


def _edit(meeting, by, **changes):
    fields = {
        name: getattr(meeting, name)
        for name in (
            "kind",
            "starts_at",
            "topic",
            "outcome",
            "duration_minutes",
            "format",
        )
    }
    return update_meeting(meeting=meeting, by=by, **{**fields, **changes})


def _give_feedback(meeting, mentor):
    version = questionnaire("meeting-feedback-mentor").versions.get()
    q = {x.code: x for x in version.questions.all()}
    submit_response(
        questionnaire=version.questionnaire,
        respondent=mentor,
        raw={
            q["goal_reached"].pk: 8,
            q["done"].pk: "Разобрали урок",
            q["next_steps"].pk: "Провести урок",
            q["curator_help"].pk: "нет",
        },
        by=mentor.user,
        meeting=meeting,
    )


@pytest.mark.django_db
def test_mentor_writes_the_outcome_of_a_held_meeting(client, pair_with_logins):
    unit = pair_with_logins()
    meeting = MeetingFactory(pair=unit.pair)
    client.force_login(unit.mentor.user)
    pair_page = client.get(reverse("surveys:pair", args=[unit.pair.pk])).text
    edit_url = reverse("surveys:meeting-edit", args=[meeting.pk])
    assert edit_url in pair_page
    assert "Разбор открытого урока" in client.get(edit_url).text  # prefilled

    response = client.post(
        edit_url, _form(meeting, outcome="Составили план урока"), follow=True
    )

    assert "Встреча сохранена" in response.text
    assert "Составили план урока" in response.text
    meeting.refresh_from_db()
    assert meeting.outcome == "Составили план урока"
    assert meeting.status == Meeting.Status.HELD
    entry = AuditEntry.objects.get(action="meeting.updated")
    assert entry.actor == unit.mentor.user
    assert entry.data == {"fields": ["outcome"]}


@pytest.mark.django_db
def test_postponing_a_planned_meeting_keeps_it_planned_and_says_from_when(
    client, pair_with_logins
):
    unit = pair_with_logins()
    old = timezone.now() + datetime.timedelta(days=2)
    meeting = MeetingFactory(
        pair=unit.pair, starts_at=old, status=Meeting.Status.PLANNED
    )
    new = old + datetime.timedelta(days=5)
    client.force_login(unit.mentor.user)

    client.post(
        reverse("surveys:meeting-edit", args=[meeting.pk]),
        _form(meeting, starts_at=_local(new)),
    )

    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.PLANNED
    assert _local(meeting.starts_at) == _local(new)
    entry = AuditEntry.objects.get(action="meeting.postponed")
    assert (
        f"перенесена с {timezone.localtime(old):%d.%m.%Y %H:%M} "
        f"на {timezone.localtime(new):%d.%m.%Y %H:%M}"
    ) in entry.message


@pytest.mark.django_db
def test_a_mentee_has_no_edit_button_and_the_page_is_forbidden(
    client, pair_with_logins
):
    unit = pair_with_logins()
    meeting = MeetingFactory(pair=unit.pair)
    client.force_login(unit.mentee.user)
    edit_url = reverse("surveys:meeting-edit", args=[meeting.pk])

    assert edit_url not in client.get(reverse("surveys:pair", args=[unit.pair.pk])).text
    # She sees the meeting on the pair's page: forbidden, not "not found".
    assert client.get(edit_url).status_code == 403
    assert client.post(edit_url, _form(meeting, topic="Другое")).status_code == 403
    meeting.refresh_from_db()
    assert meeting.topic == "Разбор открытого урока"
    with pytest.raises(ValidationError) as error:
        _edit(meeting, unit.mentee.user, topic="Другое")
    assert error.value.code == "not_mentor"


@pytest.mark.django_db
def test_another_pairs_meeting_is_not_found(client, pair_with_logins):
    unit = pair_with_logins()
    other = pair_with_logins(organization=unit.pair.organization)
    meeting = MeetingFactory(pair=other.pair)
    client.force_login(unit.mentor.user)

    response = client.post(
        reverse("surveys:meeting-edit", args=[meeting.pk]),
        _form(meeting, topic="Чужая"),
    )

    assert response.status_code == 404
    meeting.refresh_from_db()
    assert meeting.topic == "Разбор открытого урока"


@pytest.mark.django_db
def test_the_curator_may_correct_a_meeting_but_not_another_schools(pair_with_logins):
    unit = pair_with_logins()
    meeting = MeetingFactory(pair=unit.pair)
    curator = UserFactory(curator=True, organization=unit.pair.organization)
    stranger = UserFactory(curator=True)

    _edit(meeting, curator, topic="Разбор урока литературы")

    meeting.refresh_from_db()
    assert meeting.topic == "Разбор урока литературы"
    with pytest.raises(ValidationError):
        _edit(meeting, stranger, topic="Чужая")


@pytest.mark.django_db
def test_a_cancelled_meeting_is_not_edited(client, pair_with_logins):
    unit = pair_with_logins()
    meeting = MeetingFactory(pair=unit.pair, status=Meeting.Status.CANCELLED)
    client.force_login(unit.mentor.user)
    edit_url = reverse("surveys:meeting-edit", args=[meeting.pk])
    assert edit_url not in client.get(reverse("surveys:pair", args=[unit.pair.pk])).text

    response = client.post(edit_url, _form(meeting, topic="Другое"), follow=True)

    assert "Несостоявшуюся встречу не изменяют." in response.text
    with pytest.raises(ValidationError) as error:
        _edit(meeting, unit.mentor.user, topic="Другое")
    assert error.value.code == "cancelled"
    meeting.refresh_from_db()
    assert meeting.topic == "Разбор открытого урока"
    assert not AuditEntry.objects.filter(action__startswith="meeting.").exists()


@pytest.mark.django_db
def test_a_held_meeting_is_not_moved_into_the_future(client, pair_with_logins):
    unit = pair_with_logins()
    meeting = MeetingFactory(pair=unit.pair)
    held_at = meeting.starts_at
    client.force_login(unit.mentor.user)

    response = client.post(
        reverse("surveys:meeting-edit", args=[meeting.pk]),
        _form(meeting, starts_at=_local(timezone.now() + datetime.timedelta(days=1))),
    )

    assert "Проведённую встречу нельзя перенести в будущее." in response.text
    meeting.refresh_from_db()
    assert meeting.starts_at == held_at
    earlier = held_at - datetime.timedelta(days=1)
    assert _edit(meeting, unit.mentor.user, starts_at=earlier).starts_at == earlier


@pytest.mark.django_db
def test_after_feedback_the_date_and_kind_are_frozen_but_the_outcome_is_not(
    client, pair_with_logins
):
    unit = pair_with_logins()
    meeting = MeetingFactory(pair=unit.pair)
    _give_feedback(meeting, unit.mentor)
    held_at = meeting.starts_at
    client.force_login(unit.mentor.user)
    edit_url = reverse("surveys:meeting-edit", args=[meeting.pk])
    assert "дата и вид встречи закреплены" in client.get(edit_url).text

    # Disabled fields keep their values whatever is posted.
    client.post(
        edit_url,
        _form(
            meeting,
            kind=Meeting.Kind.FINAL,
            starts_at=_local(held_at - datetime.timedelta(days=2)),
            outcome="Урок проведён",
        ),
    )

    meeting.refresh_from_db()
    assert (meeting.kind, meeting.starts_at) == (Meeting.Kind.REGULAR, held_at)
    assert meeting.outcome == "Урок проведён"
    for change in (
        {"kind": Meeting.Kind.FINAL},
        {"starts_at": held_at - datetime.timedelta(days=2)},
    ):
        with pytest.raises(ValidationError) as error:
            _edit(meeting, unit.mentor.user, **change)
        assert error.value.code == "feedback_given"


@pytest.mark.django_db
def test_an_outcome_is_not_written_before_the_meeting(pair_with_logins):
    unit = pair_with_logins()
    meeting = MeetingFactory(
        pair=unit.pair,
        starts_at=timezone.now() + datetime.timedelta(days=2),
        status=Meeting.Status.PLANNED,
    )

    with pytest.raises(ValidationError) as error:
        _edit(meeting, unit.mentor.user, outcome="Заранее")

    assert error.value.code == "outcome_too_early"


@pytest.mark.django_db
def test_pair_page_queries_do_not_grow_with_meetings(
    client, pair_with_logins, django_assert_num_queries
):
    unit = pair_with_logins()
    MeetingFactory.create_batch(2, pair=unit.pair)
    client.force_login(unit.mentor.user)
    url = reverse("surveys:pair", args=[unit.pair.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as with_two:
        client.get(url)

    MeetingFactory.create_batch(18, pair=unit.pair)
    with django_assert_num_queries(len(with_two.captured_queries)):
        response = client.get(url)
    assert response.text.count("/edit/") == 20
