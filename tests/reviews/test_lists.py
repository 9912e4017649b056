"""The list of reviews and the home panels: who sees what, in fixed queries."""

import pytest
from django.urls import reverse

from tests.factories import OrganizationFactory, ReviewFactory


def schools_with_reviews(district, count):
    for _ in range(count):
        school = OrganizationFactory(district=district)
        ReviewFactory(organization=school)
        ReviewFactory(organization=school, of_roadmap=True, approved=True)


@pytest.mark.django_db
def test_the_methodologists_list_runs_fixed_queries(
    client, methodologist, django_assert_num_queries
):
    schools_with_reviews(methodologist.district, 2)
    client.force_login(methodologist)
    client.get(reverse("reviews:list"))  # renews the session: not again this minute
    # Session, user, the reviews with their schools and people in one query.
    with django_assert_num_queries(3) as few:
        response = client.get(reverse("reviews:list"))
    assert len(response.context["reviews"]) == 4
    schools_with_reviews(methodologist.district, 18)
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(reverse("reviews:list"))
    assert len(response.context["reviews"]) == 40


@pytest.mark.django_db
def test_the_list_puts_pending_first_and_hides_other_districts(
    client, school, methodologist
):
    approved = ReviewFactory(organization=school, approved=True)
    pending = ReviewFactory(organization=school, of_roadmap=True)
    elsewhere = ReviewFactory()
    client.force_login(methodologist)
    reviews = list(client.get(reverse("reviews:list")).context["reviews"])
    assert reviews == [pending, approved]
    assert elsewhere not in reviews


@pytest.mark.django_db
def test_the_school_sees_only_its_own(client, school, curator):
    own = ReviewFactory(organization=school)
    ReviewFactory(organization=OrganizationFactory(district=school.district))
    client.force_login(curator)
    response = client.get(reverse("reviews:list"))
    assert list(response.context["reviews"]) == [own]
    assert "Направить на экспертизу" in response.text


@pytest.mark.django_db
def test_the_methodologists_home_lists_what_waits_for_her(
    client, school, methodologist
):
    waiting = ReviewFactory(organization=school)
    ReviewFactory(organization=school, of_roadmap=True, approved=True)
    ReviewFactory(organization=OrganizationFactory(short_name="Лицей района Б"))
    client.force_login(methodologist)
    page = client.get(reverse("mentoring:home")).text
    assert "Экспертиза: ждут решения" in page
    assert reverse("reviews:detail", args=[waiting.pk]) in page
    assert "Гимназия № 1: программа наставничества (положение)" in page
    assert "дорожная карта" not in page
    assert "Лицей района Б" not in page


@pytest.mark.django_db
def test_the_schools_home_shows_a_returned_document(client, school, curator):
    returned = ReviewFactory(organization=school, returned=True)
    client.force_login(curator)
    page = client.get(reverse("mentoring:home")).text
    assert "Экспертиза программ" in page
    assert reverse("reviews:detail", args=[returned.pk]) in page
    assert "Возвращено на доработку" in page


@pytest.mark.django_db
def test_the_schools_home_says_nothing_when_all_is_approved(client, school, curator):
    ReviewFactory(organization=school, approved=True)
    client.force_login(curator)
    page = client.get(reverse("mentoring:home")).text
    assert "Экспертиза программ" not in page.replace('href="/reviews/">Экспертиза', "")
