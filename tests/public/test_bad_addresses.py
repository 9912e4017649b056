"""Guessed addresses on the public site: what is not published is not found."""

import pytest
from django.urls import reverse

from tests.factories import OrganizationFactory
from tests.public.helpers import news, publish_order, signed_order

pytestmark = pytest.mark.django_db


def test_an_unpublished_documents_address_guessed_is_not_found(client):
    organization = OrganizationFactory()
    document = publish_order(signed_order(organization), is_published=False)

    url = reverse("public:document", args=[organization.pk, document.pk])

    assert client.get(url).status_code == 404


def test_a_document_withdrawn_from_the_page_is_not_found_though_it_was_cached(
    client,
):
    organization = OrganizationFactory()
    document = publish_order(signed_order(organization))
    url = reverse("public:document", args=[organization.pk, document.pk])
    assert client.get(url).status_code == 200

    document.is_published = False
    document.save()

    assert client.get(url).status_code == 404


def test_another_organizations_document_is_not_found_under_this_address(client):
    ours, theirs = OrganizationFactory(), OrganizationFactory()
    document = publish_order(signed_order(theirs))

    url = reverse("public:document", args=[ours.pk, document.pk])

    assert client.get(url).status_code == 404


def test_a_draft_news_items_address_is_not_found(client):
    organization = OrganizationFactory()
    draft = news(organization, published=False)
    published = news(organization, title="Опубликованная новость")

    assert (
        client.get(reverse("public:post", args=[organization.pk, draft.pk])).status_code
        == 404
    )
    page = client.get(reverse("public:post", args=[organization.pk, published.pk]))
    assert page.status_code == 200
    assert "Опубликованная новость" in page.text


def test_no_district_page_for_a_district_that_does_not_exist(client):
    assert client.get(reverse("public:district", args=[999999])).status_code == 404
