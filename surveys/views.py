"""The participants' site (pairs, meetings, feedback) and the curator's pages."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mentoring.access import EVERYONE, STAFF, deny_unless, role_required
from mentoring.calendar import meetings_ics
from mentoring.models import (
    Meeting,
    Organization,
    Pair,
    Participation,
    Person,
    Program,
)
from mentoring.params import int_param
from mentoring.pdf import pdf_response
from mentoring.selectors import pairs_with_people
from mentoring.services.consents import missing_consents
from mentoring.services.meetings import (
    cancel_meeting,
    ensure_mentor_of,
    has_feedback,
    is_mentor_of,
    plan_meeting,
    update_meeting,
)

from . import selectors, services
from .charts import monitoring_charts
from .documents import monitoring_report_pdf
from .exports import monitoring_workbook
from .forms import MeetingEditForm, MeetingForm, ResponseForm, question_field_name
from .models import Questionnaire, Response
from .monitoring import Period, monitoring
from .monitoring_page import (
    form_rows,
    organization_options,
    pair_rows,
    participant_rows,
    question_delta_rows,
    question_groups,
    year_options,
)


def _person(user) -> Person | None:
    return Person.objects.filter(user=user).first()


def _plans(user, pair: Pair) -> bool:
    """The pair's mentor, or its organization's curator or head."""
    try:
        ensure_mentor_of(user=user, pair=pair)
    except ValidationError:
        return False
    return True


@role_required(*EVERYONE)
def dashboard(request):
    person = selectors.dashboard_person(user=request.user)
    pairs = (
        selectors.dashboard_pairs(user=request.user, person=person) if person else []
    )
    # The services take no answer from a person whose consent has ended:
    # offer none, and say why.
    consent_ended = bool(person and missing_consents(person=person))
    return render(
        request,
        "surveys/dashboard.html",
        {
            "person": person,
            "pairs": pairs,
            "bank_surveys": (
                _offers(person=person, pairs=pairs, closed=consent_ended)
                if person
                else []
            ),
            "owed_total": sum(len(p.owed) for p in pairs),
            "consent_ended": consent_ended,
        },
    )


@role_required(*EVERYONE)
def pair_detail(request, pk):
    pair = get_object_or_404(
        pairs_with_people(Pair.objects.visible_to(request.user)), pk=pk
    )
    person = _person(request.user)
    in_pair = person is not None and any(
        p.person_id == person.pk for p in pair.participations.all()
    )
    can_plan = is_mentor_of(user=request.user, pair=pair)
    return render(
        request,
        "surveys/pair.html",
        {
            "pair": pair,
            "meetings": selectors.pair_meetings(
                pair=pair, person=person if in_pair else None
            ),
            "in_pair": in_pair,
            "can_plan": can_plan,
            "form": MeetingForm() if can_plan else None,
        },
    )


@role_required(*EVERYONE)
def meeting_new(request, pk):
    pair = get_object_or_404(Pair.objects.visible_to(request.user), pk=pk)
    deny_unless(_plans(request.user, pair))
    form = MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = plan_meeting(pair=pair, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("Встреча внесена: %(meeting)s.") % {"meeting": meeting},
            )
            return redirect("surveys:pair", pk=pair.pk)
    return render(request, "surveys/meeting_form.html", {"pair": pair, "form": form})


@role_required(*EVERYONE)
def meeting_edit(request, pk):
    meeting = get_object_or_404(
        Meeting.objects.visible_to(request.user).select_related("pair__form"), pk=pk
    )
    # Only those who plan the pair's meetings change them.
    deny_unless(_plans(request.user, meeting.pair))
    if meeting.status == Meeting.Status.CANCELLED:
        messages.error(request, _("Несостоявшуюся встречу не изменяют."))
        return redirect("surveys:pair", pk=meeting.pair_id)
    frozen = has_feedback(meeting)
    form = MeetingEditForm(request.POST or None, instance=meeting, frozen=frozen)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = update_meeting(
                meeting=meeting, by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("Встреча сохранена: %(meeting)s.") % {"meeting": meeting}
            )
            return redirect("surveys:pair", pk=meeting.pair_id)
    return render(
        request,
        "surveys/meeting_edit.html",
        {"meeting": meeting, "pair": meeting.pair, "form": form, "frozen": frozen},
    )


@role_required(*EVERYONE)
def feedback(request, pk):
    meeting = get_object_or_404(
        Meeting.objects.visible_to(request.user).select_related("pair__form"), pk=pk
    )
    # Only the meeting's own participants answer for it.
    participation = (
        # The person's organization goes into the audit entry of a post.
        Participation.objects.select_related("person__organization")
        .filter(pair_id=meeting.pair_id, person__user=request.user)
        .first()
    )
    deny_unless(participation is not None)
    try:
        questionnaire = services.feedback_questionnaire(
            role=participation.role, organization_id=meeting.pair.organization_id
        )
        services.ensure_feedback_due(meeting=meeting, respondent=participation.person)
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect("surveys:pair", pk=meeting.pair_id)
    already = meeting.survey_responses.filter(
        respondent=participation.person, questionnaire__kind=questionnaire.kind
    ).exists()
    if already:
        return _feedback_already_given(request, meeting)
    version = services.current_version(questionnaire)
    if version is None:
        raise Http404  # a questionnaire without questions yet is not answered
    questions = version.questions.all()
    # The outcome the mentor wrote on the meeting answers «what was done»:
    # it is shown filled in, not asked for again.
    initial = {
        question_field_name(q): meeting.outcome
        for q in questions
        if q.code == services.OUTCOME_QUESTION
        and participation.role == Participation.Role.MENTOR
    }
    form = ResponseForm(
        request.POST or None,
        questions=questions,
        initial=initial if meeting.outcome else None,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.submit_response(
                questionnaire=questionnaire,
                respondent=participation.person,
                raw=form.raw_answers(),
                by=request.user,
                meeting=meeting,
            )
        except ValidationError as error:
            # A double click: the first post saved it while this one waited
            # for the meeting's lock. The answer is the same as for a late
            # second visit, not the form with an error.
            if getattr(error, "code", None) == "duplicate":
                return _feedback_already_given(request, meeting)
            _show_errors(form, error)
        else:
            messages.success(request, _("Спасибо! Обратная связь сохранена."))
            return redirect("surveys:dashboard")
    return render(
        request,
        "surveys/feedback.html",
        {"meeting": meeting, "questionnaire": questionnaire, "form": form},
    )


def _feedback_already_given(request, meeting: Meeting):
    messages.info(request, _("Обратная связь по этой встрече уже заполнена."))
    return redirect("surveys:pair", pk=meeting.pair_id)


def _show_errors(form: ResponseForm, error: ValidationError) -> None:
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


@role_required(*EVERYONE)
def calendar(request):
    meetings = (
        Meeting.objects.visible_to(request.user)
        .filter(pair__in=Pair.objects.for_participant(request.user))
        .order_by("starts_at")
    )
    response = HttpResponse(
        meetings_ics(meetings, host=request.get_host().split(":")[0]),
        content_type="text/calendar; charset=utf-8",
    )
    response["Content-Disposition"] = 'attachment; filename="meetings.ics"'
    return response


@role_required(*STAFF)
def feedback_owed(request):
    return render(
        request,
        "surveys/owed.html",
        {"mentors": selectors.owed_feedback_by_mentor(user=request.user)},
    )


def _monitoring_for(request, *, rows: int | None = None):
    """The period and organization asked for, and the indicators for them."""
    organizations = Organization.objects.visible_to(request.user)
    organization = None
    organization_id = int_param(request.GET.get("organization"))
    if organization_id is not None:
        organization = get_object_or_404(organizations, pk=organization_id)
    current = Period.current()
    year = int_param(request.GET.get("year"))
    period = Period(year) if year is not None and 2000 <= year <= 2100 else current
    result = monitoring(
        user=request.user, period=period, organization=organization, rows=rows
    )
    return {
        "result": result,
        "period": period,
        "organization": organization,
        "organizations": organizations,
        "years": range(current.start_year, current.start_year - 5, -1),
    }


def _scope(user, organization):
    """What the figures cover, as the page's heading and the documents say."""
    return organization or user.organization or user.district or _("все организации")


# Rows of the before/after tables by participant and by pair shown on the
# page; a district has thousands, which the XLSX and the PDF list whole.
SHOWN_ROWS = 100


@role_required(*STAFF)
def monitoring_page(request):
    context = _monitoring_for(request, rows=SHOWN_ROWS)
    result = context["result"]
    organization = context["organization"]
    context["scope"] = _scope(request.user, organization)
    # The page's choice of school: read once, not counted first.
    choices = list(context.pop("organizations").values_list("pk", "short_name"))
    if len(choices) > 1:
        context["organization_options"] = organization_options(
            choices, chosen=organization
        )
    context["year_options"] = year_options(
        context["years"], chosen=context["period"].start_year
    )
    context["charts"] = monitoring_charts(result)
    context["question_groups"] = question_groups(result.question_averages)
    context["question_delta_rows"] = question_delta_rows(result.deltas_by_question)
    context["form_rows"] = form_rows(result.form_averages)
    context["query"] = request.GET.urlencode()
    context["participant_rows"] = participant_rows(result.deltas_by_participant)
    context["pair_rows"] = pair_rows(result.deltas_by_pair)
    context["deltas_by_participant_more"] = result.participants_total - len(
        result.deltas_by_participant
    )
    context["deltas_by_pair_more"] = result.pairs_total - len(result.deltas_by_pair)
    return render(request, "surveys/monitoring.html", context)


@role_required(*STAFF)
def monitoring_xlsx(request):
    context = _monitoring_for(request)
    response = HttpResponse(
        monitoring_workbook(
            context["result"], scope=str(_scope(request.user, context["organization"]))
        ),
        content_type=(
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        ),
    )
    name = f"monitoring-{context['period'].start_year}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@role_required(*STAFF)
def monitoring_pdf(request):
    context = _monitoring_for(request)
    content = monitoring_report_pdf(
        context["result"],
        scope=str(_scope(request.user, context["organization"])),
        user=request.user,
    )
    return pdf_response(
        content, f"monitoring-{context['period'].start_year}.pdf", inline=True
    )


# Questionnaires a participant answers about a pair, by their role in it.
PAIR_SURVEYS = {
    Participation.Role.MENTOR: "satisfaction-mentor",
    Participation.Role.MENTEE: "satisfaction-mentee",
}


def _offers(*, person: Person, pairs: list[Pair], closed: bool) -> list[dict]:
    """Attach to each pair the surveys still to answer; return the bank ones.

    None while `closed` (the person's consent has ended) or for a suspended
    pair: the services would refuse the answers. `person` comes from
    selectors.dashboard_person, with its banks."""
    codes = [
        *PAIR_SURVEYS.values(),
        "impact-teacher",
        "impact-student",
        "mentor-candidate",
        "mentee-request",
    ]
    forms = {q.code: q for q in Questionnaire.objects.filter(code__in=codes)}
    impact = forms[
        "impact-student"
        if person.category == Person.Category.STUDENT
        else "impact-teacher"
    ]

    def url(questionnaire, **params):
        query = "&".join(f"{k}={v}" for k, v in params.items())
        address = reverse("surveys:answer", args=[questionnaire.pk])
        return f"{address}?{query}" if query else address

    for pair in pairs:
        if closed or pair.status == Pair.Status.SUSPENDED:
            pair.survey_offers = []
            continue
        answered = pair.answered
        offers = []
        satisfaction = forms[PAIR_SURVEYS[pair.my_role]]
        started = pair.status != Pair.Status.APPROVED
        if started and (satisfaction.pk, "") not in answered:
            offers.append(
                (_("Анкета удовлетворённости"), url(satisfaction, pair=pair.pk))
            )
        if pair.my_role == Participation.Role.MENTEE:
            for moment, label in (
                (Response.Moment.BEFORE, _("Входная анкета")),
                (Response.Moment.AFTER, _("Итоговая анкета")),
            ):
                if (impact.pk, moment) not in answered:
                    offers.append((label, url(impact, pair=pair.pk, moment=moment)))
                    break  # the final one only after the first
        pair.survey_offers = offers
    bank = []
    if closed:
        return []
    if person.in_mentor_bank:
        bank.append(forms["mentor-candidate"])
    if person.in_mentee_bank:
        bank.append(forms["mentee-request"])
    return [{"title": q.title, "url": url(q)} for q in bank]


@role_required(*EVERYONE)
def answer(request, pk):
    """Fill a questionnaire: the bank ones, or about one's pair (satisfaction,
    before/after). Meeting feedback has its own page."""
    questionnaire = get_object_or_404(
        Questionnaire.objects.visible_to(request.user)
        .filter(is_active=True)
        .exclude(kind=Questionnaire.Kind.MEETING_FEEDBACK),
        pk=pk,
    )
    person = _person(request.user)
    # Only a person with a card answers; a login without one reads the forms.
    deny_unless(person is not None)
    pair = None
    pair_id = int_param(request.GET.get("pair"))
    if pair_id is not None:
        pair = get_object_or_404(
            Pair.objects.visible_to(request.user).for_participant(request.user),
            pk=pair_id,
        )
    moment = request.GET.get("moment", "")
    if moment not in Response.Moment.values:
        moment = ""
    about_pair = questionnaire.kind in (
        Questionnaire.Kind.SATISFACTION,
        Questionnaire.Kind.IMPACT,
    )
    if (about_pair and pair is None) or (
        questionnaire.kind == Questionnaire.Kind.IMPACT and not moment
    ):
        messages.error(
            request, _("Эту анкету открывают из карточки пары на странице «Мои пары».")
        )
        return redirect("surveys:dashboard")
    version = services.current_version(questionnaire)
    if version is None:
        raise Http404  # a questionnaire without questions yet is not answered
    form = ResponseForm(request.POST or None, questions=version.questions.all())
    if request.method == "POST" and form.is_valid():
        try:
            services.submit_response(
                questionnaire=questionnaire,
                respondent=person,
                raw=form.raw_answers(),
                by=request.user,
                pair=pair,
                program=Program.objects.filter(pair=pair).first() if pair else None,
                moment=moment,
            )
        except ValidationError as error:
            _show_errors(form, error)
        else:
            messages.success(request, _("Спасибо! Ответы сохранены."))
            return redirect("surveys:dashboard")
    return render(
        request,
        "surveys/answer.html",
        {
            "questionnaire": questionnaire,
            "pair": pair,
            "moment": Response.Moment(moment).label if moment else "",
            "form": form,
        },
    )


@role_required(*EVERYONE)
@require_POST
def meeting_cancel(request, pk):
    meeting = get_object_or_404(Meeting.objects.visible_to(request.user), pk=pk)
    deny_unless(_plans(request.user, meeting.pair))
    try:
        cancel_meeting(meeting=meeting, by=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("Отмечено: встреча не состоялась."))
    return redirect("surveys:pair", pk=meeting.pair_id)
