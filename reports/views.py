"""The report pages: a school's, the district's, sending and accepting."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mentoring.access import ACTING, STAFF, role_required
from mentoring.dates import academic_year
from mentoring.models import Organization, Role
from mentoring.params import int_param
from mentoring.pdf import pdf_response

from . import selectors, services
from .charts import report_charts
from .documents import report_filename, report_pdf
from .exports import report_workbook
from .figures import forms_table, sections
from .indicators import Indicators, ReportPeriod
from .models import ReportSubmission

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _period(request) -> ReportPeriod:
    """The academic year asked for (`?year=2025` is 2025/2026), else this one."""
    year = int_param(request.GET.get("year") or request.POST.get("year"))
    if year is not None and 2000 <= year <= 2100:
        return ReportPeriod.academic(year)
    return ReportPeriod.current()


def _years(period: ReportPeriod) -> list[int]:
    """The last five school years, and the one asked for if it is older."""
    current = academic_year()
    return sorted({*range(current - 4, current + 1), period.start.year}, reverse=True)


def _can_send(user, organization) -> bool:
    return user.is_superuser or (
        user.role in ACTING and user.organization_id == organization.pk
    )


def _xlsx(content: bytes, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@role_required(*STAFF)
def index(request):
    """The menu's «Отчёт»: a school's staff to their school's, the district
    to its table."""
    user = request.user
    if user.organization_id and user.role != Role.METHODOLOGIST:
        return redirect("reports:organization", pk=user.organization_id)
    return redirect("reports:district")


def _school(request, pk):
    organization = get_object_or_404(
        Organization.objects.visible_to(request.user), pk=pk
    )
    period = _period(request)
    return selectors.school_report(organization=organization, period=period)


@role_required(*STAFF)
def organization_report(request, pk):
    report = _school(request, pk)
    ind = report.indicators
    period = report.period
    submissions = list(
        selectors.submissions_of(user=request.user, organization=report.organization)
    )
    sent = next(
        (
            s
            for s in submissions
            if (s.period_start, s.period_end) == (period.start, period.end)
        ),
        None,
    )
    return render(
        request,
        "reports/organization.html",
        {
            "report": report,
            "sections": sections(ind),
            "forms": forms_table(ind),
            "charts": report_charts(ind),
            "submissions": submissions,
            "sent": sent,
            "can_send": _can_send(request.user, report.organization),
            "can_accept": request.user.is_superuser
            or request.user.role == Role.METHODOLOGIST,
            "years": _years(period),
            "query": f"year={period.start.year}",
        },
    )


@role_required(*STAFF)
def organization_xlsx(request, pk):
    report = _school(request, pk)
    return _xlsx(report_workbook(report=report), report_filename(report, "xlsx"))


@role_required(*STAFF)
def organization_pdf(request, pk):
    report = _school(request, pk)
    organization = report.organization
    content = report_pdf(
        report,
        made_on=timezone.localdate(),
        signer_position=organization.head_position,
        signer=organization.head_name,
    )
    return pdf_response(content, report_filename(report, "pdf"))


@require_POST
@role_required(*ACTING, seen_by=STAFF)
def send(request, pk):
    organization = get_object_or_404(
        Organization.objects.visible_to(request.user), pk=pk
    )
    period = _period(request)
    try:
        services.send_report(
            organization=organization,
            period=period,
            by=request.user,
            notes=request.POST.get("notes", "")[:5000],
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("Отчёт за %(period)s отправлен в муниципалитет.")
            % {"period": period.label},
        )
    url = reverse("reports:organization", args=[organization.pk])
    return redirect(f"{url}?year={period.start.year}")


@require_POST
@role_required(Role.METHODOLOGIST, seen_by=STAFF)
def accept(request, pk):
    submission = get_object_or_404(
        ReportSubmission.objects.visible_to(request.user), pk=pk
    )
    try:
        services.accept_report(submission=submission, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Отчёт принят."))
    url = reverse("reports:organization", args=[submission.organization_id])
    return redirect(f"{url}?year={submission.period_start.year}")


@role_required(*STAFF)
def submission_pdf(request, pk):
    """The report as it was sent: its frozen figures, whatever changed since."""
    submission = get_object_or_404(
        ReportSubmission.objects.visible_to(request.user).select_related(
            "organization"
        ),
        pk=pk,
    )
    organization = submission.organization
    report = selectors.Report(
        scope=organization.short_name,
        period=ReportPeriod(submission.period_start, submission.period_end),
        indicators=Indicators.from_dict(submission.figures),
        organization=organization,
    )
    content = report_pdf(
        report,
        made_on=timezone.localdate(submission.sent_at),
        notes=submission.notes,
        sent_label=selectors.status_label(submission),
        signer_position=organization.head_position,
        signer=organization.head_name,
    )
    return pdf_response(content, report_filename(report, "pdf"))


def _district(request):
    user = request.user
    scope = user.district.name if user.district_id else _("все организации")
    return selectors.district_report(
        organizations=Organization.objects.visible_to(user),
        period=_period(request),
        scope=scope,
    )


@role_required(Role.METHODOLOGIST)
def district(request):
    report = _district(request)
    ind = report.indicators
    return render(
        request,
        "reports/district.html",
        {
            "report": report,
            "sections": sections(ind),
            "forms": forms_table(ind),
            "charts": report_charts(ind),
            "columns": [label for label, _attr in selectors.DISTRICT_COLUMNS],
            "years": _years(report.period),
            "query": f"year={report.period.start.year}",
        },
    )


@role_required(Role.METHODOLOGIST)
def district_xlsx(request):
    report = _district(request)
    return _xlsx(
        report_workbook(
            report=report,
            columns=[("Отчёт", None), *selectors.DISTRICT_COLUMNS],
            organizations=selectors.district_rows(report),
        ),
        report_filename(report, "xlsx"),
    )


@role_required(Role.METHODOLOGIST)
def district_pdf(request):
    report = _district(request)
    user = request.user
    initial = f"{user.first_name[:1]}. " if user.first_name else ""
    content = report_pdf(
        report,
        made_on=timezone.localdate(),
        signer_position=_("Методист района"),
        signer=f"{initial}{user.last_name}".strip(),
    )
    return pdf_response(content, report_filename(report, "pdf"))
