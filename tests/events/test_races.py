"""Two hands at once: a mentor registered by two people, attendance marked
twice. The first hand's transaction is held open while the second starts, so
the race happens every time, not by chance."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction

from events import services
from events.models import Registration
from mentoring.models import MentorTraining
from tests.events.helpers import district
from tests.factories import EventFactory, RegistrationFactory


def second_hand(call):
    """Run `call` in a thread of its own (its own connection); the outcome
    lands in the returned dict once the thread ends."""
    outcome = {}

    def run():
        try:
            outcome["result"] = call()
        except ValidationError as error:
            outcome["refusal"] = error
        except Exception as error:  # reported by the test, the thread must not die
            outcome["failure"] = error
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread, outcome


@pytest.mark.django_db(transaction=True)
def test_a_curator_and_the_methodologist_registering_one_mentor_at_once():
    area = district()
    event = EventFactory(district=area.district)

    with transaction.atomic():
        services.register_mentor(event=event, mentor=area.mentor, by=area.curator)
        thread, outcome = second_hand(
            lambda: services.register_mentor(
                event=event, mentor=area.mentor, by=area.methodologist
            )
        )
        thread.join(timeout=1)
        assert thread.is_alive(), "the second registration did not wait"
    thread.join()

    assert "failure" not in outcome, outcome.get("failure")
    assert outcome["refusal"].messages == [
        f"{area.mentor.person.full_name} уже записан(а) на это мероприятие."
    ]
    assert Registration.objects.filter(event=event).count() == 1


@pytest.mark.django_db(transaction=True)
def test_attendance_marked_twice_at_once_writes_one_record():
    area = district()
    event = EventFactory(district=area.district, held=True)
    came = RegistrationFactory(event=event, mentor=area.mentor)

    def mark():
        return services.mark_attendance(
            event=event, present=[came.pk], by=area.methodologist
        )

    with transaction.atomic():
        assert mark() == (1, 0)
        thread, outcome = second_hand(mark)
        thread.join(timeout=1)
        assert thread.is_alive(), "the second marking did not wait"
    thread.join()

    assert outcome == {"result": (0, 0)}
    assert MentorTraining.objects.filter(mentor=area.mentor).count() == 1
