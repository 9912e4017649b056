"""The Content-Security-Policy header: the site's pages, and what the admin needs.

The site's own pages load scripts and styles only from our static files
(CONTENT_SECURITY_POLICY in settings; no inline <script>, no style=""). The
admin is Django's and django-import-export's markup, which we do not own:
- styles: Django's change list writes a <style> block when a list has no
  actions, import-export's export page and our admin widgets (surveys) use
  style="", and Select2 (autocomplete) builds markup with style="": the
  admin allows inline styles;
- scripts: Django's admin has no inline scripts; import-export's export page
  has one inline handler, onchange="onSelectToggleChange(event)" («Выбрать
  все»), allowed by its hash alone ('unsafe-hashes'), not any inline script.
"""

import base64
import hashlib

from csp.constants import SELF, UNSAFE_HASHES, UNSAFE_INLINE
from csp.middleware import CSPMiddleware, PolicyParts
from django.urls import reverse


def _script_hash(source: str) -> str:
    digest = base64.b64encode(hashlib.sha256(source.encode()).digest()).decode()
    return f"'sha256-{digest}'"


ADMIN_POLICY_UPDATE = {
    "style-src": [SELF, UNSAFE_INLINE],
    "script-src": [
        SELF,
        UNSAFE_HASHES,
        _script_hash("onSelectToggleChange(event)"),
    ],
}


class SiteCSPMiddleware(CSPMiddleware):
    """django-csp's middleware, with the admin's additions on admin pages."""

    def get_policy_parts(self, request, response, report_only=False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if request.path_info.startswith(reverse("admin:index")):
            parts.update = {**ADMIN_POLICY_UPDATE, **(parts.update or {})}
        return parts
