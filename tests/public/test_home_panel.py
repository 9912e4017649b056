import pytest
from django.urls import reverse

from tests.factories import UserFactory
from tests.public.helpers import news

pytestmark = pytest.mark.django_db


def test_the_curators_home_page_leads_to_the_public_page_and_its_admin(client):
    curator = UserFactory(curator=True)
    news(curator.organization)
    news(curator.organization, published=False)
    client.force_login(curator)

    page = client.get(reverse("mentoring:home")).text

    assert "Страница наставничества на сайте" in page
    assert reverse("public:organization", args=[curator.organization_id]) in page
    assert "опубликовано: 1, черновиков: 1" in page
    assert reverse("admin:public_post_changelist") in page


def test_the_head_gets_the_address_but_not_the_back_office(client):
    director = UserFactory(director=True)
    client.force_login(director)

    page = client.get(reverse("mentoring:home")).text

    assert reverse("public:organization", args=[director.organization_id]) in page
    assert reverse("admin:public_post_changelist") not in page


def test_a_participant_has_no_such_panel(client):
    client.force_login(UserFactory())

    assert (
        "Страница наставничества на сайте"
        not in client.get(reverse("mentoring:home")).text
    )
