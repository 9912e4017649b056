"""Who may open a page: one decorator for every view, and one answer.

The rule, for every view of the site:

- anonymous: the login page, then back to where they were going;
- what the user may not know exists: 404, the same answer as for a record
  that does not exist. That is a page whose role is neither among those who
  use it nor among those who see what it is about (`seen_by`: a participant
  asking for monitoring), and a record outside the user's scope
  (`get_object_or_404(Model.objects.visible_to(user), ...)`, the other
  school's pair);
- what the user may see but not do: 403. That is a role in `seen_by` but not
  in `roles` (a curator signing an order, a psychologist deciding on a
  suggestion), and a record the user sees but may not act on
  (`deny_unless`: a mentee editing the pair's meeting);
- the superuser passes every role gate; the services still check the right
  to act on a record (`ensure_acts_for`) and answer with a Russian message.

A role gate answers before any record is looked up, so it tells nothing about
which records exist.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404

from mentoring.models import Role

STAFF = (Role.CURATOR, Role.DIRECTOR, Role.PSYCHOLOGIST, Role.METHODOLOGIST)
EVERYONE = (*STAFF, Role.PARTICIPANT)
# Who keeps an organization's records (the services check which organization).
ACTING = (Role.CURATOR, Role.DIRECTOR)
# Who reads consents, their scans and forms, and the documents people bring
# (a certificate of no criminal record): the school's office and the district
# that checks it. The psychologist's work (her mentees' support, surveys)
# needs none of them. A participant reads their own, by `visible_to`.
PERSONAL_RECORDS = (Role.CURATOR, Role.DIRECTOR, Role.METHODOLOGIST)


def has_role(user, roles: Iterable[str]) -> bool:
    """The user is signed in and either a superuser or of one of the roles."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return user.is_superuser or user.role in roles


def role_required(*roles: str, seen_by: Iterable[str] = ()) -> Callable:
    """Let `roles` use the view; answer the others by the rule above.

    `seen_by` names the roles that may see what the view is about without
    using it: they get 403, everyone else 404.
    """
    if not roles:
        raise TypeError("role_required needs at least one role.")
    seen_by = tuple(seen_by)

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            user = request.user
            if not user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            check_role(user, roles, seen_by=seen_by)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def check_role(user, roles: Iterable[str], *, seen_by: Iterable[str] = ()) -> None:
    """The role gate of `role_required`, for a view whose roles depend on
    what is asked (a file, by its folder): 403 for `seen_by`, else 404."""
    if not has_role(user, roles):
        if has_role(user, seen_by):
            raise PermissionDenied
        raise Http404


def deny_unless(allowed: bool) -> None:
    """403 for a record the user sees (it came through `visible_to`) but may
    not act on: the pair's mentee editing its meeting."""
    if not allowed:
        raise PermissionDenied
