"""An uploaded list kept between the preview and the confirmation.

The file waits under MEDIA_ROOT/imports/ with a random name, a folder the
private-file view never serves; the token is remembered in the uploader's
session, so nobody else can confirm it, and the counts are computed again
from the file at confirmation, never taken from the page.
"""

from __future__ import annotations

import re
import secrets
import time
from pathlib import Path

from django.conf import settings

FOLDER = "imports"
MAX_AGE_S = 24 * 3600
TOKEN = re.compile(r"^[A-Za-z0-9_-]{32}$")


def _folder() -> Path:
    folder = Path(settings.MEDIA_ROOT) / FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def keep_upload(file) -> str:
    """Store the file; return the token that opens it again."""
    folder = _folder()
    _drop_stale(folder)
    token = secrets.token_urlsafe(24)
    with open(folder / token, "wb") as target:
        for chunk in file.chunks():
            target.write(chunk)
    return token


def upload_path(token: str) -> Path | None:
    if not TOKEN.match(token or ""):
        return None
    path = _folder() / token
    return path if path.exists() else None


def drop_upload(token: str) -> None:
    path = upload_path(token)
    if path is not None:
        path.unlink(missing_ok=True)


def _drop_stale(folder: Path) -> None:
    # Previews nobody confirmed: personal data should not linger.
    limit = time.time() - MAX_AGE_S
    for path in folder.iterdir():
        if path.is_file() and path.stat().st_mtime < limit:
            path.unlink(missing_ok=True)
