"""The events' pages: the lists of curators and mentors, the methodologist's
form, the attendance sheet as PDF and XLSX, the home panel."""

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from events.models import Event
from mentoring.models import AuditEntry, Role
from tests.events.helpers import district
from tests.factories import (
    EventFactory,
    MentorProfileFactory,
    RegistrationFactory,
    UserFactory,
)
from tests.roadmap.pdf_text import assert_in_order, letters, pdf_text

pytestmark = pytest.mark.django_db


def test_the_methodologist_creates_an_event_of_the_district(client):
    area = district()
    client.force_login(area.methodologist)

    response = client.post(
        reverse("events:create"),
        {
            "kind": Event.Kind.SEMINAR,
            "title": "Установочный семинар для наставников",
            "starts_on": "2030-03-12",
            "ends_on": "2030-03-12",
            "time": "15:00–17:00",
            "place": "ИМЦ, ауд. 12",
            "hours": "2",
            "programme": "Роль наставника",
        },
        follow=True,
    )

    assert "Мероприятие создано" in response.text
    event = Event.objects.get()
    assert event.district == area.district
    assert event.created_by == area.methodologist


def test_an_event_ending_before_it_starts_is_refused(client):
    area = district()
    client.force_login(area.methodologist)

    response = client.post(
        reverse("events:create"),
        {
            "kind": Event.Kind.SEMINAR,
            "title": "Семинар",
            "starts_on": "2030-03-12",
            "ends_on": "2030-03-11",
            "place": "ИМЦ",
        },
    )

    assert "не может закончиться раньше" in response.text
    assert not Event.objects.exists()


def test_a_curator_sees_the_districts_upcoming_events_not_others(client):
    area = district()
    own = EventFactory(district=area.district, title="Семинар нашего района")
    EventFactory(title="Семинар чужого района")
    client.force_login(area.curator)

    response = client.get(reverse("events:list"))

    assert own.title in response.text
    assert "Семинар чужого района" not in response.text


def test_a_mentor_sees_only_the_events_they_are_registered_for(client):
    area = district()
    mine = RegistrationFactory(mentor=area.mentor).event
    EventFactory(district=area.district, title="Другой семинар района")
    user = UserFactory(organization=area.school)
    area.mentor.person.user = user
    area.mentor.person.save(update_fields=["user"])
    client.force_login(user)

    listing = client.get(reverse("events:list"))
    home = client.get(reverse("mentoring:home"))

    assert mine.title in listing.text
    assert "Другой семинар района" not in listing.text
    assert mine.title in home.text
    assert client.get(reverse("events:detail", args=[mine.pk])).status_code == 200


def test_the_curators_home_page_lists_the_districts_events(client):
    area = district()
    event = EventFactory(district=area.district)
    RegistrationFactory(event=event, mentor=area.mentor)
    client.force_login(area.curator)

    response = client.get(reverse("mentoring:home"))

    assert "Мероприятия района для наставников" in response.text
    assert event.title in response.text
    assert "Записано ваших: 1" in response.text


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def _events(area, count):
    for _ in range(count):
        event = EventFactory(district=area.district)
        RegistrationFactory(
            event=event, mentor=MentorProfileFactory(person__organization=area.school)
        )


@pytest.mark.parametrize("role", [Role.CURATOR, Role.METHODOLOGIST])
def test_the_list_runs_a_fixed_number_of_queries(
    client, django_assert_num_queries, role
):
    area = district()
    user = area.curator if role == Role.CURATOR else area.methodologist
    client.force_login(user)
    _events(area, 2)
    client.get(reverse("events:list"))  # the session and the like, once
    small = queries(client, reverse("events:list"))
    _events(area, 18)
    with django_assert_num_queries(small):
        response = client.get(reverse("events:list"))
    assert response.text.count("Записано:") == 20


def test_the_event_page_runs_a_fixed_number_of_queries(
    client, django_assert_num_queries
):
    area = district()
    event = EventFactory(district=area.district, held=True)
    client.force_login(area.methodologist)
    RegistrationFactory.create_batch(2, event=event)
    client.get(reverse("events:detail", args=[event.pk]))
    small = queries(client, reverse("events:detail", args=[event.pk]))
    RegistrationFactory.create_batch(18, event=event)
    MentorProfileFactory.create_batch(5, person__organization=area.school)
    with django_assert_num_queries(small):
        response = client.get(reverse("events:detail", args=[event.pk]))
    assert response.text.count('name="present"') == 20


def test_the_attendance_sheet_lists_the_participants(client):
    area = district()
    event = EventFactory(district=area.district, held=True)
    came = RegistrationFactory(event=event, mentor=area.mentor, attended=True)
    RegistrationFactory(event=event, mentor=area.neighbours_mentor)
    client.force_login(area.methodologist)

    pdf = client.get(reverse("events:sheet-pdf", args=[event.pk]))
    xlsx = client.get(reverse("events:sheet-xlsx", args=[event.pk]))

    text = pdf_text(b"".join(pdf.streaming_content))
    # pdf_text reads a table column by column where it finds columns, so
    # only pieces of one column are in order: the heading's lines, then the
    # names under «Фамилия, имя, отчество». With some generated names the
    # mark column's heading came after the names.
    assert_in_order(
        text,
        [
            area.district.name,
            "ЛИСТ РЕГИСТРАЦИИ",
            event.title,
            event.place,
            "Фамилия, имя, отчество",
            came.mentor.person.last_name,
        ],
    )
    assert letters("Присутствовал(а)") in letters(text)
    assert letters("Записано: 2; присутствовали: 1") in letters(text)
    # A name may wrap inside its cell (the column is as wide as the longest
    # name of the sheet): read whole names without the line breaks.
    assert letters(came.mentor.person.full_name) in letters(text)
    assert letters(area.neighbours_mentor.person.full_name) in letters(text)
    sheet = load_workbook(io.BytesIO(b"".join(xlsx.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:2] == ("№ п/п", "Фамилия, имя, отчество")
    names = {row[1]: row[4] for row in rows[1:]}
    assert names == {
        area.mentor.person.full_name: "да",
        area.neighbours_mentor.person.full_name: "нет",
    }


def test_the_methodologist_changes_an_event_and_it_is_audited(client):
    area = district()
    event = EventFactory(district=area.district)
    client.force_login(area.methodologist)

    response = client.post(
        reverse("events:edit", args=[event.pk]),
        {
            "kind": event.kind,
            "title": event.title,
            "starts_on": event.starts_on.isoformat(),
            "ends_on": event.ends_on.isoformat(),
            "place": "ИМЦ, актовый зал",
        },
        follow=True,
    )

    assert "Мероприятие сохранено" in response.text
    event.refresh_from_db()
    assert event.place == "ИМЦ, актовый зал"
    assert AuditEntry.objects.filter(action="event.changed").count() == 1
