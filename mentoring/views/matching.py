"""The curator's matching pages: start a run, review it, make draft pairs."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mentoring.access import ACTING, STAFF, has_role, role_required
from mentoring.forms import MatchingRunForm, PairTermForm
from mentoring.matching.scoring import Weights
from mentoring.models import MatchingRun, Suggestion
from mentoring.params import int_param
from mentoring.selectors import matching as selectors
from mentoring.services import matching as services
from mentoring.services import orders as order_services


def _can_act(user) -> bool:
    # A run belongs to the user's organization: one without it starts none.
    return has_role(user, ACTING) and user.organization_id is not None


def _show(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


@role_required(*STAFF)
def matching_home(request):
    if request.method == "POST":
        return _start_run(request)
    return _home(request, MatchingRunForm(initial=_initial(request)))


@role_required(*ACTING, seen_by=STAFF)
def _start_run(request):
    form = MatchingRunForm(request.POST, initial=_initial(request))
    if not _can_act(request.user):
        form.add_error(
            None,
            _("Подбор запускают от имени организации: у вашей учётной записи её нет."),
        )
    elif form.is_valid():
        try:
            run = services.start_matching(
                organization=request.user.organization,
                by=request.user,
                forms=list(form.cleaned_data["mentoring_forms"]),
                weights=form.weights(),
                mode=form.cleaned_data["mode"],
                make_groups=form.cleaned_data["make_groups"],
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(
                request,
                _("Подбор № %(run)s запущен: ход расчёта виден на этой странице.")
                % {"run": run.pk},
            )
            return redirect("mentoring:matching-run", pk=run.pk)
    return _home(request, form)


def _initial(request) -> dict:
    return {"mentoring_forms": selectors.forms_wanted_by_unpaired(user=request.user)}


def _home(request, form):
    runs = selectors.runs_for_user(user=request.user)[:20]
    return render(
        request,
        "mentoring/matching/home.html",
        {"form": form, "runs": runs, "can_act": _can_act(request.user)},
    )


def _run(request, pk) -> MatchingRun:
    return get_object_or_404(
        MatchingRun.objects.visible_to(request.user).select_related("organization"),
        pk=pk,
    )


@role_required(*STAFF)
def matching_run(request, pk):
    run = _run(request, pk)
    if run.status in MatchingRun.GOING and services.sweep_lost_runs(
        organization=run.organization
    ):
        run.refresh_from_db()
    if run.status in (*MatchingRun.GOING, MatchingRun.Status.FAILED):
        return render(request, "mentoring/matching/progress.html", {"run": run})
    suggestions = list(selectors.run_suggestions(run=run))
    return render(
        request,
        "mentoring/matching/run.html",
        {
            "run": run,
            "suggestions": suggestions,
            "unmatched": selectors.run_unmatched(run=run),
            "forms": run.forms.all(),
            "can_act": _can_act(request.user) and run.status == run.Status.REVIEW,
            "accepted_count": sum(
                s.decision == Suggestion.Decision.ACCEPTED and not s.pair_id
                for s in suggestions
            ),
            "ratio": run.total_score / run.greedy_score if run.greedy_score else None,
            "term_form": PairTermForm(),
            "pairs_for_order": selectors.run_pairs_without_order(run=run).count(),
            "can_order": _can_act(request.user),
            "weights": [
                (label, run.weights.get(name, 0))
                for name, label in Weights.LABELS.items()
            ],
            "inputs": {
                "mentors": len(run.inputs.get("mentors", ())),
                "mentees": len(run.inputs.get("mentees", ())),
                "pins": len(run.inputs.get("pins", ())),
                "forbids": len(run.inputs.get("forbids", ())),
                "mentees_ranked": run.inputs.get("preferences", {}).get("mentees", 0),
                "mentors_ranked": run.inputs.get("preferences", {}).get("mentors", 0),
            },
        },
    )


def _suggestion(request, pk, sid) -> Suggestion:
    run = _run(request, pk)
    return get_object_or_404(run.suggestions, pk=sid)


@role_required(*ACTING, seen_by=STAFF)
@require_POST
def matching_decide(request, pk, sid):
    suggestion = _suggestion(request, pk, sid)
    action = request.POST.get("action")
    try:
        if action in ("pin", "unpin"):
            services.pin_suggestion(
                suggestion=suggestion, pinned=action == "pin", by=request.user
            )
        elif action in Suggestion.Decision.values:
            services.decide_suggestion(
                suggestion=suggestion, decision=action, by=request.user
            )
        else:
            raise Http404
    except ValidationError as error:
        _show(request, error)
    return redirect(f"{_run_url(pk)}#s{suggestion.pk}")


@role_required(*ACTING, seen_by=STAFF)
@require_POST
def matching_swap(request, pk, sid):
    suggestion = _suggestion(request, pk, sid)
    other = get_object_or_404(
        Suggestion.objects.visible_to(request.user).filter(run_id=pk),
        pk=int_param(request.POST.get("other")) or 0,
    )
    try:
        services.swap_mentors(first=suggestion, second=other, by=request.user)
    except ValidationError as error:
        _show(request, error)
    else:
        messages.success(
            request,
            _("Наставники поменялись: %(a)s и %(b)s.")
            % {"a": suggestion.mentee.full_name, "b": other.mentee.full_name},
        )
    return redirect(_run_url(pk))


@role_required(*ACTING, seen_by=STAFF)
@require_POST
def matching_accept_all(request, pk):
    run = _run(request, pk)
    try:
        services.accept_pending_suggestions(run=run, by=request.user)
    except ValidationError as error:
        _show(request, error)
    return redirect(_run_url(pk))


@role_required(*ACTING, seen_by=STAFF)
@require_POST
def matching_rerun(request, pk):
    run = _run(request, pk)
    try:
        new = services.rerun_matching(run=run, by=request.user)
    except ValidationError as error:
        _show(request, error)
        return redirect(_run_url(pk))
    messages.success(
        request,
        _("Пересчёт запущен: закреплённые пары сохранятся, отклонённые не вернутся."),
    )
    return redirect(_run_url(new.pk))


@role_required(*ACTING, seen_by=STAFF)
@require_POST
def matching_create_pairs(request, pk):
    run = _run(request, pk)
    term = PairTermForm(request.POST)
    if not term.is_valid():
        for errors in term.errors.values():
            for message in errors:
                messages.error(request, message)
        return redirect(_run_url(pk))
    try:
        created, refused = services.create_pairs_from_run(
            run=run, by=request.user, **term.cleaned_data
        )
    except ValidationError as error:
        _show(request, error)
        return redirect(_run_url(pk))
    if created:
        messages.success(
            request,
            _("Созданы проекты пар и групп: %(n)s.") % {"n": len(created)},
        )
    for message in refused:
        messages.error(request, message)
    return redirect(_run_url(pk))


@role_required(*ACTING, seen_by=STAFF)
@require_POST
def matching_order(request, pk):
    """The run's new draft pairs into one draft pair order, in one click."""
    run = _run(request, pk)
    try:
        order = order_services.create_pair_order(
            organization=run.organization,
            pairs=selectors.run_pairs_without_order(run=run),
            by=request.user,
        )
    except ValidationError as error:
        _show(request, error)
        return redirect(_run_url(pk))
    messages.success(
        request,
        _("Создан проект приказа «%(title)s»: проверьте его и направьте на подпись.")
        % {"title": order.title},
    )
    if request.user.is_staff:
        return redirect("admin:mentoring_order_change", order.pk)
    return redirect(_run_url(pk))


def _run_url(pk) -> str:
    return reverse("mentoring:matching-run", args=[pk])
