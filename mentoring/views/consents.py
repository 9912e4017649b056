"""The curator's list of people whose personal data must be destroyed."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from mentoring.models import Role
from mentoring.selectors.consents import DESTRUCTION_DAYS, persons_to_destroy

# Who answers for personal data at a school, and the district that checks it
# (read-only: the page has no actions).
ROLES = (Role.CURATOR, Role.DIRECTOR, Role.METHODOLOGIST)


@login_required
def consent_destruction(request):
    user = request.user
    if not user.is_superuser and user.role not in ROLES:
        raise PermissionDenied
    return render(
        request,
        "mentoring/consent_destruction.html",
        {"rows": persons_to_destroy(user=user), "days": DESTRUCTION_DAYS},
    )
