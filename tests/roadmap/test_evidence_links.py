"""An evidence link is a web page or a page of this site, nothing that only
looks like one (issue 12)."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from roadmap import services
from roadmap.models import Evidence
from tests.factories import ActivityFactory, UserFactory
from tests.roadmap.test_admin_writes import _activity_data, _curator_of, _post_activity

pytestmark = pytest.mark.django_db

REFUSED = [
    "/\\evil.example/orders/5.pdf",
    "/\\/evil.example/",
    "//evil.example/orders/5.pdf",
    "\\\\evil.example/",
    "javascript:alert(1)",
    "JavaScript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "ftp://files.example/p3.pdf",
    "/orders/\r\nSet-Cookie:x=1",
    "/orders/\t/5",
    "evil.example/p3.pdf",
]
ACCEPTED = [
    "http://ok.example/p3.pdf",
    "https://ok.example/",
    "/orders/5/pdf/",
    "/roadmap/12/?tab=1#stage-3",
]


@pytest.mark.parametrize("url", REFUSED)
def test_the_service_refuses_a_link_that_leads_elsewhere(url):
    activity = ActivityFactory()

    with pytest.raises(ValidationError) as error:
        services.add_evidence(by=None, activity=activity, title="Протокол", url=url)

    assert "Введите адрес страницы" in str(error.value)
    assert not Evidence.objects.exists()


@pytest.mark.parametrize("url", ACCEPTED)
def test_the_service_accepts_a_web_page_or_a_page_of_this_site(url):
    activity = ActivityFactory()

    evidence = services.add_evidence(
        by=None, activity=activity, title="Протокол", url=url
    )

    assert evidence.url == url


@pytest.mark.parametrize(
    ("url", "saved"),
    [
        ("/\\evil.example/p3.pdf", False),
        ("//evil.example/p3.pdf", False),
        ("javascript:alert(1)", False),
        ("http://ok.example/p3.pdf", True),
    ],
)
def test_the_activitys_page_checks_the_link(client, url, saved):
    activity = ActivityFactory()
    _curator_of(client, activity.stage.roadmap)
    data = _activity_data(activity)
    data.update(
        {
            "evidence-TOTAL_FORMS": "1",
            "evidence-0-title": "Протокол педсовета № 3",
            "evidence-0-url": url,
        }
    )

    response = _post_activity(client, activity, data)

    assert Evidence.objects.filter(url=url).exists() == saved
    if not saved:
        assert response.status_code == 200
        assert "Введите адрес страницы" in response.text


def test_a_link_stored_before_the_check_is_shown_as_text_not_followed(client):
    activity = ActivityFactory()
    roadmap = activity.stage.roadmap
    good = services.add_evidence(
        by=None, activity=activity, title="Протокол № 1", url="/orders/5/pdf/"
    )
    bad = services.add_evidence(by=None, activity=activity, title="Протокол № 2")
    Evidence.objects.filter(pk=bad.pk).update(url="/\\evil.example/p.pdf")
    client.force_login(UserFactory(director=True, organization=roadmap.organization))

    page = client.get(reverse("roadmap:detail", args=[roadmap.pk])).text

    assert f'<a href="{good.url}">Протокол № 1</a>' in page
    assert "evil.example" not in page
    assert "Протокол № 2" in page
