"""Every page has an icon: the site's pages link it, /favicon.ico leads to it."""

import pytest
from django.contrib.staticfiles import finders
from django.templatetags.static import static

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_favicon_ico_leads_to_an_icon_that_exists(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response.url == static("img/favicon.ico")
    with open(finders.find("img/favicon.ico"), "rb") as icon:
        assert icon.read(4) == b"\x00\x00\x01\x00"  # the ICO signature


def test_the_sites_pages_link_the_icon(client):
    client.force_login(UserFactory(curator=True))
    page = client.get("/").text
    assert f'rel="icon" href="{static("img/favicon.svg")}"' in page
    assert finders.find("img/favicon.svg")
    assert 'rel="icon"' in client.get("/login/").text
