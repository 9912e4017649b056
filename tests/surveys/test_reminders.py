import datetime

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from surveys.models import FeedbackReminder
from surveys.services import submit_response
from surveys.tasks import send_feedback_reminders_task
from tests.factories import MeetingFactory, questionnaire


def _days_ago(days, hours=0):
    return timezone.now() - datetime.timedelta(days=days, hours=hours)


def _answer_feedback(unit, meeting):
    form = questionnaire("meeting-feedback-mentor")
    submit_response(
        questionnaire=form,
        respondent=unit.mentor,
        raw={
            q.pk: {"scale": 7, "single": "нет"}.get(q.kind, "текст")
            for q in form.versions.get().questions.all()
        },
        by=None,
        meeting=meeting,
    )


@pytest.mark.django_db
def test_mentor_is_reminded_once_per_meeting_and_threshold(
    pair_with_logins, django_capture_on_commit_callbacks
):
    unit = pair_with_logins()
    unit.mentor.email = "mentor@example.ru"
    unit.mentor.save(update_fields=["email"])
    owed = MeetingFactory(
        pair=unit.pair, starts_at=_days_ago(1, hours=2), topic="Анализ урока"
    )
    answered = MeetingFactory(pair=unit.pair, starts_at=_days_ago(2))
    _answer_feedback(unit, answered)
    MeetingFactory(pair=unit.pair, starts_at=_days_ago(0, hours=5), topic="Сегодня")

    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_feedback_reminders")
        call_command("send_feedback_reminders")

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["mentor@example.ru"]
    assert "Анализ урока" in message.body
    assert "Сегодня" not in message.body
    assert "/my/" in message.body  # the link to «Мои пары и группы»
    assert list(FeedbackReminder.objects.values_list("meeting", "after_days")) == [
        (owed.pk, 1)
    ]

    # Two days later the next threshold passes: one more reminder.
    owed.starts_at = _days_ago(3, hours=1)
    owed.save(update_fields=["starts_at"])
    with django_capture_on_commit_callbacks(execute=True):
        send_feedback_reminders_task.call()
    assert len(mail.outbox) == 2


@pytest.mark.django_db
def test_no_reminder_without_an_address_or_after_feedback(pair_with_logins):
    unit = pair_with_logins()
    MeetingFactory(pair=unit.pair, starts_at=_days_ago(4))

    call_command("send_feedback_reminders")

    assert mail.outbox == []
