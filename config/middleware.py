"""Middleware of the project's own (listed in settings.MIDDLEWARE)."""

import time

from django.conf import settings

# When the session's idle period last started again, in epoch seconds.
RENEWED_AT = "_renewed_at"


class IdleSessionRenewalMiddleware:
    """Start a session's idle period again, at most once a minute.

    A session ends after SESSION_IDLE_MINUTES without a request (issue 12).
    Renewing it on every request (SESSION_SAVE_EVERY_REQUEST) wrote the
    session row on every page, an UPDATE and a COMMIT in pages that only
    read: under load, a good share of PostgreSQL's writes. Renewing when the
    last renewal is SESSION_RENEW_SECONDS old ends an idle session at most
    that much earlier, and drops the writes of every other request.

    Listed after SessionMiddleware, so the session it marks is saved there.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.every = settings.SESSION_RENEW_SECONDS

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        # A 5xx is often the database gone (config/errors.py): the session is
        # left alone, as SessionMiddleware leaves it.
        if session is None or session.is_empty() or response.status_code >= 500:
            return response
        if not session.keys():
            return response  # a visitor's cookie for a session that ended
        now = int(time.time())
        if session.modified or now - session.get(RENEWED_AT, 0) >= self.every:
            session[RENEWED_AT] = now
        return response
