"""Two schools of one district and one of another, with their staff."""

from dataclasses import dataclass

from tests.factories import (
    DistrictFactory,
    MentorProfileFactory,
    OrganizationFactory,
    UserFactory,
)


@dataclass
class District:
    district: object
    school: object
    neighbour: object  # another school of the same district
    methodologist: object
    curator: object
    neighbours_curator: object
    mentor: object  # a MentorProfile of `school`, consented, in the bank
    neighbours_mentor: object


def district() -> District:
    area = DistrictFactory()
    school = OrganizationFactory(district=area)
    neighbour = OrganizationFactory(district=area)
    return District(
        district=area,
        school=school,
        neighbour=neighbour,
        methodologist=UserFactory(methodologist=True, district=area),
        curator=UserFactory(curator=True, organization=school),
        neighbours_curator=UserFactory(curator=True, organization=neighbour),
        mentor=MentorProfileFactory(person__organization=school),
        neighbours_mentor=MentorProfileFactory(person__organization=neighbour),
    )
