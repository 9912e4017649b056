"""The mentor types a meeting's outcome once: on the meeting or in the
feedback after it, and the other shows it."""

import pytest
from django.urls import reverse

from tests.factories import MeetingFactory, questionnaire
from tests.surveys.test_feedback import _mentor_answers

pytestmark = pytest.mark.django_db


def _done_field(meeting) -> str:
    version = questionnaire("meeting-feedback-mentor").versions.get()
    return f"q{version.questions.get(code='done').pk}"


def test_the_feedback_shows_the_outcome_written_on_the_meeting(
    client, pair_with_logins
):
    unit = pair_with_logins()
    meeting = MeetingFactory(pair=unit.pair, outcome="Составили план открытого урока")
    client.force_login(unit.mentor.user)

    page = client.get(reverse("surveys:feedback", args=[meeting.pk])).text

    done = f'name="{_done_field(meeting)}"'
    assert done in page
    textarea = page[page.index(done) :]
    assert textarea[: textarea.index("</textarea>")].endswith(
        "Составили план открытого урока"
    )


def test_the_mentee_is_not_shown_the_mentors_outcome(client, pair_with_logins):
    unit = pair_with_logins()
    meeting = MeetingFactory(pair=unit.pair, outcome="Составили план открытого урока")
    client.force_login(unit.mentee.user)

    page = client.get(reverse("surveys:feedback", args=[meeting.pk])).text

    assert "Составили план открытого урока" not in page


def test_a_meeting_without_an_outcome_takes_it_from_the_feedback(
    client, pair_with_logins
):
    unit = pair_with_logins()
    meeting = MeetingFactory(pair=unit.pair, outcome="")
    client.force_login(unit.mentor.user)

    client.post(
        reverse("surveys:feedback", args=[meeting.pk]),
        _mentor_answers(meeting, done="Разобрали технологическую карту урока"),
    )

    meeting.refresh_from_db()
    assert meeting.outcome == "Разобрали технологическую карту урока"
    pair_page = client.get(reverse("surveys:pair", args=[unit.pair.pk])).text
    assert "Разобрали технологическую карту урока" in pair_page


def test_an_outcome_written_on_the_meeting_is_kept(client, pair_with_logins):
    unit = pair_with_logins()
    meeting = MeetingFactory(pair=unit.pair, outcome="Составили план урока")
    client.force_login(unit.mentor.user)

    client.post(
        reverse("surveys:feedback", args=[meeting.pk]),
        _mentor_answers(meeting, done="Разобрали карту урока"),
    )

    meeting.refresh_from_db()
    assert meeting.outcome == "Составили план урока"
