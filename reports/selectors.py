"""Reads of the reports: statuses for the district's table, the figures, the
history of sendings."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db.models import QuerySet
from django.utils import timezone

from mentoring.dates import short_date
from mentoring.models import Organization, User

from .indicators import GroupedIndicators, organization_indicators  # noqa: F401
from .models import ReportSubmission

NOT_SENT = "не отправлен"


def report_statuses(
    *,
    organization_ids: Iterable[int],
    period_start: datetime.date,
    period_end: datetime.date,
) -> dict[int, str]:
    """Each organization's report for the period, as the district's table
    shows it: «отправлен 01.06.2026», «принят 03.06.2026» or «не отправлен».
    One query."""
    ids = list(organization_ids)
    statuses = dict.fromkeys(ids, NOT_SENT)
    for submission in ReportSubmission.objects.filter(
        organization_id__in=ids, period_start=period_start, period_end=period_end
    ).only("organization_id", "status", "sent_at", "accepted_at"):
        statuses[submission.organization_id] = status_label(submission)
    return statuses


def status_label(submission: ReportSubmission) -> str:
    moment = (
        submission.accepted_at
        if submission.status == ReportSubmission.Status.ACCEPTED
        else submission.sent_at
    )
    return f"{submission.get_status_display()} {short_date(timezone.localdate(moment))}"


def submissions_of(
    *, user: User, organization: Organization
) -> QuerySet[ReportSubmission]:
    return (
        ReportSubmission.objects.visible_to(user)
        .filter(organization=organization)
        .select_related("sent_by", "accepted_by")
    )


def submissions_for_period(
    *, organizations: QuerySet[Organization], period_start, period_end
) -> dict[int, ReportSubmission]:
    return {
        s.organization_id: s
        for s in ReportSubmission.objects.filter(
            organization__in=organizations,
            period_start=period_start,
            period_end=period_end,
        )
    }


class Report:
    """One report as shown, exported and printed: whose, for when, the
    figures, and (for the district) a row per organization."""

    def __init__(self, *, scope, period, indicators, organization=None):
        self.scope = scope
        self.period = period
        self.indicators = indicators
        self.organization = organization
        self.rows: list[dict] = []


# The district's table: a column per figure of each organization.
DISTRICT_COLUMNS = [
    ("Наставников", "mentors"),
    ("Наставляемых", "mentees"),
    ("Пар", "pairs"),
    ("Групп", "groups"),
    ("Молодые специалисты в наставничестве, %", "young_share"),
    ("Полнота обратной связи, %", "feedback_rate"),
    ("Удовлетворённость, %", "satisfaction"),
    ("Завершённые программы, %", "completion_rate"),
]


def school_report(*, organization: Organization, period) -> Report:
    grouped = organization_indicators(
        organizations=Organization.objects.filter(pk=organization.pk),
        period_start=period.start,
        period_end=period.end,
    )
    return Report(
        scope=organization.short_name,
        period=period,
        indicators=grouped.total,
        organization=organization,
    )


def district_report(*, organizations: QuerySet[Organization], period, scope) -> Report:
    """The report summed over `organizations`, and a row per organization
    with its report's status: a fixed number of queries."""
    organizations = organizations.order_by("short_name")
    grouped = organization_indicators(
        organizations=organizations,
        period_start=period.start,
        period_end=period.end,
    )
    names = dict(organizations.values_list("pk", "short_name"))
    statuses = report_statuses(
        organization_ids=names, period_start=period.start, period_end=period.end
    )
    report = Report(scope=scope, period=period, indicators=grouped.total)
    for pk, name in names.items():
        ind = grouped.per_organization[pk]
        report.rows.append(
            {
                "pk": pk,
                "name": name,
                "status": statuses[pk],
                "values": [getattr(ind, attr) for _label, attr in DISTRICT_COLUMNS],
            }
        )
    return report


def district_rows(report: Report) -> list[list]:
    """The table's rows for the workbook: name, status, the figures."""
    return [[row["name"], row["status"], *row["values"]] for row in report.rows]
