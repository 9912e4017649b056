"""Stored files that no record holds any more are removed, never kept.

A file is written when its record is saved, inside the transaction; if that
transaction rolls back afterwards (another row of the same form refused),
or the record is deleted later (a person and their consents), the file
stays on disk with nobody's name on it: personal data no one can see, list
or destroy through the application. The daily pass finds such files in the
folders our file fields write to and removes them.
"""

from __future__ import annotations

import datetime
import logging
import time
from pathlib import Path

from django.conf import settings
from django.core.files.storage import default_storage

from mentoring.models import (
    Consent,
    DestructionAct,
    DocumentBatch,
    MentorAgreement,
    Order,
    PersonDocument,
)

logger = logging.getLogger(__name__)

# Every file field of our models and the folder its files go under; a test
# walks the models so a new file field cannot be left out.
FILE_FIELDS = {
    "consents/": (Consent, "scan"),
    "persondocuments/": (PersonDocument, "scan"),
    "orders/": (Order, "pdf"),
    "destructionacts/": (DestructionAct, "pdf"),
    # A replaced scan of a signed agreement is swept like any other.
    "mentoragreements/": (MentorAgreement, "scan"),
    # ZIPs of printed batches; a failed batch deletes its own.
    "documentbatchs/": (DocumentBatch, "zip"),
}
# An upload is written before its transaction commits: a younger file may
# belong to a record about to appear.
GRACE = datetime.timedelta(hours=1)


def remove_orphan_files(*, grace: datetime.timedelta = GRACE) -> list[str]:
    """Remove the files under our upload folders that no record names;
    return their names."""
    root = Path(settings.MEDIA_ROOT)
    limit = time.time() - grace.total_seconds()
    removed = []
    for folder, (model, field) in FILE_FIELDS.items():
        if not (root / folder).is_dir():
            continue
        held = set(
            model._default_manager.exclude(**{field: ""}).values_list(field, flat=True)
        )
        for path in sorted((root / folder).rglob("*")):
            if not path.is_file() or path.stat().st_mtime >= limit:
                continue
            name = path.relative_to(root).as_posix()
            if name not in held:
                default_storage.delete(name)
                removed.append(name)
    if removed:
        logger.warning("Removed %s stored files no record holds", len(removed))
    return removed
