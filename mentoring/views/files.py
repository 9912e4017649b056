"""Uploaded files (scanned consents and documents) served only to those who see their record."""

from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404

from mentoring.access import EVERYONE, PERSONAL_RECORDS, check_role, role_required
from mentoring.models import (
    Consent,
    MentorAgreement,
    PersonDocument,
    Role,
    scan_content_type,
)

# Which record owns the files under each upload folder, and which roles read
# them (a participant only their own: the record's `visible_to` says so).
OWNERS = {
    "consents/": (Consent, "scan", (*PERSONAL_RECORDS, Role.PARTICIPANT)),
    "persondocuments/": (PersonDocument, "scan", (*PERSONAL_RECORDS, Role.PARTICIPANT)),
    # The signed agreement with its pay: the office, and the mentor who signed it.
    "mentoragreements/": (
        MentorAgreement,
        "scan",
        (*PERSONAL_RECORDS, Role.PARTICIPANT),
    ),
}


@role_required(*EVERYONE)
def private_file(request, name: str):
    for prefix, (model, field, roles) in OWNERS.items():
        if name.startswith(prefix):
            # Before the lookup: the answer tells nothing about which files exist.
            check_role(request.user, roles, seen_by=EVERYONE)
            record = get_object_or_404(
                model.objects.visible_to(request.user), **{field: name}
            )
            stored = getattr(record, field).open("rb")
            # Served as what its content is, never as its name says; a file
            # from before uploads were checked that is no scan is a download.
            content_type = scan_content_type(stored.read(8))
            stored.seek(0)
            return FileResponse(
                stored,
                filename=stored.name.rsplit("/", 1)[-1],
                as_attachment=content_type is None,
                content_type=content_type or "application/octet-stream",
            )
    raise Http404
