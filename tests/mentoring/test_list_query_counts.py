"""Lists cost the same number of queries for 2 rows as for 20 (STYLE.md, «Tests»).

Each test loads a page once to warm per-process caches, counts the queries
with two rows, adds eighteen of a different mix and expects the same count.
"""

import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import (
    ConsentFactory,
    MenteeProfileFactory,
    MentorProfileFactory,
    PairFactory,
    PersonFactory,
    UserFactory,
)


@pytest.fixture
def curator(client):
    user = UserFactory(curator=True)
    client.force_login(user)
    return user


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def _people(organization, n: int) -> None:
    """A mix that exercises every column: banks, consents, categories."""
    makers = itertools.cycle(
        [
            lambda: MentorProfileFactory(person__organization=organization),
            lambda: MenteeProfileFactory(person__organization=organization),
            lambda: PersonFactory(
                organization=organization, student=True, consented=True
            ),
            lambda: ConsentFactory(person__organization=organization, withdrawn=True),
            lambda: PersonFactory(organization=organization, employer=True),
        ]
    )
    for make in itertools.islice(makers, n):
        make()


def _pairs(organization, n: int) -> None:
    states = itertools.cycle([{}, {"active": True}, {"completed": True}])
    for state in itertools.islice(states, n):
        PairFactory(organization=organization, **state)


@pytest.mark.django_db
def test_persons_change_list_queries_do_not_grow_with_rows(
    client, curator, django_assert_num_queries
):
    url = reverse("admin:mentoring_person_changelist")
    _people(curator.organization, 2)
    client.get(url)
    with_two = _queries(client, url)

    _people(curator.organization, 18)
    with django_assert_num_queries(with_two):
        response = client.get(url)
    assert response.context["cl"].result_count == 20


@pytest.mark.django_db
def test_pairs_change_list_queries_do_not_grow_with_rows(
    client, curator, django_assert_num_queries
):
    url = reverse("admin:mentoring_pair_changelist")
    _pairs(curator.organization, 2)
    client.get(url)
    with_two = _queries(client, url)

    _pairs(curator.organization, 18)
    with django_assert_num_queries(with_two):
        response = client.get(url)
    assert response.context["cl"].result_count == 20


@pytest.mark.django_db
def test_home_page_queries_do_not_grow_with_pairs_and_unpaired_mentees(
    client, curator, django_assert_num_queries
):
    url = reverse("mentoring:home")
    organization = curator.organization
    _pairs(organization, 2)
    MenteeProfileFactory.create_batch(2, person__organization=organization)
    client.get(url)
    with_two = _queries(client, url)

    _pairs(organization, 18)
    MenteeProfileFactory.create_batch(18, person__organization=organization)
    with django_assert_num_queries(with_two):
        response = client.get(url)
    assert response.context["counts"]["pairs"]["total"] == 20
    # The 20 in the bank and the mentees of the 6 completed pairs.
    assert response.context["unpaired_count"] == 26


def _programs_and_meetings(organization, n: int) -> None:
    from tests.factories import MeetingFactory, ProgramItemFactory

    for _ in range(n):
        item = ProgramItemFactory(program__pair__organization=organization)
        MeetingFactory(pair=item.program.pair)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "page",
    [
        "admin:mentoring_mentorprofile_changelist",
        "admin:mentoring_menteeprofile_changelist",
        "admin:mentoring_consent_changelist",
        "admin:mentoring_program_changelist",
        "admin:mentoring_meeting_changelist",
        "admin:mentoring_auditentry_changelist",
    ],
)
def test_other_change_lists_queries_do_not_grow_with_rows(client, curator, page):
    org = curator.organization

    def fill(n):
        _people(org, n)
        _programs_and_meetings(org, n)
        # Audit entries come from the services; a pair's moves leave some.
        from mentoring import services
        from mentoring.models import Pair

        for pair in PairFactory.create_batch(n, organization=org, approved=True):
            services.change_pair_status(pair=pair, to=Pair.Status.ACTIVE, by=curator)

    url = reverse(page)
    fill(2)
    client.get(url)
    few = _queries(client, url)
    fill(18)
    assert _queries(client, url) == few
