"""The pairing workflow: run the engine, review its suggestions, make drafts.

Nothing in the banks or pairs changes until the curator accepts: a run only
stores suggestions; `create_pairs_from_run` turns the accepted ones into
draft pairs and groups through `create_pair`, which checks every rule again.
"""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mentoring.dates import short_date
from mentoring.matching.engine import MatchingError, match
from mentoring.matching.loader import load_population
from mentoring.matching.rules import Options, pick_form
from mentoring.matching.scoring import Weights, score_pair
from mentoring.models import (
    MatchingRun,
    MentoringForm,
    Organization,
    Pair,
    Person,
    Preference,
    Suggestion,
    UnmatchedMentee,
    User,
)
from mentoring.services import (
    create_pair,
    ensure_acts_for,
    ensure_may_record_about,
    record_change,
)

# A run that has gone this long without finishing lost its worker: it no
# longer keeps the organization from starting another.
STALE_AFTER = datetime.timedelta(hours=1)


def _create_run(
    *,
    organization: Organization,
    by: User | None,
    forms: list[MentoringForm],
    weights: Weights,
    mode: str,
    make_groups: bool,
    pins: frozenset[tuple[int, int]],
    forbids: frozenset[tuple[int, int]],
    status: str,
) -> MatchingRun:
    ensure_acts_for(by=by, organization=organization)
    if not forms:
        raise ValidationError(
            _("Выберите хотя бы одну форму наставничества."), code="no_forms"
        )
    run = MatchingRun.objects.create(
        organization=organization,
        created_by=by if by and by.is_authenticated else None,
        mode=mode,
        make_groups=make_groups,
        weights=weights.as_dict(),
        inputs={
            "pins": sorted(map(list, pins)),
            "forbids": sorted(map(list, forbids)),
        },
        status=status,
        stage=_("В очереди") if status == MatchingRun.Status.QUEUED else "",
    )
    run.forms.set(forms)
    return run


@transaction.atomic
def start_matching(
    *,
    organization: Organization,
    by: User | None,
    forms: list[MentoringForm],
    weights: Weights,
    mode: str = MatchingRun.Mode.OPTIMAL,
    make_groups: bool = True,
    pins: frozenset[tuple[int, int]] = frozenset(),
    forbids: frozenset[tuple[int, int]] = frozenset(),
) -> MatchingRun:
    """Queue a run for the background worker; the page follows its progress.

    At district scale a run takes seconds and a gigabyte: it must not hold a
    web worker, so the request only records what was asked.
    """
    ensure_acts_for(by=by, organization=organization)
    # Two curators pressing «Подобрать» at once: the second waits here and
    # then sees the first run going.
    Organization.objects.select_for_update().get(pk=organization.pk)
    sweep_lost_runs(organization=organization)
    going = (
        MatchingRun.objects.filter(
            organization=organization, status__in=MatchingRun.GOING
        )
        .order_by("-created_at")
        .first()
    )
    if going is not None:
        raise ValidationError(
            _(
                "Подбор № %(run)s для вашей организации ещё выполняется: "
                "дождитесь его окончания."
            )
            % {"run": going.pk},
            code="run_going",
        )
    run = _create_run(
        organization=organization,
        by=by,
        forms=forms,
        weights=weights,
        mode=mode,
        make_groups=make_groups,
        pins=pins,
        forbids=forbids,
        status=MatchingRun.Status.QUEUED,
    )
    record_change(
        actor=by,
        obj=run,
        action="matching.started",
        organization=organization,
        message=_("Подбор № %(run)s поставлен в очередь") % {"run": run.pk},
        data={"mode": mode, "weights": weights.as_dict()},
    )
    # Imported here: the task module imports this one.
    from mentoring.tasks import run_matching_task

    transaction.on_commit(lambda: run_matching_task.enqueue(run_id=run.pk))
    return run


@transaction.atomic
def sweep_lost_runs(*, organization: Organization | None = None) -> int:
    """Mark runs queued or running for over STALE_AFTER as interrupted.

    Their worker died (a restart, the memory killer) or never came: left
    «Выполняется», the page would reload forever. Each is failed with a
    reason the curator can act on and an audit entry; returns how many.
    """
    lost = MatchingRun.objects.select_for_update(skip_locked=True, of=("self",)).filter(
        status__in=MatchingRun.GOING,
        created_at__lt=timezone.now() - STALE_AFTER,
    )
    if organization is not None:
        lost = lost.filter(organization=organization)
    swept = 0
    for run in lost.select_related("organization", "created_by"):
        _fail(
            run,
            _(
                "Подбор прерван: расчёт не закончился за час — вероятно, "
                "остановился фоновый обработчик. Запустите подбор ещё раз."
            ),
            action="matching.lost",
        )
        swept += 1
    return swept


def _set_progress(run: MatchingRun, *, progress: int, stage: str) -> None:
    run.progress, run.stage = progress, stage
    MatchingRun.objects.filter(pk=run.pk).update(progress=progress, stage=stage)


def perform_matching(*, run_id: int) -> MatchingRun:
    """Compute a queued run: the background task's body.

    Not atomic as a whole: progress is committed step by step so the page
    sees it; the results are written in one transaction at the end. A run
    that fails is marked so, with the reason the curator can act on.
    """
    run = MatchingRun.objects.select_related("organization").get(pk=run_id)
    if run.status != MatchingRun.Status.QUEUED:
        return run  # a retried task: the run was already taken
    MatchingRun.objects.filter(pk=run.pk).update(status=MatchingRun.Status.RUNNING)
    run.status = MatchingRun.Status.RUNNING
    try:
        _compute(run)
    except ValidationError as error:
        _fail(run, " ".join(error.messages))
    except Exception:
        _fail(run, _("Внутренняя ошибка при расчёте. Запустите подбор ещё раз."))
        raise
    return run


def _fail(run: MatchingRun, reason: str, action: str = "matching.failed") -> None:
    run.status, run.error = MatchingRun.Status.FAILED, reason
    MatchingRun.objects.filter(pk=run.pk).update(
        status=run.status, error=reason[:2000], stage=""
    )
    record_change(
        actor=run.created_by,
        obj=run,
        action=action,
        organization=run.organization,
        message=_("Подбор № %(run)s не удался: %(why)s")
        % {"run": run.pk, "why": reason},
    )


def _compute(run: MatchingRun) -> None:
    forms = list(run.forms.all())
    pins = frozenset(tuple(p) for p in run.inputs.get("pins", ()))
    forbids = frozenset(tuple(p) for p in run.inputs.get("forbids", ()))
    weights = Weights.from_mapping(run.weights)
    _set_progress(run, progress=10, stage=_("Загрузка участников"))
    population = load_population(
        organization=run.organization, forms=forms, on=timezone.localdate()
    )
    _set_progress(run, progress=40, stage=_("Расчёт совместимости и подбор пар"))
    try:
        outcome = match(
            mentors=population.mentors,
            mentees=population.mentees,
            forms=population.forms,
            weights=weights,
            mode=run.mode,
            preferences=population.preferences,
            options=Options(pins=pins, forbids=forbids),
        )
    except MatchingError as error:
        raise ValidationError(
            [ValidationError(m, code=error.code) for m in error.messages]
        ) from None
    _set_progress(run, progress=90, stage=_("Сохранение предложений"))
    _store_outcome(run, population, outcome, forms)


@transaction.atomic
def _store_outcome(run, population, outcome, forms) -> None:
    run.inputs = {
        "mentors": [
            {"id": m.person_id, "name": m.name, "free_places": m.free_places}
            for m in population.mentors
        ],
        "mentees": [
            {"id": m.person_id, "name": m.name, "requests": list(m.requests)}
            for m in population.mentees
        ],
        "pins": run.inputs.get("pins", []),
        "forbids": run.inputs.get("forbids", []),
        "preferences": {
            "mentees": len(population.preferences.mentee_ranks),
            "mentors": len(population.preferences.mentor_ranks),
        },
    }
    run.total_score = outcome.total_score
    run.greedy_score = outcome.greedy_score
    run.matched_count = len(outcome.suggestions)
    run.unmatched_count = len(outcome.unmatched)
    run.seconds = round(outcome.seconds, 4)
    run.status = MatchingRun.Status.REVIEW
    run.progress, run.stage = 100, ""
    run.save(
        update_fields=[
            "inputs",
            "total_score",
            "greedy_score",
            "matched_count",
            "unmatched_count",
            "seconds",
            "status",
            "progress",
            "stage",
        ]
    )
    form_ids = {f.code: f.pk for f in forms}
    Suggestion.objects.bulk_create(
        Suggestion(
            run=run,
            mentor_id=s.mentor_id,
            mentee_id=s.mentee_id,
            form_id=form_ids[s.form_code],
            score=s.score,
            explanation=s.explanation,
            pinned=s.pinned,
            decision=Suggestion.Decision.ACCEPTED
            if s.pinned
            else Suggestion.Decision.PENDING,
        )
        for s in outcome.suggestions
    )
    UnmatchedMentee.objects.bulk_create(
        UnmatchedMentee(run=run, mentee_id=mentee_id, reason=reason[:1000])
        for mentee_id, reason in outcome.unmatched.items()
    )
    record_change(
        actor=run.created_by,
        obj=run,
        action="matching.run",
        organization=run.organization,
        message=_("Подбор наставников: предложено пар — %(n)s, без наставника — %(u)s")
        % {"n": run.matched_count, "u": run.unmatched_count},
        data={"mode": run.mode, "weights": run.weights},
    )


@transaction.atomic
def run_matching(
    *,
    organization: Organization,
    by: User | None,
    forms: list[MentoringForm],
    weights: Weights,
    mode: str = MatchingRun.Mode.OPTIMAL,
    make_groups: bool = True,
    pins: frozenset[tuple[int, int]] = frozenset(),
    forbids: frozenset[tuple[int, int]] = frozenset(),
) -> MatchingRun:
    """Run the engine here and now (the demo, commands, tests); the web
    page queues it with `start_matching` instead."""
    run = _create_run(
        organization=organization,
        by=by,
        forms=forms,
        weights=weights,
        mode=mode,
        make_groups=make_groups,
        pins=pins,
        forbids=forbids,
        status=MatchingRun.Status.RUNNING,
    )
    # A refused run leaves nothing behind: the error rolls the row back.
    _compute(run)
    return run


def rerun_matching(*, run: MatchingRun, by: User | None) -> MatchingRun:
    """Queue a new run with the curator's pins kept and rejected pairs forbidden."""
    # Suggestions already drafted as pairs are done: their mentees have left
    # the list of those waiting for a mentor.
    decided = run.suggestions.filter(pair__isnull=True).values_list(
        "mentor_id", "mentee_id", "pinned", "decision"
    )
    return start_matching(
        organization=run.organization,
        by=by,
        forms=list(run.forms.all()),
        weights=Weights.from_mapping(run.weights),
        mode=run.mode,
        make_groups=run.make_groups,
        pins=frozenset((m, e) for m, e, pinned, _d in decided if pinned),
        forbids=frozenset(
            (m, e) for m, e, _p, d in decided if d == Suggestion.Decision.REJECTED
        ),
    )


def _locked_suggestion(suggestion: Suggestion, by: User | None) -> Suggestion:
    suggestion = (
        Suggestion.objects.select_for_update()
        .select_related("run__organization", "mentor", "mentee")
        .get(pk=suggestion.pk)
    )
    ensure_acts_for(by=by, organization=suggestion.run.organization)
    _ensure_under_review(suggestion.run)
    if suggestion.pair_id:
        raise ValidationError(
            _("По предложению %(pair)s уже создан проект пары/группы.")
            % {"pair": suggestion},
            code="already_created",
        )
    return suggestion


@transaction.atomic
def decide_suggestion(
    *, suggestion: Suggestion, decision: str, by: User | None
) -> Suggestion:
    suggestion = _locked_suggestion(suggestion, by)
    suggestion.decision = Suggestion.Decision(decision)
    if suggestion.decision == Suggestion.Decision.REJECTED:
        suggestion.pinned = False
    suggestion.save(update_fields=["decision", "pinned"])
    _record_decision(suggestion, by)
    return suggestion


@transaction.atomic
def accept_pending_suggestions(*, run: MatchingRun, by: User | None) -> int:
    """Accept every suggestion the curator has not decided on yet."""
    run = MatchingRun.objects.select_for_update().get(pk=run.pk)
    ensure_acts_for(by=by, organization=run.organization)
    _ensure_under_review(run)
    accepted = run.suggestions.filter(
        decision=Suggestion.Decision.PENDING, pair__isnull=True
    ).update(decision=Suggestion.Decision.ACCEPTED)
    record_change(
        actor=by,
        obj=run,
        action="matching.decision",
        organization=run.organization,
        message=_("Подбор № %(run)s: приняты все нерассмотренные предложения (%(n)s)")
        % {"run": run.pk, "n": accepted},
        data={"accepted": accepted},
    )
    return accepted


@transaction.atomic
def pin_suggestion(*, suggestion: Suggestion, pinned: bool, by: User | None):
    """A pinned pair is kept by every later run and counts as accepted."""
    suggestion = _locked_suggestion(suggestion, by)
    suggestion.pinned = pinned
    if pinned:
        suggestion.decision = Suggestion.Decision.ACCEPTED
    suggestion.save(update_fields=["pinned", "decision"])
    _record_decision(suggestion, by)
    return suggestion


def _ensure_under_review(run: MatchingRun) -> None:
    """A finished run is a record of what was decided: it is not changed."""
    if run.status != MatchingRun.Status.REVIEW:
        raise ValidationError(
            _("Подбор № %(run)s завершён: решения по нему больше не меняются.")
            % {"run": run.pk},
            code="run_closed",
        )


def _record_decision(suggestion: Suggestion, by: User | None) -> None:
    record_change(
        actor=by,
        obj=suggestion.run,
        action="matching.decision",
        organization=suggestion.run.organization,
        message=_("Подбор № %(run)s: %(pair)s — %(decision)s%(pinned)s")
        % {
            "run": suggestion.run_id,
            "pair": suggestion,
            "decision": suggestion.get_decision_display().lower(),
            "pinned": _(", закреплено") if suggestion.pinned else "",
        },
        data={
            "suggestion": suggestion.pk,
            "decision": suggestion.decision,
            "pinned": suggestion.pinned,
        },
    )


@transaction.atomic
def swap_mentors(
    *, first: Suggestion, second: Suggestion, by: User | None
) -> tuple[Suggestion, Suggestion]:
    """Exchange the mentors of two suggestions, re-checked and re-explained."""
    # Lock in a fixed order so two swaps touching the same rows cannot deadlock.
    a, b = sorted([first, second], key=lambda s: s.pk)
    a, b = _locked_suggestion(a, by), _locked_suggestion(b, by)
    if a.run_id != b.run_id or a.pk == b.pk:
        raise ValidationError(
            _(
                "Поменять наставников можно только у двух разных предложений одного подбора."
            ),
            code="bad_swap",
        )
    run = a.run
    population = load_population(
        organization=run.organization,
        forms=list(run.forms.all()),
        on=timezone.localdate(),
    )
    mentors = {m.person_id: m for m in population.mentors}
    mentees = {m.person_id: m for m in population.mentees}
    weights = Weights.from_mapping(run.weights)
    forms = {f.code: f for f in run.forms.all()}
    options = Options()
    updates, errors = [], []
    for suggestion, mentor_id in ((a, b.mentor_id), (b, a.mentor_id)):
        mentor, mentee = mentors.get(mentor_id), mentees.get(suggestion.mentee_id)
        if mentor is None or mentee is None:
            errors.append(
                _("%(mentee)s больше не ждёт наставника в этом подборе.")
                % {"mentee": suggestion.mentee.full_name}
            )
            continue
        form, refusal = pick_form(mentor, mentee, population.forms, options)
        if form is None:
            errors.append(
                _("%(mentor)s не может вести %(mentee)s: %(why)s.")
                % {"mentor": mentor.name, "mentee": mentee.name, "why": refusal}
            )
            continue
        score = score_pair(
            mentor,
            mentee,
            form_code=form.code,
            form_name=form.name,
            weights=weights,
            preferences=population.preferences,
        )
        updates.append((suggestion, mentor_id, forms[form.code], score))
    if errors:
        raise ValidationError([ValidationError(e, code="swap_refused") for e in errors])
    for suggestion, mentor_id, form, score in updates:
        suggestion.mentor = Person.objects.get(pk=mentor_id)
        suggestion.form = form
        suggestion.score = score.value
        suggestion.explanation = score.explanation
        suggestion.decision = Suggestion.Decision.PENDING
        suggestion.pinned = False
        suggestion.save(
            update_fields=[
                "mentor",
                "form",
                "score",
                "explanation",
                "decision",
                "pinned",
            ]
        )
    record_change(
        actor=by,
        obj=a.run,
        action="matching.decision",
        organization=a.run.organization,
        message=_("Подбор № %(run)s: наставники предложений %(a)s и %(b)s обменены")
        % {"run": a.run_id, "a": a, "b": b},
        data={"swapped": [a.pk, b.pk]},
    )
    return a, b


@transaction.atomic
def create_pairs_from_run(
    *,
    run: MatchingRun,
    by: User | None,
    starts_on: datetime.date,
    ends_on: datetime.date,
) -> tuple[list[Pair], list[str]]:
    """Draft pairs and groups from the accepted suggestions, for the given term.

    The term is asked here because the order states it: a pair without one
    would reach the director with an empty «Срок».

    Each pair or group is created in its own savepoint (`create_pair` is
    atomic): a refused one keeps its Russian message on its suggestions and
    the others proceed.
    """
    # A double click must not draft the same pairs twice: the second waits
    # here and then finds the suggestions already carrying their pairs.
    run = (
        MatchingRun.objects.select_for_update()
        .select_related("organization")
        .get(pk=run.pk)
    )
    ensure_acts_for(by=by, organization=run.organization)
    if ends_on <= starts_on:
        raise ValidationError(
            _(
                "Окончание наставничества (%(end)s) должно быть позже начала (%(start)s)."
            )
            % {"start": short_date(starts_on), "end": short_date(ends_on)},
            code="bad_term",
        )
    accepted = list(
        run.suggestions.filter(
            decision=Suggestion.Decision.ACCEPTED, pair__isnull=True
        ).select_related("mentor", "mentee", "form")
    )
    if not accepted:
        raise ValidationError(
            _("Нет принятых предложений: примите хотя бы одно."), code="none_accepted"
        )
    units: dict[tuple, list[Suggestion]] = defaultdict(list)
    for s in accepted:
        key = (s.mentor_id, s.form_id) if run.make_groups else (s.pk,)
        units[key].append(s)
    created, refused = [], []
    for unit in units.values():
        mentees = [s.mentee for s in unit]
        try:
            pair = create_pair(
                organization=run.organization,
                form=unit[0].form,
                mentors=[unit[0].mentor],
                mentees=mentees,
                by=by,
                format=Pair.Format.GROUP if len(unit) > 1 else Pair.Format.TRADITIONAL,
                starts_on=starts_on,
                ends_on=ends_on,
            )
        except ValidationError as error:
            message = _("%(mentor)s — %(mentees)s: %(why)s") % {
                "mentor": unit[0].mentor.full_name,
                "mentees": ", ".join(m.full_name for m in mentees),
                "why": " ".join(error.messages),
            }
            refused.append(message)
            Suggestion.objects.filter(pk__in=[s.pk for s in unit]).update(
                refusal=" ".join(error.messages)[:1000]
            )
            continue
        created.append(pair)
        Suggestion.objects.filter(pk__in=[s.pk for s in unit]).update(
            pair=pair, refusal=""
        )
    if (
        not run.suggestions.exclude(pair__isnull=False)
        .exclude(decision=Suggestion.Decision.REJECTED)
        .exists()
    ):
        run.status = MatchingRun.Status.DONE
        run.save(update_fields=["status"])
    return created, refused


@transaction.atomic
def save_preference(*, preference: Preference, by: User | None) -> Preference:
    """Record whom a participant chose after the group meeting."""
    chooser, chosen = preference.chooser, preference.chosen
    ensure_acts_for(by=by, organization=chooser.organization)
    # A choice is data about both people: not recorded without their consent.
    ensure_may_record_about(persons=[chooser, chosen])
    if chosen.organization_id != chooser.organization_id:
        raise ValidationError(
            _("%(name)s — из другой организации.") % {"name": chosen.full_name},
            code="other_organization",
        )
    if by is not None and by.is_authenticated and preference.pk is None:
        preference.recorded_by = by
    preference.full_clean()
    preference.save()
    record_change(
        actor=by,
        obj=preference,
        action="matching.preference",
        organization=chooser.organization,
        message=_(
            "Внесён выбор после общей встречи: %(chooser)s → %(chosen)s (%(rank)s)"
        )
        % {
            "chooser": chooser.full_name,
            "chosen": chosen.full_name,
            "rank": preference.rank,
        },
    )
    return preference
