"""Guessing refused: logins and one-time codes are counted by django-axes.

The admin's and the site's login forms go through `authenticate()`, which
axes watches. The invitation code form checks a code, not a password, so it
reports its failures to axes itself (`refused_guess`) and asks before each
try (`is_locked_out`): a printed slip's code is a password until it is used.
"""

from __future__ import annotations

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_cool_off
from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.shortcuts import render
from django.utils.translation import gettext as _


def client_ip(request) -> str:
    """The client's address: the connection's, or the one our own proxies
    put in X-Forwarded-For (the rightmost ones; a client can forge the rest)."""
    forwarded = [
        address.strip()
        for address in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if address.strip()
    ]
    if settings.PROXY_COUNT and len(forwarded) >= settings.PROXY_COUNT:
        return forwarded[-settings.PROXY_COUNT]
    return request.META.get("REMOTE_ADDR", "")


def lockout_message(request) -> str:
    minutes = int(get_cool_off(request).total_seconds() // 60)
    return _(
        "Слишком много неудачных попыток входа. Вход под этим логином с вашего "
        "адреса заблокирован на %(minutes)s мин. Попробуйте позже или "
        "восстановите пароль по электронной почте."
    ) % {"minutes": minutes}


def lockout_response(request, credentials=None):
    """The page a locked-out login gets, the admin's login included."""
    return render(
        request,
        "registration/lockout.html",
        {"message": lockout_message(request)},
        status=429,
    )


def is_locked_out(request, *, username: str) -> bool:
    return not AxesProxyHandler.is_allowed(request, {"username": username})


def refused_guess(request, *, username: str) -> None:
    """Count a wrong code as a failed login; the fifth flags the request, and
    the axes middleware answers with the lockout page instead."""
    user_login_failed.send(
        sender=__name__, credentials={"username": username}, request=request
    )
