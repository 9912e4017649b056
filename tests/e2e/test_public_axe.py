"""The public mentoring pages (app `public`) pass axe-core with no serious or
critical violations, at a phone's and a computer's width, in the normal and
the low-vision version, and fit the phone's width. Each page is saved as a
screenshot in build/screenshots/ to be looked at."""

from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Page

from mentoring.models import Participation
from public.models import Post, PublicDocument
from tests.e2e.test_axe import violations
from tests.factories import ActivityFactory, PairFactory, StageFactory
from tests.public.helpers import distribution_consent, news, publish_order, signed_order

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SHOTS = Path(__file__).resolve().parents[2] / "build" / "screenshots"


@pytest.fixture
def pages():
    pair = PairFactory(active=True)
    organization = pair.organization
    mentor = pair.participations.get(role=Participation.Role.MENTOR).person
    distribution_consent(mentor)
    stage = StageFactory(
        roadmap__organization=organization,
        number="1",
        name="Подготовка условий для реализации системы наставничества",
    )
    activity = ActivityFactory(
        stage=stage,
        content="Издание приказа об утверждении положения о наставничестве",
        responsible_roles="директор, куратор",
    )
    activity.responsible.set([mentor])
    order = signed_order(
        organization,
        title="О закреплении наставнических пар (групп) педагогических работников",
        items=[
            f"Закрепить наставником {mentor.full_name} согласно приложению.",
            "Контроль за исполнением настоящего приказа оставляю за собой.",
        ],
    )
    pair.order = order
    pair.save(update_fields=["order"])
    document = publish_order(order)
    PublicDocument.objects.create(
        organization=organization,
        kind=PublicDocument.Kind.REGULATIONS,
        title="Положение о системе наставничества педагогических работников",
        text="1. Общие положения\n2. Цели и задачи",
        is_published=True,
        published_on=timezone.localdate(),
    )
    item = news(organization, title="Стартовал второй год программы наставничества")
    news(
        organization,
        kind=Post.Kind.PRACTICE,
        title="Взаимопосещение уроков молодыми педагогами",
        summary="Как молодые педагоги учатся друг у друга.",
    )
    return {
        "district": f"/public/district/{organization.district_id}/",
        "organization": f"/public/{organization.pk}/",
        "document": f"/public/{organization.pk}/documents/{document.pk}/",
        "news": f"/public/{organization.pk}/news/{item.pk}/",
    }


@pytest.mark.parametrize("width", [375, 1366])
def test_the_public_pages_pass_axe_in_both_versions(
    live_server, page: Page, pages, width
):
    page.set_viewport_size({"width": width, "height": 900})
    SHOTS.mkdir(parents=True, exist_ok=True)
    found = []
    for mode in ("normal", "low"):
        for name, path in pages.items():
            page.goto(f"{live_server.url}{path}")
            if mode == "low" and name == "district":
                # The visitor switches once; the cookie keeps the version.
                page.get_by_role("link", name="Версия для слабовидящих").click()
                page.wait_for_url(f"{live_server.url}{path}")
            assert (page.locator("html.low-vision").count() == 1) == (mode == "low")
            found += violations(page)
            overflow = page.evaluate(
                "() => document.documentElement.scrollWidth - window.innerWidth"
            )
            assert overflow <= 0, f"{path} is {overflow} px too wide at {width}"
            page.screenshot(
                path=SHOTS / f"public-{name}-{width}-{mode}.png", full_page=True
            )
    assert found == []
