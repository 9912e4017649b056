"""The curator's list of people whose personal data must be destroyed."""

from __future__ import annotations

from django.shortcuts import render

from mentoring.access import STAFF, role_required
from mentoring.models import Role
from mentoring.selectors.consents import DESTRUCTION_DAYS, persons_to_destroy

# Who answers for personal data at a school, and the district that checks it
# (read-only: the page has no actions).
ROLES = (Role.CURATOR, Role.DIRECTOR, Role.METHODOLOGIST)


@role_required(*ROLES, seen_by=STAFF)
def consent_destruction(request):
    user = request.user
    return render(
        request,
        "mentoring/consent_destruction.html",
        {"rows": persons_to_destroy(user=user), "days": DESTRUCTION_DAYS},
    )
