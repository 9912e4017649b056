"""The meeting admin and the pair page's meetings go through the meeting services."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from mentoring.models import AuditEntry, Meeting, Participation
from tests.factories import (
    MeetingFactory,
    PairFactory,
    UserFactory,
    fill_questionnaire,
)
from tests.mentoring.admin_helpers import admin_form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def curator(client):
    user = UserFactory(curator=True)
    client.force_login(user)
    return user


def _change_url(meeting):
    return reverse("admin:mentoring_meeting_change", args=[meeting.pk])


def _when(moment):
    local = timezone.localtime(moment)
    return {"starts_at_0": f"{local:%d.%m.%Y}", "starts_at_1": f"{local:%H:%M:%S}"}


def _post_change(client, meeting, **changes):
    page = client.get(_change_url(meeting))
    return client.post(_change_url(meeting), admin_form_data(page, **changes))


def _meeting_audit():
    return AuditEntry.objects.filter(action__startswith="meeting.")


def _snapshot(meeting):
    meeting = Meeting.objects.get(pk=meeting.pk)
    return (meeting.kind, meeting.starts_at, meeting.topic, meeting.status)


def test_after_feedback_the_admin_keeps_the_date_kind_and_status(client, curator):
    meeting = MeetingFactory(pair__organization=curator.organization)
    mentor = meeting.pair.participations.get(role=Participation.Role.MENTOR).person
    fill_questionnaire("meeting-feedback-mentor", respondent=mentor, meeting=meeting)
    before = _snapshot(meeting)

    response = _post_change(
        client,
        meeting,
        kind=Meeting.Kind.FINAL,
        status=Meeting.Status.CANCELLED,  # forged: the form has no such field
        **_when(timezone.now().replace(year=2030)),
    )

    assert response.status_code == 200
    assert "По встрече уже есть обратная связь" in response.text
    assert _snapshot(meeting) == before
    assert not _meeting_audit().exists()


def test_a_forged_status_changes_nothing_but_the_edit_is_audited(client, curator):
    meeting = MeetingFactory(pair__organization=curator.organization)

    response = _post_change(
        client, meeting, topic="Разбор урока", status=Meeting.Status.CANCELLED
    )

    assert response.status_code == 302
    meeting.refresh_from_db()
    assert (meeting.topic, meeting.status) == ("Разбор урока", Meeting.Status.HELD)
    entry = _meeting_audit().get()
    assert (entry.action, entry.actor) == ("meeting.updated", curator)


@pytest.mark.parametrize(
    ("meeting_fields", "changes", "message"),
    [
        (
            {"status": Meeting.Status.CANCELLED},
            {"topic": "Другое"},
            "Несостоявшуюся встречу не изменяют.",
        ),
        (
            {},
            _when(timezone.now() + datetime.timedelta(days=1)),
            "Проведённую встречу нельзя перенести в будущее.",
        ),
        (
            {
                "status": Meeting.Status.PLANNED,
                "starts_at": timezone.now() + datetime.timedelta(days=2),
            },
            {"outcome": "Заранее"},
            "Итог записывают, когда встреча прошла.",
        ),
    ],
)
def test_the_admin_refuses_what_the_edit_service_refuses(
    client, curator, meeting_fields, changes, message
):
    meeting = MeetingFactory(pair__organization=curator.organization, **meeting_fields)
    before = _snapshot(meeting)

    response = _post_change(client, meeting, **changes)

    assert response.status_code == 200
    assert message in response.text
    assert _snapshot(meeting) == before
    assert not _meeting_audit().exists()


def test_postponing_a_planned_meeting_of_a_draft_pair_is_refused(client, curator):
    pair = PairFactory(organization=curator.organization)
    meeting = MeetingFactory(
        pair=pair,
        status=Meeting.Status.PLANNED,
        starts_at=timezone.now() + datetime.timedelta(days=2),
    )

    response = _post_change(
        client, meeting, **_when(timezone.now() + datetime.timedelta(days=9))
    )

    assert "Встречи планируют только утверждённые и действующие пары." in (
        response.text
    )
    assert not _meeting_audit().exists()


def test_the_second_of_two_curators_editing_a_meeting_is_refused(client, curator):
    meeting = MeetingFactory(pair__organization=curator.organization)
    first_page = client.get(_change_url(meeting))
    colleague = UserFactory(curator=True, organization=curator.organization)
    other = client.__class__()
    other.force_login(colleague)
    second_page = other.get(_change_url(meeting))

    saved = other.post(
        _change_url(meeting), admin_form_data(second_page, topic="Тема коллеги")
    )
    late = client.post(
        _change_url(meeting), admin_form_data(first_page, topic="Моя тема")
    )

    assert saved.status_code == 302
    assert late.status_code == 200
    assert "Встречу уже изменил другой пользователь" in late.text
    meeting.refresh_from_db()
    assert meeting.topic == "Тема коллеги"
    assert list(_meeting_audit().values_list("actor", flat=True)) == [colleague.pk]


def _add_data(pair, moment, **extra):
    return {
        "pair": pair.pk,
        "kind": Meeting.Kind.REGULAR,
        **_when(moment),
        "duration_minutes": "45",
        "format": Meeting.Format.IN_PERSON,
        "topic": "Планирование уроков",
        "outcome": "",
        **extra,
    }


def test_the_add_page_does_not_log_a_meeting_of_a_draft_pair(client, curator):
    pair = PairFactory(organization=curator.organization)
    next_year = timezone.now() + datetime.timedelta(days=365)

    response = client.post(
        reverse("admin:mentoring_meeting_add"),
        _add_data(pair, next_year, status=Meeting.Status.HELD),
    )

    assert response.status_code == 200
    assert "Встречи планируют только утверждённые и действующие пары." in (
        response.text
    )
    assert not Meeting.objects.exists()
    assert not _meeting_audit().exists()


def test_the_add_page_plans_a_future_meeting_whatever_status_is_posted(client, curator):
    pair = PairFactory(organization=curator.organization, active=True)
    next_week = timezone.now() + datetime.timedelta(days=7)

    response = client.post(
        reverse("admin:mentoring_meeting_add"),
        _add_data(pair, next_week, status=Meeting.Status.HELD, outcome="Заранее"),
    )

    assert response.status_code == 302
    meeting = Meeting.objects.get()
    assert (meeting.status, meeting.outcome) == (Meeting.Status.PLANNED, "")
    assert _meeting_audit().get().action == "meeting.planned"


def test_cancelling_from_the_list_goes_through_the_service(client, curator):
    meeting = MeetingFactory(pair__organization=curator.organization)
    url = reverse("admin:mentoring_meeting_changelist")

    first = client.post(
        url, {"action": "cancel", "_selected_action": [meeting.pk]}, follow=True
    )
    again = client.post(
        url, {"action": "cancel", "_selected_action": [meeting.pk]}, follow=True
    )

    assert "Отмечено несостоявшихся встреч: 1." in first.text
    assert "Встреча уже отмечена как несостоявшаяся." in again.text
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.CANCELLED
    assert _meeting_audit().get().action == "meeting.cancelled"


def test_the_curator_cannot_delete_a_meeting(client, curator):
    meeting = MeetingFactory(pair__organization=curator.organization)
    url = reverse("admin:mentoring_meeting_delete", args=[meeting.pk])
    assert client.post(url, {"post": "yes"}).status_code == 403
    assert Meeting.objects.filter(pk=meeting.pk).exists()


def _pair_page_data(client, pair, moment, **changes):
    url = reverse("admin:mentoring_pair_change", args=[pair.pk])
    page = client.get(url)
    data = admin_form_data(page, **changes)
    local = timezone.localtime(moment)
    new = {
        "kind": Meeting.Kind.REGULAR,
        "starts_at_0": f"{local:%d.%m.%Y}",
        "starts_at_1": f"{local:%H:%M:%S}",
        "duration_minutes": "45",
        "format": Meeting.Format.IN_PERSON,
        "topic": "Новая встреча",
    }
    index = int(data["meetings-TOTAL_FORMS"])
    data["meetings-TOTAL_FORMS"] = str(index + 1)
    data.update({f"meetings-{index}-{k}": v for k, v in new.items()})
    return url, data


def test_the_pair_page_plans_meetings_through_the_service(client, curator):
    pair = PairFactory(organization=curator.organization, active=True)
    held = MeetingFactory(pair=pair)
    url, data = _pair_page_data(
        client,
        pair,
        timezone.now() + datetime.timedelta(days=3),
        **{"meetings-0-status": Meeting.Status.CANCELLED},  # forged
    )

    response = client.post(url, data)

    assert response.status_code == 302
    planned = Meeting.objects.exclude(pk=held.pk).get()
    assert planned.status == Meeting.Status.PLANNED
    held.refresh_from_db()
    assert held.status == Meeting.Status.HELD
    assert _meeting_audit().get().action == "meeting.planned"


def test_the_pair_page_refuses_a_meeting_for_a_draft_pair(client, curator):
    pair = PairFactory(organization=curator.organization)
    url, data = _pair_page_data(
        client, pair, timezone.now() + datetime.timedelta(days=300)
    )

    response = client.post(url, data)

    assert response.status_code == 200
    assert "Встречи планируют только утверждённые и действующие пары." in (
        response.text
    )
    assert not Meeting.objects.exists()
    assert not _meeting_audit().exists()


def test_a_meeting_with_feedback_is_not_marked_as_not_held(client, curator):
    meeting = MeetingFactory(pair__organization=curator.organization)
    mentor = meeting.pair.participations.get(role=Participation.Role.MENTOR).person
    fill_questionnaire("meeting-feedback-mentor", respondent=mentor, meeting=meeting)
    before = _snapshot(meeting)

    response = client.post(
        reverse("admin:mentoring_meeting_changelist"),
        {"action": "cancel", "_selected_action": [meeting.pk]},
        follow=True,
    )

    assert "уже есть обратная связь: она состоялась" in response.text
    assert "Отмечено несостоявшихся" not in response.text
    assert _snapshot(meeting) == before
    assert not _meeting_audit().exists()
