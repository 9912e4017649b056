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
    """Suggest mentors for the organization's mentees and store the run."""
    ensure_acts_for(by=by, organization=organization)
    if not forms:
        raise ValidationError(
            _("Выберите хотя бы одну форму наставничества."), code="no_forms"
        )
    population = load_population(
        organization=organization, forms=forms, on=timezone.localdate()
    )
    try:
        outcome = match(
            mentors=population.mentors,
            mentees=population.mentees,
            forms=population.forms,
            weights=weights,
            mode=mode,
            preferences=population.preferences,
            options=Options(pins=pins, forbids=forbids),
        )
    except MatchingError as error:
        raise ValidationError(
            [ValidationError(m, code=error.code) for m in error.messages]
        ) from None
    run = MatchingRun.objects.create(
        organization=organization,
        created_by=by if by and by.is_authenticated else None,
        mode=mode,
        make_groups=make_groups,
        weights=weights.as_dict(),
        inputs={
            "mentors": [
                {"id": m.person_id, "name": m.name, "free_places": m.free_places}
                for m in population.mentors
            ],
            "mentees": [
                {"id": m.person_id, "name": m.name, "requests": list(m.requests)}
                for m in population.mentees
            ],
            "pins": sorted(map(list, pins)),
            "forbids": sorted(map(list, forbids)),
            "preferences": {
                "mentees": len(population.preferences.mentee_ranks),
                "mentors": len(population.preferences.mentor_ranks),
            },
        },
        total_score=outcome.total_score,
        greedy_score=outcome.greedy_score,
        matched_count=len(outcome.suggestions),
        unmatched_count=len(outcome.unmatched),
        seconds=round(outcome.seconds, 4),
    )
    run.forms.set(forms)
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
        actor=by,
        obj=run,
        action="matching.run",
        organization=organization,
        message=_("Подбор наставников: предложено пар — %(n)s, без наставника — %(u)s")
        % {"n": run.matched_count, "u": run.unmatched_count},
        data={"mode": mode, "weights": weights.as_dict()},
    )
    return run


def rerun_matching(*, run: MatchingRun, by: User | None) -> MatchingRun:
    """A new run with the curator's pins kept and rejected pairs forbidden."""
    # Suggestions already drafted as pairs are done: their mentees have left
    # the list of those waiting for a mentor.
    decided = run.suggestions.filter(pair__isnull=True).values_list(
        "mentor_id", "mentee_id", "pinned", "decision"
    )
    return run_matching(
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
