"""The public pages' cache: each page is stored under the version of the
organizations it shows (PageVersion), the day and the visitor's display
mode; a change raises the version, and the stale copy is never asked for
again. The version lives in the database, so every worker of the site sees
a change at once, whatever cache backend it has."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import partial

from django.core.cache import cache
from django.db import transaction
from django.db.models import Count, F, QuerySet, Sum
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import patch_vary_headers

from mentoring.models import Organization

from .models import PageVersion

# A day at most: a page outlives no consent that expires by date (the day
# is in the key too).
TIMEOUT = 24 * 60 * 60


def raise_version(organization_ids: Iterable[int]) -> None:
    """Invalidate the cached pages of these organizations (and so of their
    districts' pages), once the change commits.

    After the commit, not inside the change's transaction: every write of a
    school would otherwise lock the one version row until its commit, and two
    services locking their own rows first (a pair, a person) could deadlock on
    it. A page rendered between the commit and the raise is stored under the
    old version and never asked for again. Only an update: a row is made by
    the first page that needs it, never here, where the organization may be
    being deleted."""
    ids = {pk for pk in organization_ids if pk is not None}
    if ids:
        transaction.on_commit(partial(_raise, ids), robust=True)


def _raise(ids: set[int]) -> None:
    PageVersion.objects.filter(organization_id__in=ids).update(version=F("version") + 1)


def version_of(organizations: QuerySet[Organization]) -> str:
    """The versions' fingerprint: their sum grows with any change. An
    organization without its row yet gets one first, so the next change
    has a row to raise."""
    totals = organizations.aggregate(
        total=Sum("page_version__version"),
        rows=Count("pk"),
        known=Count("page_version"),
    )
    if totals["known"] != totals["rows"]:
        PageVersion.objects.bulk_create(
            [
                PageVersion(organization_id=pk)
                for pk in organizations.values_list("pk", flat=True)
            ],
            ignore_conflicts=True,
        )
        return version_of(organizations)
    return f"{totals['total'] or 0}.{totals['rows']}"


def cached_page(
    *,
    name: str,
    organizations: QuerySet[Organization],
    mode: str,
    render: Callable[[], HttpResponse],
) -> HttpResponse:
    """The page from the cache, else rendered by `render` and stored."""
    key = ":".join(
        (
            "public",
            name,
            version_of(organizations),
            timezone.localdate().isoformat(),
            mode,
        )
    )
    content = cache.get(key)
    if content is None:
        response = render()
        if response.status_code != 200:
            return response
        cache.set(key, response.content, TIMEOUT)
    else:
        response = HttpResponse(content)
    # The display mode comes from a cookie: a shared cache must keep both.
    patch_vary_headers(response, ["Cookie"])
    return response
