"""The public pages are valid HTML: no parse error by the WHATWG parser
(tinyhtml5, which WeasyPrint brings), ids unique, one level-one heading,
the language given; in both display versions."""

from collections import Counter

import pytest
import tinyhtml5.parser
from django.urls import reverse

from public.models import PublicDocument
from public.views import LOW_VISION, VISION_COOKIE
from tests.factories import (
    ActivityFactory,
    OrganizationFactory,
    PairFactory,
    StageFactory,
)
from tests.public.helpers import news, publish_order, signed_order

pytestmark = pytest.mark.django_db


def problems(html: str) -> list[str]:
    parser = tinyhtml5.parser.HTMLParser(namespace_html_elements=False)
    tree = parser.parse(html, full_tree=True)
    found = [
        f"{position}: {code} {data or ''}" for position, code, data in parser.errors
    ]
    ids = Counter(element.get("id") for element in tree.iter() if element.get("id"))
    found += [
        f"id «{name}» used {count} times" for name, count in ids.items() if count > 1
    ]
    headings = [element for element in tree.iter() if element.tag == "h1"]
    if len(headings) != 1:
        found.append(f"{len(headings)} h1 headings")
    root = next(element for element in tree.iter() if element.tag == "html")
    if root.get("lang") != "ru":
        found.append("no lang")
    return found


@pytest.fixture
def pages():
    organization = OrganizationFactory()
    ActivityFactory(stage=StageFactory(roadmap__organization=organization))
    pair = PairFactory(organization=organization, active=True)
    order = signed_order(organization)
    pair.order = order
    pair.save(update_fields=["order"])
    document = publish_order(order)
    regulations = PublicDocument.objects.create(
        organization=organization,
        kind=PublicDocument.Kind.REGULATIONS,
        title="Положение о наставничестве",
        text="Текст положения <с угловыми скобками> & амперсандом",
        is_published=True,
        published_on="2026-09-01",
    )
    item = news(organization, body="Первый абзац.\n\nВторой абзац.")
    return [
        reverse("public:index"),
        reverse("public:district", args=[organization.district_id]),
        reverse("public:organization", args=[organization.pk]),
        reverse("public:document", args=[organization.pk, document.pk]),
        reverse("public:document", args=[organization.pk, regulations.pk]),
        reverse("public:post", args=[organization.pk, item.pk]),
    ]


@pytest.mark.parametrize("low_vision", [False, True])
def test_the_public_pages_are_valid_html(client, pages, low_vision):
    if low_vision:
        client.cookies[VISION_COOKIE] = LOW_VISION
    for url in pages:
        page = client.get(url)
        assert page.status_code == 200, url
        assert problems(page.text) == [], url
