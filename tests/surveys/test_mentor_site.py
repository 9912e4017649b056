"""The mentor's site: pairs and groups, meetings, the calendar."""

import datetime

import icalendar
import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from mentoring.models import Meeting, Participation
from mentoring.services.meetings import plan_meeting
from tests.factories import (
    MeetingFactory,
    MenteeProfileFactory,
    PairFactory,
    ProgramFactory,
    ProgramItemFactory,
)


def _local(days: int) -> str:
    moment = timezone.localtime() + datetime.timedelta(days=days)
    return moment.strftime("%Y-%m-%dT%H:%M")


def _meeting_form(days: int, **fields):
    return {
        "kind": Meeting.Kind.REGULAR,
        "starts_at": _local(days),
        "duration_minutes": "45",
        "format": Meeting.Format.IN_PERSON,
        "topic": "Подготовка к открытому уроку",
        "outcome": "",
        **fields,
    }


@pytest.mark.django_db
def test_mentor_plans_a_meeting_and_the_dashboard_shows_it_next(
    client, pair_with_logins
):
    unit = pair_with_logins()
    client.force_login(unit.mentor.user)

    response = client.post(
        reverse("surveys:meeting-new", args=[unit.pair.pk]),
        _meeting_form(3),
        follow=True,
    )

    assert "Встреча внесена" in response.text
    meeting = unit.pair.meetings.get()
    assert meeting.status == Meeting.Status.PLANNED
    dashboard = client.get(reverse("surveys:dashboard")).text
    assert "Подготовка к открытому уроку" in dashboard
    assert "Нужна обратная связь" not in dashboard


@pytest.mark.django_db
def test_a_meeting_logged_after_it_happened_is_held_and_owes_feedback(
    client, pair_with_logins
):
    unit = pair_with_logins()
    client.force_login(unit.mentor.user)

    client.post(
        reverse("surveys:meeting-new", args=[unit.pair.pk]),
        _meeting_form(-1, kind=Meeting.Kind.ORGANIZATIONAL, outcome="Познакомились"),
    )

    meeting = unit.pair.meetings.get()
    assert meeting.status == Meeting.Status.HELD
    assert meeting.outcome == "Познакомились"
    dashboard = client.get(reverse("surveys:dashboard")).text
    assert reverse("surveys:feedback", args=[meeting.pk]) in dashboard


@pytest.mark.django_db
def test_a_mentee_cannot_plan_the_pairs_meetings(client, pair_with_logins):
    unit = pair_with_logins()
    client.force_login(unit.mentee.user)
    url = reverse("surveys:meeting-new", args=[unit.pair.pk])

    # She sees the pair, so the page is forbidden rather than not found.
    assert client.get(url).status_code == 403
    assert client.post(url, _meeting_form(3)).status_code == 403
    assert not unit.pair.meetings.exists()
    with pytest.raises(ValidationError, match="Встречи пары планирует её наставник."):
        plan_meeting(
            pair=unit.pair,
            by=unit.mentee.user,
            kind=Meeting.Kind.REGULAR,
            starts_at=timezone.now() + datetime.timedelta(days=3),
            topic="Своя встреча",
        )


@pytest.mark.django_db
def test_a_mentor_cannot_plan_meetings_of_another_pair(client, pair_with_logins):
    unit = pair_with_logins()
    other = pair_with_logins(organization=unit.pair.organization)
    client.force_login(unit.mentor.user)

    response = client.post(
        reverse("surveys:meeting-new", args=[other.pair.pk]), _meeting_form(3)
    )

    assert response.status_code == 404
    assert client.get(reverse("surveys:pair", args=[other.pair.pk])).status_code == 404


@pytest.mark.django_db
def test_a_meeting_without_a_topic_is_refused(client, pair_with_logins):
    unit = pair_with_logins()
    client.force_login(unit.mentor.user)

    response = client.post(
        reverse("surveys:meeting-new", args=[unit.pair.pk]), _meeting_form(3, topic="")
    )

    assert "Обязательное поле." in response.text
    assert not unit.pair.meetings.exists()


@pytest.mark.django_db
def test_dashboard_shows_the_programs_progress(client, pair_with_logins):
    unit = pair_with_logins()
    program = ProgramFactory(pair=unit.pair)
    ProgramItemFactory(program=program, status="done", done_on=timezone.localdate())
    ProgramItemFactory.create_batch(2, program=program)
    client.force_login(unit.mentee.user)

    page = client.get(reverse("surveys:dashboard")).text

    assert "выполнено 1 из 3" in page
    assert "Ваша роль: наставляемый" in page


def _add_pairs(mentor, count):
    for _ in range(count):
        pair = PairFactory(organization=mentor.organization, active=True, people=False)
        Participation.objects.create(
            pair=pair, person=mentor, role=Participation.Role.MENTOR
        )
        mentee = MenteeProfileFactory(person__organization=mentor.organization).person
        Participation.objects.create(
            pair=pair, person=mentee, role=Participation.Role.MENTEE
        )
        ProgramItemFactory(program=ProgramFactory(pair=pair))
        MeetingFactory(pair=pair)
        MeetingFactory(
            pair=pair,
            starts_at=timezone.now() + datetime.timedelta(days=5),
            status=Meeting.Status.PLANNED,
        )


@pytest.mark.django_db
def test_dashboard_queries_do_not_grow_with_pairs(
    client, pair_with_logins, django_assert_num_queries
):
    unit = pair_with_logins()
    _add_pairs(unit.mentor, 1)  # two pairs
    client.force_login(unit.mentor.user)
    url = reverse("surveys:dashboard")
    client.get(url)
    with CaptureQueriesContext(connection) as with_two:
        client.get(url)

    _add_pairs(unit.mentor, 18)
    with django_assert_num_queries(len(with_two.captured_queries)):
        response = client.get(url)
    assert len(response.context["pairs"]) == 20
    assert response.context["owed_total"] == 19


@pytest.mark.django_db
def test_calendar_exports_only_the_users_meetings(client, pair_with_logins):
    unit = pair_with_logins()
    MeetingFactory(
        pair=unit.pair,
        topic="Очень длинная тема встречи, чтобы строку пришлось перенести; "
        "с запятыми и точкой с запятой",
        starts_at=datetime.datetime(2026, 3, 2, 12, 30, tzinfo=datetime.UTC),
    )
    MeetingFactory(topic="Встреча чужой пары")
    client.force_login(unit.mentee.user)

    response = client.get(reverse("surveys:calendar"))

    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    text = response.content.decode()
    assert text.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")
    assert text.count("BEGIN:VEVENT") == 1
    assert "DTSTART:20260302T123000Z" in text
    assert "DTEND:20260302T131500Z" in text
    unfolded = text.replace("\r\n ", "")
    assert (
        "SUMMARY:Регулярная рабочая: Очень длинная тема встречи\\, чтобы строку "
        "пришлось перенести\\; с запятыми и точкой с запятой" in unfolded
    )
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
    assert "чужой" not in unfolded


@pytest.mark.django_db
def test_a_meeting_that_did_not_happen_owes_no_feedback(client, pair_with_logins):
    unit = pair_with_logins()
    meeting = MeetingFactory(pair=unit.pair, status=Meeting.Status.PLANNED)
    url = reverse("surveys:meeting-cancel", args=[meeting.pk])
    client.force_login(unit.mentee.user)
    assert client.post(url).status_code == 403
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.PLANNED
    client.force_login(unit.mentor.user)

    response = client.post(url, follow=True)

    assert "Отмечено: встреча не состоялась." in response.text
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.CANCELLED
    assert "Нужна обратная связь" not in client.get(reverse("surveys:dashboard")).text


@pytest.mark.django_db
@pytest.mark.parametrize("line_break", ["\r", "\n", "\r\n", "\x0b", "\x1f", "\u2028"])
def test_a_topic_cannot_add_events_to_the_calendar(
    client, pair_with_logins, line_break
):
    unit = pair_with_logins()
    injected = line_break.join(
        [
            "Тема",
            "END:VEVENT",
            "BEGIN:VEVENT",
            "UID:forged@evil.example",
            "DTSTART:20300101T000000Z",
            "SUMMARY:Подложная встреча",
            "END:VEVENT",
            "BEGIN:VEVENT",
            "SUMMARY:ещё",
        ]
    )
    meeting = MeetingFactory(pair=unit.pair)
    MeetingFactory(pair=unit.pair)
    # Stored as it could have been before control characters were refused.
    Meeting.objects.filter(pk=meeting.pk).update(topic=injected)
    client.force_login(unit.mentee.user)

    response = client.get(reverse("surveys:calendar"))

    parsed = icalendar.Calendar.from_ical(response.content)
    events = [c for c in parsed.walk() if c.name == "VEVENT"]
    assert len(events) == 2
    assert "forged@evil.example" not in [str(e["UID"]) for e in events]
    # Only CRLF ends a line of the file; no lone CR or LF a lenient reader
    # could take for one.
    assert b"\r" not in response.content.replace(b"\r\n", b"")
    assert b"\n" not in response.content.replace(b"\r\n", b"")
    summary = next(str(e["SUMMARY"]) for e in events if "Тема" in str(e["SUMMARY"]))
    assert "Подложная встреча" in summary


@pytest.mark.django_db
def test_dashboard_card_lists_people_the_next_meeting_and_owed_feedback_in_order(
    client, pair_with_logins
):
    unit = pair_with_logins()
    second = MenteeProfileFactory(
        person__organization=unit.pair.organization,
        person__last_name="Абрамова",
        person__first_name="Ирина",
        person__patronymic="",
    ).person
    Participation.objects.create(
        pair=unit.pair, person=second, role=Participation.Role.MENTEE
    )
    now = timezone.now()
    day = datetime.timedelta(days=1)
    # Two meetings at the same moment are owed in the order they were logged.
    tied = [
        MeetingFactory(pair=unit.pair, starts_at=now - 4 * day, topic=f"Встреча {n}")
        for n in (1, 2)
    ]
    older = MeetingFactory(pair=unit.pair, starts_at=now - 9 * day, topic="Первая")
    MeetingFactory(
        pair=unit.pair,
        starts_at=now - 2 * day,
        topic="Не состоялась",
        status=Meeting.Status.CANCELLED,
    )
    for days, topic in ((6, "Позже"), (2, "Скоро")):
        MeetingFactory(
            pair=unit.pair,
            starts_at=now + days * day,
            topic=topic,
            status=Meeting.Status.PLANNED,
        )
    other = PairFactory(organization=unit.pair.organization, active=True)
    MeetingFactory(pair=other, topic="Чужая встреча")
    client.force_login(unit.mentor.user)

    response = client.get(reverse("surveys:dashboard"))

    page = response.text
    mentor, mentee = unit.mentor.full_name, unit.mentee.full_name
    people = [
        f"<li>Наставник: {mentor}</li>",
        *sorted(
            [
                f"<li>Наставляемый: {mentee}</li>",
                "<li>Наставляемый: Абрамова Ирина</li>",
            ],
            key=lambda li: li.split(": ")[1],
        ),
    ]
    assert "".join(people) in page
    assert "Ваша роль: наставник" in page
    assert "— Скоро" in page and "Позже" not in page
    owed = [reverse("surveys:feedback", args=[m.pk]) for m in (older, *tied)]
    assert [page.index(url) for url in owed] == sorted(page.index(url) for url in owed)
    assert "Не состоялась" not in page and "Чужая встреча" not in page
    assert response.context["owed_total"] == 3
