"""Logins with their roles."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from mentoring.models import (
    Organization,
    Person,
    Role,
    User,
)

from .audit import record_change

STAFF_ROLES = (Role.CURATOR, Role.METHODOLOGIST)


@transaction.atomic
def create_account(
    *,
    username: str,
    password: str | None,
    role: str,
    organization: Organization | None = None,
    district=None,
    region=None,
    person: Person | None = None,
    email: str = "",
    first_name: str = "",
    last_name: str = "",
) -> User:
    """A login with its role; curators and methodologists work in the admin.

    `password=None` leaves it unusable: the person sets one by invitation.
    """
    user = User(
        username=username,
        role=role,
        organization=organization,
        district=district,
        region=region,
        email=email,
        first_name=first_name,
        last_name=last_name,
        is_staff=role in STAFF_ROLES,
    )
    if password is None:
        user.set_unusable_password()
    else:
        user.set_password(password)
    user.full_clean()
    user.save()
    if person is not None:
        person.user = user
        person.save(update_fields=["user"])
    return user


def record_password_set(*, user: User, by_mail: bool) -> None:
    """The audit entry for a password its owner changed or reset by mail.

    Django's forms save the password itself; who did it and how is ours.
    """
    if by_mail:
        action = "login.password_reset"
        message = _("Пароль восстановлен по ссылке из письма: %(login)s")
    else:
        action = "login.password_changed"
        message = _("Пароль изменён владельцем: %(login)s")
    record_change(
        actor=user,
        obj=user,
        action=action,
        organization=user.organization,
        message=message % {"login": user.username},
    )
