"""Logins with their roles."""

from __future__ import annotations

from django.db import transaction

from mentoring.models import (
    Organization,
    Person,
    Role,
    User,
)

STAFF_ROLES = (Role.CURATOR, Role.METHODOLOGIST)


@transaction.atomic
def create_account(
    *,
    username: str,
    password: str | None,
    role: str,
    organization: Organization | None = None,
    district=None,
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
