"""Uploaded files (scanned consents and documents) served only to those who see their record."""

from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404

from mentoring.access import EVERYONE, role_required
from mentoring.models import Consent, PersonDocument, scan_content_type

# Which record owns the files under each upload folder.
OWNERS = {
    "consents/": (Consent, "scan"),
    "persondocuments/": (PersonDocument, "scan"),
}


@role_required(*EVERYONE)
def private_file(request, name: str):
    for prefix, (model, field) in OWNERS.items():
        if name.startswith(prefix):
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
