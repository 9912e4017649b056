"""One answer for every page (`mentoring/access.py`): anonymous → login; what
a role may not know exists → 404; what it sees but may not do → 403.

Each row asks one real URL as every kind of user, with records of the school
that the page is about, so a refusal can only come from the rule, not from a
missing record.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import UserFactory
from tests.schools import ROLES, build_school

LOGIN = "login"
OK = "ok"


@pytest.fixture
def school():
    return build_school()


# Who is refused, and how; every role not named passes the gate.
NOT_STAFF = {"outsider": 404, "mentee": 404, "mentor": 404}
NOT_DIRECTOR = {**NOT_STAFF, "curator": 403, "psychologist": 403, "methodologist": 403}
NOT_ACTING = {**NOT_STAFF, "psychologist": 403, "methodologist": 403}
# The mentor plans the pair's meetings, and the school's curator and head may.
NOT_PLANNING = {
    "outsider": 404,  # does not see the pair
    "mentee": 403,
    "psychologist": 403,
    "methodologist": 403,
}
NOT_IN_PAIR = {
    **NOT_PLANNING,
    "mentee": OK,
    "curator": 403,
    "director": 403,
    "superuser": 403,
}

PAGES = [
    ("get", "mentoring:home", (), {"regional": OK}),
    ("get", "mentoring:my-documents", (), {}),
    ("get", "mentoring:orders", (), NOT_DIRECTOR),
    ("post", "mentoring:order-sign", ("order",), NOT_DIRECTOR),
    ("post", "mentoring:order-return", ("order",), NOT_DIRECTOR),
    (
        "get",
        "mentoring:consent-form",
        ("person",),
        # The mentee sees her own card; the outsider does not see it. The
        # psychologist's work does not need the family's personal data.
        {"outsider": 403, "mentee": 403, "mentor": 403, "psychologist": 403},
    ),
    ("get", "mentoring:matching", (), NOT_STAFF),
    ("post", "mentoring:matching", (), NOT_ACTING),
    ("get", "mentoring:matching-run", ("run",), NOT_STAFF),
    ("post", "mentoring:matching-decide", ("run", "suggestion"), NOT_ACTING),
    ("post", "mentoring:matching-accept-all", ("run",), NOT_ACTING),
    ("post", "mentoring:matching-rerun", ("run",), NOT_ACTING),
    ("post", "mentoring:matching-create-pairs", ("run",), NOT_ACTING),
    ("post", "mentoring:matching-order", ("run",), NOT_ACTING),
    ("get", "roadmap:list", (), NOT_STAFF),
    ("get", "roadmap:create", (), {**NOT_STAFF, "psychologist": 403}),
    ("get", "roadmap:detail", ("roadmap",), NOT_STAFF),
    ("get", "roadmap:print", ("roadmap",), NOT_STAFF),
    ("get", "roadmap:xlsx", ("roadmap",), NOT_STAFF),
    (
        "post",
        "roadmap:activity-status",
        ("activity",),
        # The district reads a school's roadmap; the school keeps it.
        {**NOT_STAFF, "psychologist": 403, "methodologist": 403},
    ),
    ("get", "surveys:dashboard", (), {}),
    ("get", "surveys:calendar", (), {}),
    ("get", "surveys:pair", ("pair",), {"outsider": 404}),
    ("get", "surveys:meeting-new", ("pair",), NOT_PLANNING),
    ("get", "surveys:meeting-edit", ("meeting",), NOT_PLANNING),
    ("post", "surveys:meeting-cancel", ("meeting",), NOT_PLANNING),
    ("get", "surveys:feedback", ("meeting",), NOT_IN_PAIR),  # both sides answer
    (
        "get",
        "surveys:answer",
        ("questionnaire",),
        # Everyone reads the standard forms; only a person with a card answers
        # (the outsider has one: a student asking for a mentor).
        {
            "curator": 403,
            "director": 403,
            "psychologist": 403,
            "methodologist": 403,
            "superuser": 403,
        },
    ),
    ("get", "surveys:feedback-owed", (), NOT_STAFF),
    ("get", "surveys:monitoring", (), NOT_STAFF),
    ("get", "surveys:monitoring-xlsx", (), NOT_STAFF),
]


# What a permitted POST sends, so it reaches the service and is not refused as
# malformed: a decision on a suggestion, an activity's status.
FIELDS = {"action": "accepted", "status": "done"}


def _answer(response) -> str | int:
    if response.status_code == 302 and response.url.startswith(reverse(LOGIN)):
        return LOGIN
    if response.status_code in (403, 404):
        return response.status_code
    assert response.status_code in (200, 302), response.status_code
    return OK


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("method", "name", "args", "refused"),
    PAGES,
    ids=[f"{method} {name}" for method, name, _, _ in PAGES],
)
def test_each_role_gets_the_one_answer(client, school, method, name, args, refused):
    url = reverse(name, args=[school.ids[arg] for arg in args])
    expected = {role: refused.get(role, OK) for role in ROLES}
    expected["anonymous"] = LOGIN
    # The regional centre (issue 14) knows none of a school's pages.
    expected["regional"] = refused.get("regional", 404)
    answers = {}
    # Refused roles first: a permitted POST may change what the next one finds.
    for role in sorted(ROLES, key=lambda r: expected[r] == OK):
        client.logout()
        if school.users[role] is not None:
            client.force_login(school.users[role])
        answers[role] = _answer(getattr(client, method)(url, FIELDS))
    assert answers == expected


@pytest.mark.django_db
def test_the_login_page_brings_the_user_back(client):
    url = reverse("surveys:monitoring") + "?year=2025"

    response = client.get(url)

    assert response.status_code == 302
    assert response.url == f"{reverse(LOGIN)}?next=/surveys/monitoring/%3Fyear%3D2025"


@pytest.mark.django_db
def test_refusals_are_explained_in_russian(client):
    client.force_login(UserFactory(curator=True))
    forbidden = client.get(reverse("mentoring:orders"))
    client.force_login(UserFactory())
    missing = client.get(reverse("surveys:monitoring"))

    assert forbidden.status_code == 403
    assert "Нет прав на это действие" in forbidden.text
    assert missing.status_code == 404
    assert "Страница не найдена" in missing.text
