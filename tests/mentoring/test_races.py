"""Two curators adding the last place of a mentor at once: one wins."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from mentoring import services
from mentoring.models import Pair
from tests.factories import MenteeProfileFactory, MentorProfileFactory, form


@pytest.mark.django_db(transaction=True)
def test_two_pairs_for_the_last_place_of_a_mentor_cannot_both_be_created():
    mentor = MentorProfileFactory(capacity=1).person
    org = mentor.organization
    mentees = [MenteeProfileFactory(person__organization=org).person for _ in range(2)]
    teacher_form = form("teacher-teacher")
    barrier = threading.Barrier(2)
    outcomes = []

    def create(mentee):
        try:
            barrier.wait()
            services.create_pair(
                organization=org,
                form=teacher_form,
                mentors=[mentor],
                mentees=[mentee],
                by=None,
            )
            outcomes.append("created")
        except ValidationError as error:
            outcomes.append(error.messages[0])
        finally:
            connection.close()

    threads = [threading.Thread(target=create, args=(m,)) for m in mentees]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes.count("created") == 1
    assert any("может вести не более 1 наставляемых" in o for o in outcomes)
    assert Pair.objects.count() == 1
