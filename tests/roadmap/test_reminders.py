"""Each responsible person is reminded of due and overdue activities, once
per activity and threshold."""

import datetime

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import transaction
from django.utils import timezone

from roadmap.models import ReminderLog
from roadmap.tasks import send_roadmap_reminders_task
from tests.factories import ActivityFactory, PersonFactory, StageFactory

pytestmark = pytest.mark.django_db


def _days(n):
    return timezone.localdate() + datetime.timedelta(days=n)


@pytest.fixture
def activities():
    stage = StageFactory()
    organization = stage.roadmap.organization
    kosareva = PersonFactory(
        organization=organization, last_name="Косарева", email="kosareva@school.ru"
    )
    no_email = PersonFactory(organization=organization, email="")
    late = ActivityFactory(
        stage=stage,
        content="Анкетирование наставников",
        deadline_text="Октябрь",
        ends_on=_days(-2),
        responsible=[kosareva, no_email],
    )
    soon = ActivityFactory(
        stage=stage,
        content="Формирование пар",
        ends_on=_days(5),
        responsible=[kosareva],
    )
    ActivityFactory(
        stage=stage, content="Далёкое", ends_on=_days(40), responsible=[kosareva]
    )
    ActivityFactory(stage=stage, ends_on=_days(-5), done=True, responsible=[kosareva])
    return late, soon, kosareva


def test_the_command_mails_each_person_their_due_and_overdue_activities(
    activities, django_capture_on_commit_callbacks
):
    late, soon, kosareva = activities

    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_roadmap_reminders", days=14, stdout=None)

    assert len(mail.outbox) == 1
    letter = mail.outbox[0]
    assert letter.to == ["kosareva@school.ru"]
    assert "Срок истёк:\n— Анкетирование наставников (срок: Октябрь;" in letter.body
    assert "Срок подходит:\n— Формирование пар" in letter.body
    assert "Далёкое" not in letter.body
    assert letter.subject == "Дорожная карта: сроки мероприятий"
    assert "Анкетирование наставников" in letter.alternatives[0].content
    assert f"/roadmap/{late.stage.roadmap_id}/" in letter.body
    assert set(
        ReminderLog.objects.values_list("activity_id", "person_id", "threshold")
    ) == {(late.pk, kosareva.pk, 0), (soon.pk, kosareva.pk, 14)}


def test_a_second_run_sends_nothing_new(activities, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_roadmap_reminders", days=14)
        send_roadmap_reminders_task.call(days=14)

    assert len(mail.outbox) == 1


def test_a_due_activity_that_becomes_overdue_is_reminded_again(
    activities, django_capture_on_commit_callbacks
):
    late, soon, kosareva = activities
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_roadmap_reminders", days=14)
    soon.ends_on = _days(-1)
    soon.save(update_fields=["ends_on"])

    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_roadmap_reminders", days=14)

    assert len(mail.outbox) == 2
    assert "Формирование пар" in mail.outbox[1].body
    assert "Анкетирование наставников" not in mail.outbox[1].body


def test_a_reminder_whose_log_does_not_commit_is_not_mailed(
    activities, django_capture_on_commit_callbacks
):
    # Mailed before its log row committed, a reminder went out again on the
    # next run; now it is queued only when the log commits.
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        call_command("send_roadmap_reminders", days=14)
        raise RuntimeError("the commit fails")
    assert mail.outbox == []
    assert not ReminderLog.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_roadmap_reminders", days=14)
        call_command("send_roadmap_reminders", days=14)

    assert len(mail.outbox) == 1


def test_a_non_positive_number_of_days_is_refused_in_russian():
    with pytest.raises(CommandError, match="Число дней должно быть положительным"):
        call_command("send_roadmap_reminders", days=0)
