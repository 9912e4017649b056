"""Logins in bulk from the banks: invitations by mail, slips on paper."""

import datetime
import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from mentoring import services
from mentoring.models import AuditEntry, Invitation, Person, Role
from tests.factories import (
    ConsentFactory,
    MenteeProfileFactory,
    MentorProfileFactory,
    PersonFactory,
    UserFactory,
)
from tests.login import log_in
from tests.mentoring.orders_helpers import pdf_text

pytestmark = pytest.mark.django_db

User = get_user_model()
PASSWORD = "Надёжный-пароль-2026"
MENTORS = reverse("admin:mentoring_mentorprofile_changelist")
MENTEES = reverse("admin:mentoring_menteeprofile_changelist")
PERSONS = reverse("admin:mentoring_person_changelist")


@pytest.fixture(autouse=True)
def _mail_on_commit(monkeypatch, django_capture_on_commit_callbacks):
    # Letters leave when the action's transaction commits: every request a
    # test's client sends runs the hooks it queued, as a commit would.
    send = Client.request

    def request(self, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return send(self, **kwargs)

    monkeypatch.setattr(Client, "request", request)


@pytest.fixture
def curator(client):
    user = UserFactory(curator=True)
    client.force_login(user)
    return user


def _mentor(organization, **person):
    return MentorProfileFactory(person__organization=organization, **person)


def _mentee(organization, **person):
    return MenteeProfileFactory(person__organization=organization, **person)


def _create(client, page, profiles, action="create_participant_logins", **extra):
    post = {"action": action, "_selected_action": [p.pk for p in profiles]}
    return client.post(page, post, **extra)


def _renew(client, page, profiles, **extra):
    return _create(client, page, profiles, "renew_participant_invitations", **extra)


def _link(message) -> str:
    return re.search(r"/invite/[A-Z0-9]+/", message.body).group(0)


def _set_password(client, link_or_none=None):
    if link_or_none:
        opened = client.get(link_or_none)
        assert opened.status_code == 302, opened.content.decode()[:500]
    return client.post(
        reverse("mentoring:invitation-password"),
        {"new_password1": PASSWORD, "new_password2": PASSWORD},
    )


def _person(profile) -> Person:
    return Person.objects.select_related("user").get(pk=profile.person_id)


def test_curator_creates_logins_and_mails_invitations(client, curator):
    org = curator.organization
    mentor = _mentor(
        org,
        person__last_name="Жукова",
        person__first_name="Юлия",
        person__patronymic="Щербаковна",
        person__email="zhukova@example.ru",
    )
    mentee = _mentee(org, person__email="mentee@example.ru")
    not_chosen = _mentor(org, person__email="other@example.ru")

    with_mentors = _create(client, MENTORS, [mentor], follow=True)
    _create(client, MENTEES, [mentee])

    assert "Приглашения отправлены на эл. почту: 1." in with_mentors.text
    user = _person(mentor).user
    assert user.username == "zhukova.iushch"
    assert (user.role, user.organization, user.email) == (
        Role.PARTICIPANT,
        org,
        "zhukova@example.ru",
    )
    assert not user.has_usable_password()
    assert _person(mentee).user.role == Role.PARTICIPANT
    assert _person(not_chosen).user is None
    assert sorted(m.to[0] for m in mail.outbox) == [
        "mentee@example.ru",
        "zhukova@example.ru",
    ]
    letter = next(m for m in mail.outbox if m.to == ["zhukova@example.ru"])
    assert "zhukova.iushch" in letter.body
    assert _link(letter) in letter.alternatives[0][0]
    created = AuditEntry.objects.filter(action="login.created")
    assert {e.object_id for e in created} == {
        user.pk,
        _person(mentee).user_id,
    }
    assert all(e.actor == curator for e in created)


def test_people_without_email_get_a_pdf_of_login_slips(client, curator):
    org = curator.organization
    mentees = [
        _mentee(
            org,
            person__last_name=last,
            person__first_name="Анна",
            person__patronymic="Сергеевна",
        )
        for last in ("Петрова", "Сидорова", "Ёлкина", "Петрова", "Шишкина")
    ]

    response = _create(client, MENTEES, mentees)

    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(b"".join(response.streaming_content))
    for profile in mentees:
        person = _person(profile)
        assert person.full_name in text
        assert f"Логин: {person.user.username}" in text
    logins = {_person(p).user.username for p in mentees}
    assert len(logins) == 5
    assert {"petrova.as", "petrova.as2", "elkina.as"} <= logins
    assert text.count("Одноразовый код:") == 5
    assert not mail.outbox


def test_invitation_link_works_once_then_is_refused(client, curator):
    profile = _mentor(curator.organization, person__email="m@example.ru")
    _create(client, MENTORS, [profile])
    link = _link(mail.outbox[0])
    invited = Client()

    form = invited.get(link, follow=True)
    assert _person(profile).user.username in form.text
    done = _set_password(invited)

    assert done.status_code == 302
    assert done["Location"] == reverse("surveys:dashboard")
    user = _person(profile).user
    assert int(invited.session["_auth_user_id"]) == user.pk
    assert invited.get(done["Location"]).status_code == 200
    assert log_in(Client(), user.username, PASSWORD)
    assert AuditEntry.objects.filter(action="login.activated", actor=user).exists()

    again = Client().get(link)
    assert again.status_code == 410
    assert "Эта ссылка уже использована" in again.text


def test_expired_link_is_refused(client, curator):
    profile = _mentor(curator.organization, person__email="m@example.ru")
    _create(client, MENTORS, [profile])
    link = _link(mail.outbox[0])
    invited = Client()
    assert invited.get(link).status_code == 302
    Invitation.objects.update(expires_at=timezone.now() - datetime.timedelta(hours=1))

    opened = Client().get(link)
    posted = _set_password(invited)

    assert opened.status_code == 410
    assert "Срок действия ссылки истёк" in opened.text
    assert posted.status_code == 410
    assert "Срок действия ссылки истёк" in posted.text
    assert not _person(profile).user.has_usable_password()


def test_code_from_a_slip_with_the_login_sets_the_password(client, curator):
    profile = _mentee(curator.organization)
    text = pdf_text(b"".join(_create(client, MENTEES, [profile]).streaming_content))
    code = re.search(r"Одноразовый код: ([A-Z0-9-]+)", text).group(1)
    login = _person(profile).user.username
    person = Client()

    wrong = person.post(
        reverse("mentoring:invitation-code"), {"login": "someone", "code": code}
    )
    # As typed on a phone in the Russian layout: lower case, Cyrillic
    # lookalikes, a space for the dash.
    typed_code = code.replace("-", " ").translate(
        str.maketrans("ABCEHKMPTX", "авсенкмртх")
    )
    typed = person.post(
        reverse("mentoring:invitation-code"),
        {"login": login.upper(), "code": typed_code.lower()},
    )

    assert "Ссылка или код недействительны" in wrong.text
    assert typed.status_code == 302
    assert _set_password(person).status_code == 302
    assert log_in(Client(), login, PASSWORD)


def test_another_schools_curator_cannot_create_their_logins(client, curator):
    other = UserFactory(curator=True)
    profile = _mentor(curator.organization, person__email="m@example.ru")
    client.force_login(other)

    _create(client, MENTORS, [profile], follow=True)

    assert _person(profile).user is None
    with pytest.raises(ValidationError) as refused:
        services.create_logins(persons=[profile.person], by=other)
    assert refused.value.code == "forbidden"
    assert not User.objects.filter(role=Role.PARTICIPANT).exists()
    assert not mail.outbox


def test_nobody_without_a_valid_consent_gets_a_login(client, curator):
    org = curator.organization
    person = PersonFactory(organization=org, email="x@example.ru")
    ConsentFactory(person=person, expired=True)
    profile = MentorProfileFactory(person=person)
    ready = _mentor(org, person__email="ready@example.ru")

    response = _create(client, MENTORS, [profile, ready], follow=True)

    assert (
        f"{person.full_name}: нет действующего согласия — на обработку "
        "персональных данных." in response.text
    )
    assert _person(profile).user is None
    assert _person(ready).user is not None
    assert [m.to for m in mail.outbox] == [["ready@example.ru"]]


def test_who_has_a_login_is_skipped_and_reported(client, curator):
    profile = _mentor(curator.organization, person__email="m@example.ru")
    _create(client, MENTORS, [profile])
    login = _person(profile).user.username

    again = _create(client, MENTORS, [profile], follow=True)

    assert f"учётная запись уже есть (логин {login})" in again.text
    assert len(mail.outbox) == 1
    assert User.objects.filter(role=Role.PARTICIPANT).count() == 1


def test_administrator_creates_staff_logins_from_the_persons_list(client, curator):
    person = PersonFactory(
        organization=curator.organization, consented=True, email="d@example.ru"
    )
    post = {"action": "create_director_logins", "_selected_action": [person.pk]}

    as_curator = client.post(PERSONS, post, follow=True)
    assert "create_director_logins" not in as_curator.text
    assert Person.objects.get(pk=person.pk).user is None

    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    client.post(PERSONS, post)

    user = Person.objects.get(pk=person.pk).user
    assert (user.role, user.organization) == (Role.DIRECTOR, curator.organization)
    assert "/invite/" in mail.outbox[0].body


def test_a_new_invitation_replaces_the_old_one(client, curator):
    profile = _mentor(curator.organization, person__email="m@example.ru")
    _create(client, MENTORS, [profile])
    old = _link(mail.outbox[0])

    _renew(client, MENTORS, [profile])

    assert len(mail.outbox) == 2
    assert "Новое приглашение" in mail.outbox[1].subject
    new = _link(mail.outbox[1])
    assert "Срок действия ссылки истёк" in Client().get(old).text
    assert _set_password(Client(), new).status_code == 302
    assert AuditEntry.objects.filter(action="login.invitation_renewed").count() == 1


def test_renewing_a_lost_slip_prints_a_new_code(client, curator):
    profile = _mentee(curator.organization)
    first = pdf_text(b"".join(_create(client, MENTEES, [profile]).streaming_content))
    second = pdf_text(b"".join(_renew(client, MENTEES, [profile]).streaming_content))

    codes = [
        re.search(r"Одноразовый код: ([A-Z0-9-]+)", text).group(1)
        for text in (first, second)
    ]
    login = _person(profile).user.username
    assert codes[0] != codes[1]
    assert f"Логин: {login}" in second
    url = reverse("mentoring:invitation-code")
    stale = Client().post(url, {"login": login, "code": codes[0]})
    assert "Срок действия ссылки истёк" in stale.text
    assert Client().post(url, {"login": login, "code": codes[1]}).status_code == 302


def test_renewing_needs_a_login_and_a_curator_renews_only_participants(client, curator):
    org = curator.organization
    no_login = _mentor(org, person__email="n@example.ru")
    director = PersonFactory(organization=org, consented=True, email="d@example.ru")
    services.create_logins(persons=[director], by=None, role=Role.DIRECTOR)
    invitations = Invitation.objects.count()

    banks = _renew(client, MENTORS, [no_login], follow=True)
    persons = client.post(
        PERSONS,
        {"action": "renew_participant_invitations", "_selected_action": [director.pk]},
        follow=True,
    )

    assert "учётной записи ещё нет — сначала создайте её" in banks.text
    assert "приглашение для учётной записи сотрудника выдаёт администратор" in (
        persons.text
    )
    assert Invitation.objects.count() == invitations


def test_curator_sees_the_invitations_of_their_school_only(client, curator):
    ours = _mentor(curator.organization, person__last_name="Нашева")
    theirs = MentorProfileFactory(person__last_name="Чужова")
    services.create_logins(persons=[ours.person], by=None)
    services.create_logins(persons=[theirs.person], by=None)

    url = reverse("admin:mentoring_invitation_changelist")
    page = client.get(url)
    waiting = client.get(url + "?state=waiting")
    used = client.get(url + "?state=used")

    login = _person(ours).user.username
    assert page.status_code == 200
    assert login in page.text
    assert _person(theirs).user.username not in page.text
    assert login in waiting.text
    assert login not in used.text
