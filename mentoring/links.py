"""Links to the site from outside it (e-mail)."""

from django.conf import settings
from django.urls import reverse


def absolute_url(viewname: str, *args) -> str:
    """The page's full address from SITE_URL; only its path if SITE_URL is unset."""
    return settings.SITE_URL.rstrip("/") + reverse(viewname, args=args)
