"""The curator's list of people whose personal data must be destroyed, the
acts of destruction, and a person's data export on request."""

from __future__ import annotations

import io

from django.http import FileResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from mentoring.access import EVERYONE, STAFF, role_required
from mentoring.documents import FILE_DATE, destruction_act_filename, transliterate
from mentoring.models import DestructionAct, Person, Role
from mentoring.pdf import pdf_response
from mentoring.selectors.consents import destruction_days, persons_to_destroy
from mentoring.services.destruction import stored_act_pdf
from mentoring.services.subject_export import export_person_data

# Who answers for personal data at a school, and the district that checks it
# (read-only: the page has no actions).
ROLES = (Role.CURATOR, Role.DIRECTOR, Role.METHODOLOGIST)
ACTS_SHOWN = 50


@role_required(*ROLES, seen_by=STAFF)
def consent_destruction(request):
    user = request.user
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


# The school is the operator: its curator or head answers the request; the
# district and the psychologist know of the person but do not hand data out.
@role_required(Role.CURATOR, Role.DIRECTOR, seen_by=STAFF)
def person_data_export(request, pk):
    """Everything the app holds about the person, as one ZIP (152-ФЗ ст. 14)."""
    person = get_object_or_404(
        Person.objects.visible_to(request.user).select_related("organization"), pk=pk
    )
    content = export_person_data(person=person, by=request.user)
    day = timezone.localdate().strftime(FILE_DATE)
    name = transliterate(f"svedeniya {person.pk} {day}") + ".zip"
    return FileResponse(
        io.BytesIO(content),
        as_attachment=True,
        filename=name,
        content_type="application/zip",
    )
