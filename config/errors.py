"""The site's answer to an uncaught exception, the database outage included.

Django calls handler500 for every exception nothing else caught: in a view,
in a middleware (sessions, the user), in rendering the 403 or 404 page. A
middleware's process_exception would see only the views' exceptions.
"""

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template import loader

# How long a browser or a proxy is asked to wait before asking again while the
# database is away; PostgreSQL restarts in seconds, a failover in a minute.
RETRY_AFTER_SECONDS = 60


def server_error(request) -> HttpResponse:
    """500, or 503 «Сервис временно недоступен» when the database is away.

    Both pages are plain templates rendered without the request's context:
    no context processor runs, so nothing here touches the database (the
    user, the session, messages). Connections come back on their own: a
    connection that failed is closed at the end of the request, and
    CONN_HEALTH_CHECKS checks a kept one before its next use.
    """
    error = sys.exc_info()[1]
    if isinstance(error, OperationalError | InterfaceError):
        body = loader.render_to_string("503.html", {"path": request.get_full_path()})
        response = HttpResponse(body, status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    body = loader.render_to_string("500.html", {"path": request.get_full_path()})
    return HttpResponse(body, status=500)
