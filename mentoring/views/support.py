"""Mentees without a pair: the psychologist's work list (seed stage 5.3).

The home page names the first few; this page lists them all with what the
psychologist works from (requests, difficulties, who asked, why the last
matching run left them out). Those who keep the banks in the back office
reach the same mentees there with a filter.
"""

from __future__ import annotations

from django.shortcuts import render

from mentoring import selectors
from mentoring.access import STAFF, role_required

LIST_SIZE = 200


@role_required(*STAFF)
def support(request):
    mentees = selectors.mentees_without_pair(user=request.user)
    return render(
        request,
        "mentoring/support.html",
        {"mentees": mentees[:LIST_SIZE], "total": mentees.count()},
    )
