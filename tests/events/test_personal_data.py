"""A mentor's data export (152-ФЗ ст. 14) lists the district events."""

import io
import json
import zipfile

import pytest
from django.urls import reverse

from tests.events.helpers import district
from tests.factories import EventFactory, RegistrationFactory

pytestmark = pytest.mark.django_db


def test_the_export_lists_the_events_the_mentor_was_put_down_for(client):
    area = district()
    came = RegistrationFactory(
        event=EventFactory(district=area.district, held=True),
        mentor=area.mentor,
        attended=True,
    )
    client.force_login(area.curator)

    response = client.get(
        reverse("mentoring:person-data-export", args=[area.mentor.person_id])
    )

    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    data = json.loads(archive.read("svedeniya.json"))
    sections = {s["title"]: s["rows"] for s in data["sections"]}
    assert sections["Мероприятия района"] == [
        {
            "Мероприятие": came.event.title,
            "Дата": came.event.dates,
            "Место": came.event.place,
            "Присутствие": "присутствовал(а)",
        }
    ]
