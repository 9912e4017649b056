import pytest

from mentoring.models import Participation
from tests.factories import PairFactory, UserFactory


class PairWithLogins:
    """An active pair whose mentor and mentee can log in."""

    def __init__(self, **pair_fields):
        self.pair = PairFactory(active=True, **pair_fields)
        self.mentor = self.pair.participations.get(
            role=Participation.Role.MENTOR
        ).person
        self.mentee = self.pair.participations.get(
            role=Participation.Role.MENTEE
        ).person
        self.mentor.user = UserFactory()
        self.mentor.save(update_fields=["user"])
        self.mentee.user = UserFactory()
        self.mentee.save(update_fields=["user"])


@pytest.fixture
def pair_with_logins():
    return PairWithLogins
