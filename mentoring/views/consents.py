"""The curator's list of people whose personal data must be destroyed, and
the acts of destruction."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, render

from mentoring.access import EVERYONE, role_required
from mentoring.documents import destruction_act_filename
from mentoring.models import DestructionAct, Role
from mentoring.pdf import pdf_response
from mentoring.selectors.consents import destruction_days, persons_to_destroy
from mentoring.services.destruction import stored_act_pdf

# Who answers for personal data at a school, and the district that checks it
# (read-only: the page has no actions).
ROLES = (Role.CURATOR, Role.DIRECTOR, Role.METHODOLOGIST)
ACTS_SHOWN = 50


@login_required
def consent_destruction(request):
    user = request.user
    if not user.is_superuser and user.role not in ROLES:
        raise PermissionDenied
    acts = DestructionAct.objects.visible_to(user).select_related(
        "organization", "destroyed_by"
    )
    return render(
        request,
        "mentoring/consent_destruction.html",
        {
            "rows": persons_to_destroy(user=user),
            "days": destruction_days(),
            "acts": acts[:ACTS_SHOWN],
        },
    )


@role_required(*ROLES, seen_by=EVERYONE)
def destruction_act_pdf(request, pk):
    act = get_object_or_404(
        DestructionAct.objects.visible_to(request.user).select_related(
            "organization", "destroyed_by"
        ),
        pk=pk,
    )
    return pdf_response(
        stored_act_pdf(act=act),
        destruction_act_filename(act),
        inline=request.GET.get("download") != "1",
    )
