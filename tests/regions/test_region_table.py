"""The regional centre's table: a row per district, aggregates only."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from mentoring.models import Pair, Participation, Person
from surveys.models import Question
from surveys.services import current_version
from tests.factories import (
    DistrictFactory,
    MeetingFactory,
    OrganizationFactory,
    PairFactory,
    PersonFactory,
    RegionFactory,
    UserFactory,
    fill_questionnaire,
    form,
    questionnaire,
)


def _satisfied(pair: Pair, score: int) -> None:
    """The pair's mentee answers every scale item of her survey with `score`."""
    mentee = pair.participations.get(role=Participation.Role.MENTEE).person
    scale = [
        q.code
        for q in current_version(questionnaire("satisfaction-mentee")).questions.all()
        if q.kind == Question.Kind.SCALE
    ]
    fill_questionnaire(
        "satisfaction-mentee",
        respondent=mentee,
        pair=pair,
        answers=dict.fromkeys(scale, score),
    )


def _feedback(meeting, *, mentor: bool, mentee: bool) -> None:
    people = {p.role: p.person for p in meeting.pair.participations.all()}
    if mentor:
        fill_questionnaire(
            "meeting-feedback-mentor",
            respondent=people[Participation.Role.MENTOR],
            meeting=meeting,
        )
    if mentee:
        fill_questionnaire(
            "meeting-feedback-mentee",
            respondent=people[Participation.Role.MENTEE],
            meeting=meeting,
        )


@pytest.fixture
def region():
    """Two districts of one region and one of another, with known figures.

    North: 2 schools, 3 worked pairs (2 teacher–teacher, 1 student–student),
    a draft pair (not counted); 5 young teachers, 2 of them mentees in the
    worked pairs (not: the draft's, the one left in the bank when a student
    took her place in the student pair, one more); 4
    meetings, 1 with both feedback forms; satisfaction 6 and 9 → 75 %.
    South: 1 school, no pairs. Elsewhere: a district of another region.
    """
    region = RegionFactory(name="Ленинградская область")
    north = DistrictFactory(name="Северный район", region=region)
    south = DistrictFactory(name="Южный район", region=region)
    first = OrganizationFactory(district=north, short_name="Школа № 1")
    second = OrganizationFactory(district=north, short_name="Школа № 2")
    OrganizationFactory(district=south, short_name="Школа № 3")
    elsewhere = DistrictFactory(name="Чужой район", region=RegionFactory())
    PairFactory(active=True, organization=OrganizationFactory(district=elsewhere))

    # A pair's mentee is a young teacher by default (MenteeProfileFactory).
    young_pair = PairFactory(active=True, organization=first)
    done = PairFactory(
        completed=True, organization=second, form=form("teacher-teacher")
    )
    students = PairFactory(
        active=True, organization=second, form=form("student-student")
    )
    students.participations.filter(role=Participation.Role.MENTEE).update(
        person=PersonFactory(student=True, consented=True, organization=second)
    )
    PairFactory(organization=first)  # a draft: its young mentee is not covered
    PersonFactory(young=True, organization=first)  # young, not a mentee

    meetings = [MeetingFactory(pair=young_pair) for _ in range(2)]
    meetings += [MeetingFactory(pair=students) for _ in range(2)]
    _feedback(meetings[0], mentor=True, mentee=True)
    _feedback(meetings[1], mentor=True, mentee=False)
    _feedback(meetings[2], mentor=False, mentee=True)
    _satisfied(young_pair, 6)
    _satisfied(done, 9)
    return region


def _regional(client, region):
    user = UserFactory(regional=True, region=region)
    client.force_login(user)
    return user


def _table(response) -> dict[str, dict[str, object]]:
    header = [h["label"] for h in response.context["header"]]
    return {
        row[0]: dict(zip(header, row, strict=True)) for row in response.context["rows"]
    }


@pytest.mark.django_db
def test_each_district_figure_matches_a_count_by_hand(client, region):
    _regional(client, region)
    response = client.get(reverse("regions:districts"))

    rows = _table(response)
    assert list(rows) == ["Северный район", "Южный район"]
    north, south = rows["Северный район"], rows["Южный район"]
    assert north["Организаций"] == 2
    assert north["Пар и групп"] == 3
    assert north["Наставников"] == 3
    assert north["Наставляемых"] == 3
    assert north[form("teacher-teacher").name] == 2
    assert north[form("student-student").name] == 1
    assert str(north["Молодые педагоги в наставничестве, %"]) == "40.0"
    assert str(north["Встречи с обратной связью, %"]) == "25.0"
    assert str(north["Удовлетворённость, %"]) == "75.0"
    assert south["Организаций"] == 1
    assert south["Пар и групп"] == 0
    assert south["Встречи с обратной связью, %"] is None
    assert response.context["total"][:2] == [3, 3]


@pytest.mark.django_db
def test_the_region_sees_no_name_and_no_other_region(client, region):
    _regional(client, region)
    page = client.get(reverse("regions:districts")).content.decode()

    assert "Северный район" in page
    assert "Чужой район" not in page
    # Aggregates only: no school, no person is named.
    assert "Школа № 1" not in page
    for person in Person.objects.all():
        assert person.last_name not in page


@pytest.mark.django_db
def test_the_table_sorts_by_a_column_both_ways(client, region):
    _regional(client, region)
    url = reverse("regions:districts")

    by_pairs = client.get(url, {"sort": "-pairs"})
    assert [r[0] for r in by_pairs.context["rows"]] == ["Северный район", "Южный район"]
    ascending = client.get(url, {"sort": "pairs"})
    assert [r[0] for r in ascending.context["rows"]] == [
        "Южный район",
        "Северный район",
    ]
    # A district without meetings stays last whichever way.
    for sort in ("feedback", "-feedback"):
        rows = client.get(url, {"sort": sort}).context["rows"]
        assert rows[-1][0] == "Южный район"
    # An unknown column falls back to the names.
    assert client.get(url, {"sort": "secret"}).context["header"][0]["sorted"]


@pytest.mark.django_db
def test_the_xlsx_holds_the_rows_and_the_total(client, region):
    _regional(client, region)
    response = client.get(reverse("regions:districts-xlsx"))

    assert response["Content-Disposition"].startswith("attachment")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][1:5] == ("Организаций", "Наставников", "Наставляемых", "Пар и групп")
    assert rows[1][:5] == ("Северный район", 2, 3, 3, 3)
    assert rows[2][:2] == ("Южный район", 1)
    assert rows[-1][:2] == ("Итого", 3)


def _grow(region, schools: int) -> None:
    district = DistrictFactory(region=region)
    for _ in range(schools):
        organization = OrganizationFactory(district=district)
        pair = PairFactory(active=True, organization=organization)
        _feedback(MeetingFactory(pair=pair), mentor=True, mentee=True)
        PersonFactory(young=True, organization=organization)


@pytest.mark.django_db
def test_the_page_runs_the_same_queries_for_2_and_20_districts(
    client, region, django_assert_num_queries
):
    _regional(client, region)
    url = reverse("regions:districts")
    client.get(url)  # the session's first read
    with django_assert_num_queries(13) as small:
        client.get(url)
    for _ in range(18):
        _grow(region, schools=2)
    with django_assert_num_queries(len(small.captured_queries)):
        response = client.get(url)
    assert len(response.context["rows"]) == 20


@pytest.mark.django_db
def test_a_regional_login_needs_a_region():
    from django.core.exceptions import ValidationError

    from mentoring.models import Role, User

    user = User(username="rcn", role=Role.REGIONAL)
    with pytest.raises(ValidationError, match="нужен субъект РФ"):
        user.full_clean()


@pytest.mark.django_db
def test_the_regional_home_leads_to_the_table(client, region):
    _regional(client, region)
    page = client.get(reverse("mentoring:home")).content.decode()

    assert reverse("regions:districts") in page
    assert "районов: 2" in page
    assert "Наставничество: Ленинградская область" in page
    # No pairs of its own to miss: the participant's line is left out.
    assert "не входите ни в одну" not in page


@pytest.mark.django_db
def test_other_roles_do_not_know_the_table_exists(client, region):
    district = region.districts.first()
    for user in (
        UserFactory(methodologist=True, district=district),
        UserFactory(curator=True, organization=district.organizations.first()),
    ):
        client.force_login(user)
        assert client.get(reverse("regions:districts")).status_code == 404
