"""An uploaded list kept between the preview and the confirmation.

What waits is the table as read (JSON), not the file: the file is parsed
once, at upload, and a hostile file never reaches a second parser. It waits
under MEDIA_ROOT/imports/ with a random name, a folder the private-file view
never serves; the token is remembered in the uploader's session, so nobody
else can confirm it, and the counts are computed again at confirmation,
never taken from the page.
"""

from __future__ import annotations

import datetime
import json
import os
import re
import secrets
import time
from pathlib import Path

from django.conf import settings

from .reader import Table

FOLDER = "imports"
MAX_AGE_S = 24 * 3600
TOKEN = re.compile(r"^[A-Za-z0-9_-]{32}$")


def _folder() -> Path:
    folder = Path(settings.MEDIA_ROOT) / FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    # Rows of personal data: the application's user only, as for uploads.
    folder.chmod(settings.FILE_UPLOAD_DIRECTORY_PERMISSIONS or 0o700)
    return folder


def _encode(value):
    # Dates are the only values JSON has no type for; a dict never is a cell.
    if isinstance(value, datetime.datetime):
        return {"datetime": value.isoformat()}
    if isinstance(value, datetime.date):
        return {"date": value.isoformat()}
    if isinstance(value, datetime.time):
        return {"time": value.isoformat()}
    raise TypeError(type(value).__name__)


DECODERS = {
    "datetime": datetime.datetime.fromisoformat,
    "date": datetime.date.fromisoformat,
    "time": datetime.time.fromisoformat,
}


def _decode(value: dict):
    if len(value) == 1:
        ((key, text),) = value.items()
        if key in DECODERS:
            return DECODERS[key](text)
    return value


def keep_upload(table: Table) -> str:
    """Store the table read from an upload; return the token that opens it."""
    folder = _folder()
    _drop_stale(folder)
    token = secrets.token_urlsafe(24)
    payload = {"format": table.format, "rows": table.rows}
    mode = settings.FILE_UPLOAD_PERMISSIONS or 0o600
    descriptor = os.open(folder / token, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    with open(descriptor, "w", encoding="utf-8") as target:
        json.dump(payload, target, default=_encode, ensure_ascii=False)
    return token


def kept_upload(token: str) -> Table | None:
    path = _path(token)
    if path is None:
        return None
    with open(path, encoding="utf-8") as source:
        payload = json.load(source, object_hook=_decode)
    rows = [(line, values) for line, values in payload["rows"]]
    return Table(rows=rows, format=payload["format"])


def _path(token: str) -> Path | None:
    if not TOKEN.match(token or ""):
        return None
    path = _folder() / token
    return path if path.exists() else None


def drop_upload(token: str) -> None:
    path = _path(token)
    if path is not None:
        path.unlink(missing_ok=True)


def _drop_stale(folder: Path) -> None:
    # Previews nobody confirmed: personal data should not linger.
    limit = time.time() - MAX_AGE_S
    for path in folder.iterdir():
        if path.is_file() and path.stat().st_mtime < limit:
            path.unlink(missing_ok=True)
