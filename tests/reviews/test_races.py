"""Two clicks at once: one sending, one decision."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from mentoring.models import AuditEntry
from reviews import services
from reviews.models import Review
from roadmap.models import Evidence
from tests.factories import ActivityFactory, ReviewFactory, RoadmapFactory, StageFactory


def at_once(action, count=2) -> list[str]:
    barrier = threading.Barrier(count)
    outcomes = []

    def run():
        try:
            barrier.wait()
            action()
            outcomes.append("done")
        except ValidationError as error:
            outcomes.append(error.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sorted(outcomes)


@pytest.mark.django_db(transaction=True)
def test_two_sendings_at_once_make_one_review(school, curator):
    outcomes = at_once(
        lambda: services.submit_for_review(
            by=curator,
            organization=school,
            subject=Review.Subject.PROGRAM,
            title="Программа наставничества",
        )
    )
    assert outcomes == ["done", "pending"]
    assert Review.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_approvals_at_once_decide_once(school, curator, methodologist):
    review = ReviewFactory(organization=school, submitted_by=curator)
    ActivityFactory(
        stage=StageFactory(roadmap=RoadmapFactory(organization=school)),
        code="program_template",
    )
    outcomes = at_once(lambda: services.approve_review(by=methodologist, review=review))
    assert outcomes == ["decided", "done"]
    assert Evidence.objects.count() == 1
    assert AuditEntry.objects.filter(action="review.approved").count() == 1
