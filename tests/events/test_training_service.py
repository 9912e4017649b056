"""The core's training record service: who may write a mentor's record."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from mentoring.models import AuditEntry, MentorTraining
from mentoring.services import record_training, remove_training
from tests.events.helpers import district
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def write(mentor, by):
    return record_training(
        mentor=mentor,
        kind=MentorTraining.Kind.CONSULTATION,
        programme="Консультация по мониторингу",
        completed_on=timezone.localdate(),
        hours=2,
        by=by,
    )


def test_the_school_and_its_districts_methodologist_write_the_record():
    area = district()

    write(area.mentor, area.curator)
    write(area.mentor, area.methodologist)

    assert area.mentor.trainings.count() == 2
    assert AuditEntry.objects.filter(action="training.recorded").count() == 2


@pytest.mark.parametrize("who", ["neighbours_curator", "stranger", "psychologist"])
def test_others_are_refused_and_nothing_is_written(who):
    area = district()
    by = {
        "neighbours_curator": area.neighbours_curator,
        "stranger": UserFactory(methodologist=True),
        "psychologist": UserFactory(psychologist=True, organization=area.school),
    }[who]

    with pytest.raises(ValidationError) as refused:
        write(area.mentor, by)

    assert "Нет прав вносить сведения об обучении" in refused.value.messages[0]
    assert not MentorTraining.objects.exists()


def test_a_removal_is_refused_to_another_school_and_audited_when_done():
    area = district()
    training = write(area.mentor, area.curator)

    with pytest.raises(ValidationError):
        remove_training(training=training, by=area.neighbours_curator)
    remove_training(training=training, by=area.methodologist)

    assert not MentorTraining.objects.exists()
    assert AuditEntry.objects.filter(action="training.removed").count() == 1
