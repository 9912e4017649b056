"""Logins in bulk: created for chosen people, handed over by a one-time
invitation (a mailed link, or a code printed on a login slip)."""

from __future__ import annotations

import datetime
import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from mentoring.documents import transliterate
from mentoring.links import absolute_url
from mentoring.mail import send_templated
from mentoring.models import (
    ORGANIZATION_ROLES,
    Invitation,
    Person,
    Role,
    User,
)

from .accounts import create_account
from .audit import ensure_acts_for, record_change
from .consents import ensure_consents

# A mailed link is opened within days; a printed slip waits for the class
# hour when the curator hands it out.
VALID_DAYS = {Invitation.Channel.EMAIL: 7, Invitation.Channel.SLIP: 30}
# No 0/O, 1/I/L: a code is read off paper and typed on a phone.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
# 10 characters of 31 (~49 bits) are typed with the login, expire and work
# once; a mailed link is never typed, so it is longer (~119 bits).
CODE_LENGTH = {Invitation.Channel.EMAIL: 24, Invitation.Channel.SLIP: 10}
# Roles the administrator gives to an organization's staff from the persons list.
STAFF_LOGIN_ROLES = ORGANIZATION_ROLES


@dataclass
class IssuedLogin:
    person: Person
    user: User
    channel: str
    expires_at: datetime.datetime
    # The code in clear exists only here, on its way to the letter or slip.
    code: str = field(repr=False, default="")

    @property
    def url(self) -> str:
        return absolute_url("mentoring:invitation", self.code)

    @property
    def code_display(self) -> str:
        """«ABCDE-FGHJK»: in groups, as printed; typed with or without dashes."""
        return "-".join(self.code[i : i + 5] for i in range(0, len(self.code), 5))


@dataclass
class LoginsResult:
    invited: list[IssuedLogin] = field(default_factory=list)
    slips: list[IssuedLogin] = field(default_factory=list)
    # (person, why): already have a login, or may not get one.
    skipped: list[tuple[Person, str]] = field(default_factory=list)
    refused: list[tuple[Person, str]] = field(default_factory=list)


# A pupil types the code on a phone left in the Russian layout: the Cyrillic
# letters that look like Latin ones are read as those.
_LOOKALIKES = str.maketrans("АВСЕНКМОРТХУ", "ABCEHKMOPTXY")


def normalize_code(code: str) -> str:
    """«abcde-fgh23», «ABCDE FGH23», «АВСDЕ-FGH23» (Cyrillic А, В, С, Е) alike."""
    code = code.upper().translate(_LOOKALIKES)
    return "".join(ch for ch in code if ch.isascii() and ch.isalnum())


def _hash(code: str) -> str:
    # Keyed by SECRET_KEY: a copy of the table alone cannot be searched for
    # the short codes of the slips.
    return salted_hmac(
        "mentoring.invitation", normalize_code(code), algorithm="sha256"
    ).hexdigest()


def login_name(person: Person, *, taken: Iterable[str] = ()) -> str:
    """«Иванова Мария Петровна» → «ivanova.mp»; «ivanova.mp2» if taken."""
    surname = transliterate(person.last_name).replace("_", "-")[:100] or "user"
    initials = "".join(
        transliterate(part[:1]) for part in (person.first_name, person.patronymic)
    )
    base = f"{surname}.{initials}" if initials else surname
    taken = set(taken)
    name, n = base, 1
    while name in taken:
        n += 1
        name = f"{base}{n}"
    return name


def _issue(*, person: Person, user: User, channel: str, by: User | None) -> IssuedLogin:
    now = timezone.now()
    # A new invitation replaces any older one still waiting: one code works.
    Invitation.objects.filter(
        user=user, used_at__isnull=True, expires_at__gt=now
    ).update(expires_at=now)
    code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH[channel]))
    invitation = Invitation.objects.create(
        user=user,
        token_hash=_hash(code),
        channel=channel,
        created_at=now,
        created_by=by if by and by.is_authenticated else None,
        expires_at=now + datetime.timedelta(days=VALID_DAYS[channel]),
    )
    return IssuedLogin(
        person=person,
        user=user,
        channel=channel,
        expires_at=invitation.expires_at,
        code=code,
    )


def _create_login(*, person: Person, role: str) -> User:
    # Two batches naming two «Иванова М.П.» at once: the loser of the unique
    # username retries under the next number, inside its own savepoint.
    taken: set[str] = set()
    for _attempt in range(5):
        base = login_name(person)
        taken |= set(
            User.objects.filter(username__startswith=base).values_list(
                "username", flat=True
            )
        )
        username = login_name(person, taken=taken)
        try:
            with transaction.atomic():
                return create_account(
                    username=username,
                    password=None,
                    role=role,
                    organization=person.organization,
                    person=person,
                    email=person.email,
                    first_name=person.first_name,
                    last_name=person.last_name,
                )
        except IntegrityError:
            taken.add(username)
    raise ValidationError(
        _("Не удалось подобрать свободный логин для %(name)s.")
        % {"name": person.full_name},
        code="login_taken",
    )


def _locked(persons: Iterable[Person]):
    # Locked, so a second curator's batch waits and then sees the login.
    return (
        Person.objects.select_for_update(of=("self",))
        .filter(pk__in=[p.pk for p in persons])
        .select_related("organization", "user")
        .prefetch_related("consents")
        .order_by("last_name", "first_name", "patronymic", "pk")
    )


def _invite(
    *, person: Person, user: User, by: User | None, renewed: bool, result
) -> None:
    """Issue the invitation: mailed if the person has an address, else a slip."""
    channel = Invitation.Channel.EMAIL if person.email else Invitation.Channel.SLIP
    issued = _issue(person=person, user=user, channel=channel, by=by)
    if channel == Invitation.Channel.SLIP:
        result.slips.append(issued)
        return
    send_templated(
        name="invitation",
        to=[person.email],
        context={
            "person": person,
            "login": user.username,
            "url": issued.url,
            "expires_at": issued.expires_at,
            "renewed": renewed,
        },
    )
    result.invited.append(issued)


@transaction.atomic
def create_logins(
    *, persons: Iterable[Person], by: User | None, role: str = Role.PARTICIPANT
) -> LoginsResult:
    """Logins for the people: an invitation by mail to those with an address,
    a slip's code for the others. Who has a login is skipped; who has no
    valid consent to the processing of their data gets none (152-ФЗ)."""
    if role != Role.PARTICIPANT:
        if role not in STAFF_LOGIN_ROLES:
            raise ValidationError(_("Неизвестная роль."), code="role")
        if by is not None and not by.is_superuser:
            raise ValidationError(
                _("Учётные записи сотрудников создаёт администратор."),
                code="forbidden",
            )
    result = LoginsResult()
    for person in _locked(persons):
        ensure_acts_for(by=by, organization=person.organization)
        if person.user_id is not None:
            result.skipped.append(
                (
                    person,
                    _("%(name)s: учётная запись уже есть (логин %(login)s).")
                    % {"name": person.full_name, "login": person.user.username},
                )
            )
            continue
        try:
            ensure_consents(person=person)
        except ValidationError as error:
            result.refused.append((person, error.messages[0]))
            continue
        user = _create_login(person=person, role=role)
        record_change(
            actor=by,
            obj=user,
            action="login.created",
            organization=person.organization,
            message=_("Создана учётная запись %(login)s (%(role)s) — %(name)s")
            % {
                "login": user.username,
                "role": user.get_role_display(),
                "name": person.full_name,
            },
            data={"person": person.pk, "role": role},
        )
        _invite(person=person, user=user, by=by, renewed=False, result=result)
    return result


@transaction.atomic
def renew_invitations(*, persons: Iterable[Person], by: User | None) -> LoginsResult:
    """A new one-time link or code for people who have a login: the slip was
    lost, the link expired, the password forgotten. Older codes stop working.

    A curator renews only participants' logins: renewing a colleague's would
    hand the curator that colleague's account.
    """
    result = LoginsResult()
    for person in _locked(persons):
        ensure_acts_for(by=by, organization=person.organization)
        user = person.user
        if user is None:
            result.skipped.append(
                (
                    person,
                    _("%(name)s: учётной записи ещё нет — сначала создайте её.")
                    % {"name": person.full_name},
                )
            )
            continue
        if user.role != Role.PARTICIPANT and by is not None and not by.is_superuser:
            result.refused.append(
                (
                    person,
                    _(
                        "%(name)s: приглашение для учётной записи сотрудника "
                        "выдаёт администратор."
                    )
                    % {"name": person.full_name},
                )
            )
            continue
        try:
            ensure_consents(person=person)
        except ValidationError as error:
            result.refused.append((person, error.messages[0]))
            continue
        record_change(
            actor=by,
            obj=user,
            action="login.invitation_renewed",
            organization=person.organization,
            message=_("Выдано новое приглашение для %(login)s — %(name)s")
            % {"login": user.username, "name": person.full_name},
            data={"person": person.pk},
        )
        _invite(person=person, user=user, by=by, renewed=True, result=result)
    return result


def _refusal(invitation: Invitation | None) -> ValidationError | None:
    if invitation is None or not invitation.user.is_active:
        return ValidationError(
            _(
                "Ссылка или код недействительны. Проверьте, что они набраны без "
                "ошибок, или попросите куратора выдать новое приглашение."
            ),
            code="unknown",
        )
    if invitation.used_at is not None:
        return ValidationError(
            _(
                "Эта ссылка уже использована: пароль задан %(day)s. Войдите "
                "со своим логином и паролем. Если пароль забыт, обратитесь к "
                "куратору за новым приглашением."
            )
            % {"day": date_format(timezone.localtime(invitation.used_at), "j E Y")},
            code="used",
        )
    if invitation.is_expired():
        return ValidationError(
            _(
                "Срок действия ссылки истёк %(day)s. Попросите куратора выдать "
                "новое приглашение."
            )
            % {"day": date_format(timezone.localtime(invitation.expires_at), "j E Y")},
            code="expired",
        )
    return None


def open_invitation(*, code: str, login: str | None = None) -> Invitation:
    """The invitation the link or the typed code names, if it still works;
    else a ValidationError saying why (unknown, used, expired)."""
    invitation = (
        Invitation.objects.select_related("user").filter(token_hash=_hash(code)).first()
    )
    if (
        invitation is not None
        and login is not None
        and invitation.user.username.lower() != login.strip().lower()
    ):
        invitation = None
    refusal = _refusal(invitation)
    if refusal is not None:
        raise refusal
    return invitation


@transaction.atomic
def accept_invitation(*, code: str, password: str) -> User:
    """Set the password the person chose; the invitation is spent."""
    invitation = (
        Invitation.objects.select_for_update()
        .select_related("user")
        .filter(token_hash=_hash(code))
        .first()
    )
    # Checked again under the lock: the same link opened in two tabs.
    refusal = _refusal(invitation)
    if refusal is not None:
        raise refusal
    user = invitation.user
    user.set_password(password)
    user.save(update_fields=["password"])
    invitation.used_at = timezone.now()
    invitation.save(update_fields=["used_at"])
    record_change(
        actor=user,
        obj=user,
        action="login.activated",
        organization=user.organization,
        message=_("Пароль задан по приглашению: %(login)s") % {"login": user.username},
        data={"invitation": invitation.pk, "channel": invitation.channel},
    )
    return user
