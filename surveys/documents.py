"""The printed monitoring report (DESIGN.md §3): context and rendering."""

from __future__ import annotations

from django.utils import timezone

from mentoring.models import User
from mentoring.pdf import render_pdf

from .charts import monitoring_charts
from .monitoring import Monitoring


def monitoring_report_pdf(result: Monitoring, *, scope: str, user: User) -> bytes:
    organization = user.organization
    return render_pdf(
        "documents/monitoring_report.html",
        {
            "result": result,
            "scope": scope,
            "organization": organization,
            "charts": monitoring_charts(result),
            "made_on": timezone.localdate(),
            "made_by": user.get_full_name() or user.username,
        },
    )
