"""The public pages are cached: asked again, they cost a constant few
queries; any change they show is seen at once."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from tests.factories import OrganizationFactory, PairFactory, StageFactory
from tests.public.helpers import news, publish_order, signed_order

pytestmark = pytest.mark.django_db


def _school(size):
    organization = OrganizationFactory()
    stage = StageFactory(roadmap__organization=organization)
    for _ in range(size):
        PairFactory(organization=organization, active=True)
        publish_order(signed_order(organization, number=_ + 1))
        news(organization)
    return organization, stage


@pytest.mark.parametrize("size", [2, 12])
def test_the_organization_page_costs_the_same_queries_at_any_size(
    client, django_assert_num_queries, size
):
    organization, _stage = _school(size)
    url = reverse("public:organization", args=[organization.pk])
    client.get(url)  # makes the page's version row
    cache.clear()
    with django_assert_num_queries(9):
        assert client.get(url).status_code == 200
    # Cached: the organization and the version.
    with django_assert_num_queries(2):
        assert client.get(url).status_code == 200


def test_a_new_news_item_shows_on_the_cached_page(
    client, django_capture_on_commit_callbacks
):
    organization, _stage = _school(1)
    url = reverse("public:organization", args=[organization.pk])
    client.get(url)

    with django_capture_on_commit_callbacks(execute=True):
        news(organization, title="Итоговая конференция наставников")

    assert "Итоговая конференция наставников" in client.get(url).text


def test_a_renamed_stage_shows_on_the_cached_page(
    client, django_capture_on_commit_callbacks
):
    organization, stage = _school(1)
    url = reverse("public:organization", args=[organization.pk])
    client.get(url)

    stage.name = "Отбор и обучение наставников"
    with django_capture_on_commit_callbacks(execute=True):
        stage.save()

    assert "Отбор и обучение наставников" in client.get(url).text


@pytest.mark.parametrize("size", [2, 20])
def test_the_district_page_costs_the_same_queries_at_any_size(
    client, django_assert_num_queries, size
):
    first = OrganizationFactory()
    for _ in range(size - 1):
        OrganizationFactory(district=first.district)
    url = reverse("public:district", args=[first.district_id])
    client.get(url)
    cache.clear()
    with django_assert_num_queries(3):
        page = client.get(url)
    assert page.text.count("/public/") >= size


def test_a_new_organization_shows_on_the_cached_district_page(client):
    """A new organization has no version yet: the count in the key changes."""
    first = OrganizationFactory()
    url = reverse("public:district", args=[first.district_id])
    client.get(url)

    OrganizationFactory(district=first.district, short_name="ГБОУ СОШ № 700")

    assert "ГБОУ СОШ № 700" in client.get(url).text


def test_a_change_not_committed_leaves_the_cached_page_as_it_was(client):
    """The version is raised after the commit: a change rolled back, or not
    yet committed, is not shown."""
    organization, stage = _school(1)
    url = reverse("public:organization", args=[organization.pk])
    client.get(url)

    stage.name = "Этап, который не сохранится"
    stage.save()  # the test's transaction never commits

    assert "Этап, который не сохранится" not in client.get(url).text
