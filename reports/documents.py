"""«Информация о реализации программы наставничества» (DOMAIN.md §e.6), printed."""

from __future__ import annotations

import datetime

from mentoring.pdf import render_pdf

from .charts import report_charts
from .figures import forms_table, sections
from .selectors import DISTRICT_COLUMNS, Report


def report_pdf(
    report: Report,
    *,
    made_on: datetime.date,
    notes: str = "",
    sent_label: str = "",
    signer_position: str = "",
    signer: str = "",
) -> bytes:
    """Counts and shares only: the document leaves the school, so it names
    nobody but the signer of its organization."""
    ind = report.indicators
    return render_pdf(
        "documents/report.html",
        {
            "report": report,
            "sections": sections(ind),
            "forms": forms_table(ind),
            "charts": report_charts(ind),
            "columns": [label for label, _attr in DISTRICT_COLUMNS],
            "made_on": made_on,
            "notes": notes,
            "sent_label": sent_label,
            "signer_position": signer_position,
            "signer": signer,
        },
    )


def report_filename(report: Report, suffix: str) -> str:
    period = report.period
    return f"otchet-nastavnichestvo-{period.start:%Y%m%d}-{period.end:%Y%m%d}.{suffix}"
