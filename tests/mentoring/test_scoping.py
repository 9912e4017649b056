"""Who sees what: one `visible_to(user)` per scoped model, and the pages on it.

The world: district A with schools A1 and A2, district B with school B1; each
school has an active pair with its program, a meeting, consents, bank entries,
an audit entry and one person outside any pair.
"""

from types import SimpleNamespace

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from mentoring import services
from mentoring.models import (
    AuditEntry,
    Consent,
    Meeting,
    MenteeProfile,
    MentorProfile,
    Organization,
    Pair,
    Participation,
    Person,
    Program,
    Role,
)
from tests.factories import (
    DistrictFactory,
    MeetingFactory,
    MenteeProfileFactory,
    MentorProfileFactory,
    OrganizationFactory,
    PairFactory,
    PersonFactory,
    ProgramFactory,
    UserFactory,
)

# How each scoped model reaches its organization.
ORGANIZATION_PATH = {
    Organization: "pk",
    Person: "organization",
    Consent: "person__organization",
    MentorProfile: "person__organization",
    MenteeProfile: "person__organization",
    Pair: "organization",
    Participation: "pair__organization",
    Program: "pair__organization",
    Meeting: "pair__organization",
    AuditEntry: "organization",
}
MODELS = [pytest.param(model, id=model.__name__) for model in ORGANIZATION_PATH]


def pks(queryset) -> set[int]:
    return set(queryset.values_list("pk", flat=True))


def rows_of(model, *organizations) -> set[int]:
    path = ORGANIZATION_PATH[model]
    ids = [organization.pk for organization in organizations]
    return pks(model.objects.filter(**{f"{path}__in": ids}))


def visible(model, user) -> set[int]:
    return pks(model.objects.visible_to(user))


def fill(organization):
    pair = PairFactory(organization=organization, active=True)
    ProgramFactory(pair=pair)
    MeetingFactory(pair=pair)
    PersonFactory(organization=organization, consented=True)
    services.record_change(
        actor=None,
        obj=pair,
        action="pair.noted",
        message="Пара обсуждена на методическом совете",
        organization=organization,
    )


@pytest.fixture
def world():
    district_a, district_b = DistrictFactory(), DistrictFactory()
    a1 = OrganizationFactory(district=district_a)
    a2 = OrganizationFactory(district=district_a)
    b1 = OrganizationFactory(district=district_b)
    for organization in (a1, a2, b1):
        fill(organization)
    return SimpleNamespace(
        district_a=district_a, district_b=district_b, a1=a1, a2=a2, b1=b1
    )


def assert_sees_exactly(model, user, expected: set[int], everything: set[int]):
    # Guards against a vacuous pass: there must be rows to see and rows to hide.
    assert expected, f"no {model.__name__} rows to see"
    assert everything - expected, f"no foreign {model.__name__} rows to hide"
    assert visible(model, user) == expected


# ---------------------------------------------------------------- staff


@pytest.mark.parametrize("model", MODELS)
@pytest.mark.parametrize("role", ["curator", "director", "psychologist"])
@pytest.mark.django_db
def test_school_staff_see_only_their_organization(world, role, model):
    user = UserFactory(**{role: True}, organization=world.a1)
    assert_sees_exactly(
        model,
        user,
        rows_of(model, world.a1),
        rows_of(model, world.a1, world.a2, world.b1),
    )


@pytest.mark.parametrize("model", MODELS)
@pytest.mark.django_db
def test_methodologist_sees_only_their_district(world, model):
    everything = rows_of(model, world.a1, world.a2, world.b1)
    of_a = UserFactory(methodologist=True, district=world.district_a)
    of_b = UserFactory(methodologist=True, district=world.district_b)

    assert_sees_exactly(model, of_a, rows_of(model, world.a1, world.a2), everything)
    assert_sees_exactly(model, of_b, rows_of(model, world.b1), everything)


@pytest.mark.parametrize("model", MODELS)
@pytest.mark.django_db
def test_superuser_sees_everything(world, model):
    user = UserFactory(is_superuser=True, is_staff=True)
    assert visible(model, user) == pks(model.objects.all())
    assert visible(model, user) == rows_of(model, world.a1, world.a2, world.b1)


@pytest.mark.parametrize("model", MODELS)
@pytest.mark.parametrize(
    "who",
    [
        pytest.param(lambda world: AnonymousUser(), id="anonymous"),
        pytest.param(
            lambda world: UserFactory(
                curator=True, organization=world.a1, is_active=False
            ),
            id="inactive-curator",
        ),
        pytest.param(
            lambda world: UserFactory(
                methodologist=True, district=world.district_a, is_active=False
            ),
            id="inactive-methodologist",
        ),
        pytest.param(
            lambda world: UserFactory(is_superuser=True, is_active=False),
            id="inactive-superuser",
        ),
        pytest.param(lambda world: UserFactory(), id="participant-without-person"),
    ],
)
@pytest.mark.django_db
def test_nobody_else_sees_anything(world, who, model):
    assert pks(model.objects.all())
    assert visible(model, who(world)) == set()


# ---------------------------------------------------------------- participants


@pytest.fixture
def participant(world):
    """A mentor in A1 with a login, their own pair, and a neighbour pair in A1."""
    user = UserFactory(role=Role.PARTICIPANT)
    own = PairFactory(organization=world.a1, active=True, people=False)
    me = MentorProfileFactory(person__organization=world.a1, person__user=user).person
    partner = MenteeProfileFactory(person__organization=world.a1).person
    Participation.objects.create(pair=own, person=me, role=Participation.Role.MENTOR)
    Participation.objects.create(
        pair=own, person=partner, role=Participation.Role.MENTEE
    )
    ProgramFactory(pair=own)
    MeetingFactory(pair=own)
    PairFactory(organization=world.a1, active=True)  # the neighbours
    return SimpleNamespace(user=user, pair=own, me=me, partner=partner)


def participant_bounds(model, p):
    """What the participant must see, and the most they may see."""
    own_people = {p.me.pk, p.partner.pk}
    own_pair = {
        Pair: pks(Pair.objects.filter(pk=p.pair.pk)),
        Person: own_people,
        Participation: pks(p.pair.participations.all()),
        Program: pks(Program.objects.filter(pair=p.pair)),
        Meeting: pks(p.pair.meetings.all()),
    }
    if model in own_pair:
        return own_pair[model], own_pair[model]
    mine = {
        Consent: (
            pks(p.me.consents.all()),
            pks(Consent.objects.filter(person__in=own_people)),
        ),
        MentorProfile: (
            pks(MentorProfile.objects.filter(person=p.me)),
            pks(MentorProfile.objects.filter(person__in=own_people)),
        ),
        MenteeProfile: (
            set(),
            pks(MenteeProfile.objects.filter(person__in=own_people)),
        ),
        AuditEntry: (set(), pks(AuditEntry.objects.for_object(p.pair))),
        Organization: (set(), {p.pair.organization_id}),
    }
    return mine[model]


@pytest.mark.parametrize("model", MODELS)
@pytest.mark.django_db
def test_participant_sees_only_their_pairs_and_partners(participant, model):
    must, may = participant_bounds(model, participant)
    seen = visible(model, participant.user)
    assert must <= seen, "the participant misses their own rows"
    assert seen <= may, "the participant sees other pairs' rows"


@pytest.mark.django_db
def test_participant_sees_every_pair_they_are_in(participant):
    also_mentee = PairFactory(
        organization=participant.pair.organization, active=True, people=False
    )
    MenteeProfileFactory(person=participant.me)
    Participation.objects.create(
        pair=also_mentee, person=participant.me, role=Participation.Role.MENTEE
    )
    assert visible(Pair, participant.user) == {participant.pair.pk, also_mentee.pk}


# ---------------------------------------------------------------- pages


@pytest.mark.django_db
def test_home_sends_anonymous_visitors_to_the_login_page(client):
    response = client.get(reverse("mentoring:home"))
    assert response.status_code == 302
    assert response.url == "/login/?next=/"


@pytest.mark.django_db
def test_mentors_home_lists_only_their_own_pairs(client):
    school = OrganizationFactory()
    user = UserFactory()
    names = {}
    for key, last_name in [
        ("me", "Ромашкина"),
        ("my_mentee", "Одуванчикова"),
        ("other_mentor", "Незабудкина"),
        ("other_mentee", "Васильков"),
    ]:
        names[key] = PersonFactory(
            organization=school,
            last_name=last_name,
            consented=True,
            user=user if key == "me" else None,
        )
    own = PairFactory(organization=school, active=True, people=False)
    other = PairFactory(organization=school, active=True, people=False)
    for pair, mentor, mentee in [
        (own, names["me"], names["my_mentee"]),
        (other, names["other_mentor"], names["other_mentee"]),
    ]:
        Participation.objects.create(
            pair=pair, person=mentor, role=Participation.Role.MENTOR
        )
        Participation.objects.create(
            pair=pair, person=mentee, role=Participation.Role.MENTEE
        )
    client.force_login(user)

    response = client.get(reverse("mentoring:home"))

    assert response.status_code == 200
    assert "Мои пары и группы" in response.text
    assert f"Наставляемый: {names['my_mentee'].full_name}" in response.text
    assert names["me"].full_name in response.text
    assert "Незабудкина" not in response.text
    assert "Васильков" not in response.text


@pytest.mark.django_db
def test_participant_outside_any_pair_is_told_so(client):
    user = UserFactory()
    PersonFactory(user=user)
    client.force_login(user)

    response = client.get(reverse("mentoring:home"))

    assert "Вы пока не входите ни в одну наставническую пару или группу." in (
        response.text
    )
