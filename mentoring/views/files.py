"""Uploaded files (scanned consents and documents) served only to those who see their record."""

from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404

from mentoring.access import EVERYONE, role_required
from mentoring.models import Consent, PersonDocument

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
            stored = getattr(record, field)
            return FileResponse(
                stored.open("rb"), filename=stored.name.rsplit("/", 1)[-1]
            )
    raise Http404
