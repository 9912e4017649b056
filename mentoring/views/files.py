"""Uploaded files (scanned consents and documents) served only to those who see their record."""

from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404

from mentoring.access import EVERYONE, PERSONAL_RECORDS, check_role, role_required
from mentoring.models import Consent, PersonDocument, Role

# Which record owns the files under each upload folder, and which roles read
# them (a participant only their own: the record's `visible_to` says so).
OWNERS = {
    "consents/": (Consent, "scan", (*PERSONAL_RECORDS, Role.PARTICIPANT)),
    "persondocuments/": (PersonDocument, "scan", (*PERSONAL_RECORDS, Role.PARTICIPANT)),
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
            stored = getattr(record, field)
            return FileResponse(
                stored.open("rb"), filename=stored.name.rsplit("/", 1)[-1]
            )
    raise Http404
