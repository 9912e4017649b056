"""The site menu, rendered once per kind of user (mentoring/templatetags/
menu.py), is the menu base.html printed inline for each user, byte for byte."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.template import engines
from django.template.loader import render_to_string

from tests.factories import UserFactory

TEMPLATES = Path(settings.BASE_DIR) / "templates"
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')


def _inline_base():
    """base.html with templates/_menu.html written into it, about `user`,
    as it was before the menu had a tag of its own."""
    menu = (TEMPLATES / "_menu.html").read_text()
    menu = menu.split("{% endcomment %}", 1)[1].strip()
    menu = re.sub(
        r"{%.*?%}",
        lambda tag: re.sub(
            r"\b(role|is_superuser|is_staff|district_id)\b", r"user.\1", tag[0]
        ),
        menu,
    )
    base = (TEMPLATES / "base.html").read_text()
    assert base.count("{% role_menu user %}") == 1
    return engines["django"].from_string(base.replace("{% role_menu user %}", menu))


@pytest.mark.django_db
def test_each_kind_of_user_gets_the_menu_printed_for_them(rf):
    first, second = UserFactory(methodologist=True), UserFactory(methodologist=True)
    users = [
        UserFactory(),
        UserFactory(curator=True),
        UserFactory(director=True),
        UserFactory(director=True, is_staff=True),
        UserFactory(psychologist=True),
        UserFactory(regional=True),
        UserFactory(curator=True, is_superuser=True),
        first,
        second,
        first,  # again, after another district's methodologist
        UserFactory(curator=True),
    ]
    inline = _inline_base()

    for user in users:
        request = rf.get("/")
        request.user = user
        page = render_to_string("base.html", request=request)

        assert TOKEN.sub("", page) == TOKEN.sub("", inline.render(request=request))
        organizations = f'href="/district/{user.district_id}/"'
        assert (organizations in page) == (user in (first, second)), user
        assert ("Рабочий кабинет" in page) == user.is_staff, user
        assert ("Приказы на подпись" in page) == (user.role == "director"), user
