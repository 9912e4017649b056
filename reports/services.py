"""Sending the school's report to the municipality, and its acceptance."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mentoring.dates import short_date
from mentoring.links import absolute_url
from mentoring.mail import send_templated
from mentoring.models import Organization, Role, User
from mentoring.services import ensure_acts_for, record_change

from .indicators import ReportPeriod, organization_indicators
from .models import ReportSubmission


@transaction.atomic
def send_report(
    *,
    organization: Organization,
    period: ReportPeriod,
    by: User,
    notes: str = "",
) -> ReportSubmission:
    """Record the report as sent, its figures frozen as they are now."""
    ensure_acts_for(by=by, organization=organization)
    # Two sendings of one period at once queue here; the unique constraint
    # backs it up.
    Organization.objects.select_for_update().get(pk=organization.pk)
    sent = ReportSubmission.objects.filter(
        organization=organization, period_start=period.start, period_end=period.end
    ).first()
    if sent is not None:
        raise ValidationError(
            _("Отчёт за %(period)s уже отправлен %(day)s: повторно не отправляется.")
            % {
                "period": period.label,
                "day": short_date(timezone.localdate(sent.sent_at)),
            },
            code="already_sent",
        )
    grouped = organization_indicators(
        organizations=Organization.objects.filter(pk=organization.pk),
        period_start=period.start,
        period_end=period.end,
    )
    if grouped.total.is_empty:
        raise ValidationError(
            _(
                "За период %(period)s нет данных: ни одна пара не работала, "
                "встреч и анкет нет. Отчёт не отправлен."
            )
            % {"period": period.label},
            code="empty",
        )
    submission = ReportSubmission(
        organization=organization,
        period_start=period.start,
        period_end=period.end,
        figures=grouped.total.as_dict(),
        notes=notes.strip(),
        sent_by=by,
        sent_at=timezone.now(),
    )
    submission.full_clean()
    submission.save()
    record_change(
        actor=by,
        obj=submission,
        action="report.sent",
        message=_("Отчёт за %(period)s отправлен в муниципалитет")
        % {"period": period.label},
        organization=organization,
    )
    notify_report_sent(submission=submission, period=period)
    return submission


def notify_report_sent(*, submission: ReportSubmission, period: ReportPeriod) -> None:
    """The district's methodologists learn of it; the letter goes on commit."""
    organization = submission.organization
    methodologists = User.objects.filter(
        role=Role.METHODOLOGIST, district_id=organization.district_id, is_active=True
    ).values_list("email", flat=True)
    send_templated(
        name="report_sent",
        to=methodologists,
        context={
            "organization": organization,
            "period": period,
            "url": absolute_url("reports:submission-pdf", submission.pk),
            "district_url": absolute_url("reports:district")
            + f"?year={period.start.year}",
        },
    )


@transaction.atomic
def accept_report(*, submission: ReportSubmission, by: User) -> ReportSubmission:
    """The district's methodologist (or the superuser) accepts a sent report."""
    submission = ReportSubmission.objects.select_for_update().get(pk=submission.pk)
    district_id = submission.organization.district_id
    if not by.is_superuser and not (
        by.role == Role.METHODOLOGIST and by.district_id == district_id
    ):
        raise ValidationError(
            _("Принять отчёт может только методист района этой организации."),
            code="forbidden",
        )
    if submission.status != ReportSubmission.Status.SENT:
        raise ValidationError(_("Отчёт уже принят."), code="decided")
    submission.status = ReportSubmission.Status.ACCEPTED
    submission.accepted_by, submission.accepted_at = by, timezone.now()
    submission.save(update_fields=["status", "accepted_by", "accepted_at"])
    record_change(
        actor=by,
        obj=submission,
        action="report.accepted",
        message=_("Отчёт принят"),
        organization=submission.organization,
    )
    return submission
