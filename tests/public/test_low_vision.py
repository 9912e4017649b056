"""«Версия для слабовидящих»: a link switches it, a cookie remembers it,
and the cached pages keep both versions apart."""

import pytest
from django.urls import reverse

from public.views import VISION_COOKIE
from tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db


def test_the_switch_is_remembered_and_leads_back(client):
    organization = OrganizationFactory()
    url = reverse("public:organization", args=[organization.pk])
    normal = client.get(url).text
    assert 'class="low-vision"' not in normal
    assert "Версия для слабовидящих" in normal

    switched = client.get(reverse("public:vision"), {"mode": "low", "next": url})

    assert switched.status_code == 302
    assert switched["Location"] == url
    assert switched.cookies[VISION_COOKIE].value == "low"
    assert switched.cookies[VISION_COOKIE]["max-age"] >= 300 * 24 * 60 * 60
    page = client.get(url)
    assert '<html lang="ru" class="low-vision">' in page.text
    assert "Обычная версия сайта" in page.text
    assert "Cookie" in page["Vary"]

    client.get(reverse("public:vision"), {"mode": "normal", "next": url})
    assert 'class="low-vision"' not in client.get(url).text


def test_the_switch_sends_nobody_to_another_site(client):
    for elsewhere in ("https://example.com/", "//example.com/public/", "/admin/"):
        response = client.get(
            reverse("public:vision"), {"mode": "low", "next": elsewhere}
        )
        assert response["Location"] == reverse("public:index")
