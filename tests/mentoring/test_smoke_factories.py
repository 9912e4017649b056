import pytest

from mentoring.models import Consent, Pair
from tests.factories import MeetingFactory, PersonFactory, ProgramItemFactory


@pytest.mark.django_db
def test_factories_build_a_consistent_world():
    item = ProgramItemFactory()
    meeting = MeetingFactory(pair=item.program.pair)
    pair = meeting.pair
    assert pair.status == Pair.Status.ACTIVE
    assert pair.participations.count() == 2
    minor = PersonFactory(student=True, consented=True)
    assert minor.consents.filter(kind=Consent.Kind.GUARDIAN).exists()
