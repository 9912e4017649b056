"""Content-Security-Policy: the header on every page, and no inline code.

Pages, the admin's included, allow scripts and styles only from static
files; a page with an inline <script>, an onclick="" or a style="" would
break in the browser.
"""

from html.parser import HTMLParser
from io import StringIO
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import Client, override_settings
from django.urls import reverse

from mentoring.models import User
from tests.factories import ensure_catalogue

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"
# Mail is read in mail programs, which need inline styles and run no scripts.
NOT_WEB_PAGES = ("email/",)

SITE_POLICY = {
    "default-src": "'self'",
    "img-src": "'self' data:",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
}


def directives(header: str) -> dict[str, str]:
    return dict(part.strip().split(" ", 1) for part in header.split(";"))


class InlineCode(HTMLParser):
    """Collects what a strict policy blocks: <script> without src, <style>,
    style="" and on…="" attributes."""

    def __init__(self):
        super().__init__()
        self.scripts: list[str] = []
        self.styles: list[str] = []

    def handle_starttag(self, tag, attrs):
        names = {name.lower() for name, _value in attrs}
        # A JSON data block is no script: the browser never runs it.
        data_block = dict(attrs).get("type") == "application/json"
        if tag == "script" and "src" not in names and not data_block:
            self.scripts.append(self.get_starttag_text())
        if any(name.startswith("on") for name in names):
            self.scripts.append(self.get_starttag_text())
        if tag == "style" or "style" in names:
            self.styles.append(self.get_starttag_text())

    @classmethod
    def of(cls, text: str) -> "InlineCode":
        parser = cls()
        parser.feed(text)
        parser.close()
        return parser


def test_inline_code_is_recognised():
    found = InlineCode.of(
        '<script>alert(1)</script><script src="/static/js/x.js"></script>'
        '<button onclick="go()">Да</button><p style="color: red">'
        "<style>p {}</style><svg style='width: 1px'></svg>"
    )

    assert len(found.scripts) == 2
    assert len(found.styles) == 3


def site_templates():
    for template in sorted(TEMPLATES.rglob("*.html")):
        name = template.relative_to(TEMPLATES).as_posix()
        if not name.startswith(NOT_WEB_PAGES):
            yield name


@pytest.mark.parametrize("name", list(site_templates()))
def test_no_site_template_has_inline_scripts_or_styles(name):
    found = InlineCode.of((TEMPLATES / name).read_text())

    assert found.scripts == [], "move the script to static/js/"
    assert found.styles == [], "use a class from static/css/"


@pytest.fixture(scope="module")
def demo_school(django_db_setup, django_db_blocker):
    """The demo school (every role, pairs, roadmap, monitoring) for the module,
    in a transaction rolled back at its end."""
    fast_hashing = override_settings(
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]
    )
    with django_db_blocker.unblock(), fast_hashing, transaction.atomic():
        ensure_catalogue()
        call_command("load_demo", stdout=StringIO())
        yield
        transaction.set_rollback(True)


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.hrefs.append(href)


# Files (PDF, XLSX, calendars) are no pages; the admin is walked on its own.
FILES = ("/files/", "/static/", "/logout/", "pdf", "xlsx", ".ics", "export")


def pages(client: Client, start: str, limit: int = 30):
    """The user's pages under `start` reachable by links, breadth first."""
    queue, seen, walked = [start], {start}, 0
    while queue and walked < limit:
        url = queue.pop(0)
        response = client.get(url)
        if not response["Content-Type"].startswith("text/html"):
            continue
        walked += 1
        yield url, response
        links = Links()
        links.feed(response.text)
        for href in links.hrefs:
            target = urlsplit(urljoin(url, href))
            path = target.path + (f"?{target.query}" if target.query else "")
            if target.netloc or not path.startswith(start):
                continue
            if start == "/" and path.startswith("/admin/"):
                continue
            if any(skip in path for skip in FILES):
                continue
            if path not in seen:
                seen.add(path)
                queue.append(path)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "username",
    ["kurator", "direktor", "nastavnik", "nastavlyaemyi", "psiholog", "metodist"],
)
def test_every_page_of_every_role_sends_the_policy_and_has_no_inline_code(
    demo_school, username
):
    client = Client()
    client.force_login(User.objects.get(username=username))

    walked = list(pages(client, "/"))

    assert len(walked) >= 3, [url for url, _response in walked]
    for url, response in walked:
        assert directives(response["Content-Security-Policy"]) == SITE_POLICY, url
        found = InlineCode.of(response.text)
        assert (url, found.scripts, found.styles) == (url, [], [])


@pytest.mark.django_db
def test_the_charts_and_progress_bars_render_without_style_attributes(demo_school):
    curator = Client()
    curator.force_login(User.objects.get(username="kurator"))
    mentor = Client()
    mentor.force_login(User.objects.get(username="nastavnik"))

    monitoring = curator.get(reverse("surveys:monitoring"))
    dashboard = mentor.get(reverse("surveys:dashboard"))

    assert '<svg xmlns="http://www.w3.org/2000/svg" class="chart"' in monitoring.text
    assert 'class="progress-bar" data-width="' in dashboard.text
    for response in (monitoring, dashboard):
        assert InlineCode.of(response.text).styles == []


@pytest.mark.django_db
@pytest.mark.parametrize("username", ["kurator", "admin"])
def test_the_admin_sends_the_same_policy_and_has_no_inline_code(demo_school, username):
    # Statuses are the permission matrix's business (a page that fails shows
    # the 500 page, which is checked like the others).
    client = Client(raise_request_exception=False)
    client.force_login(User.objects.get(username=username))

    walked = list(pages(client, "/admin/", limit=40))

    assert len(walked) >= 20, [url for url, _response in walked]
    for url, response in walked:
        assert directives(response["Content-Security-Policy"]) == SITE_POLICY, url
        found = InlineCode.of(response.text)
        assert (url, found.scripts, found.styles) == (url, [], [])
