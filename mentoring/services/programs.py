"""Personalized programs of pairs: the plan, its marks and its approval.

A program is drafted and agreed on, then approved and carried out; what was
approved is the plan the pair is measured against, so it is fixed from then
on, and marks of what was done are written only while it is carried out.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mentoring.dates import short_date
from mentoring.models import Pair, Program, ProgramItem, User

from .audit import ensure_acts_for, record_change
from .results import record_program_results

PLAN_FIELDS = (
    "goal",
    "tasks",
    "difficulties",
    "strengths",
    "expected_results",
    "starts_on",
    "ends_on",
)
ITEM_PLAN_FIELDS = (
    "position",
    "direction",
    "content",
    "due_on",
    "form",
    "expected_result",
)
ITEM_MARK_FIELDS = ("status", "done_on")
PLAN_OPEN = (Program.Status.DRAFT, Program.Status.ON_APPROVAL)
FINAL_STATUSES = (
    Program.Status.DONE,
    Program.Status.PARTIALLY_DONE,
    Program.Status.NOT_DONE,
)
TRANSITIONS = {
    Program.Status.DRAFT: (Program.Status.ON_APPROVAL,),
    Program.Status.ON_APPROVAL: (Program.Status.APPROVED, Program.Status.DRAFT),
    Program.Status.APPROVED: (Program.Status.IN_PROGRESS,),
    Program.Status.IN_PROGRESS: FINAL_STATUSES,
}


def _lock(program: Program) -> Program:
    return (
        Program.objects.select_for_update(of=("self",))
        .select_related("pair__organization")
        .get(pk=program.pk)
    )


def _plan_fixed(program: Program) -> ValidationError:
    return ValidationError(
        _(
            "Программа в статусе «%(status)s»: её план уже не меняют. "
            "Вернуть на доработку можно программу на согласовании."
        )
        % {"status": program.get_status_display()},
        code="plan_fixed",
    )


@transaction.atomic
def save_program(*, program: Program, by: User | None) -> Program:
    """Draft a program for a pair, or change its plan or its final report."""
    pair = (
        Pair.objects.select_for_update()
        .select_related("organization")
        .get(pk=program.pair_id)
    )
    ensure_acts_for(by=by, organization=pair.organization)
    if program.pk is None:
        if pair.status not in Pair.OPEN_STATUSES:
            raise ValidationError(
                _("Программу составляют для формируемой или действующей пары."),
                code="pair_closed",
            )
        # A new program is a draft: approval is a step of its own.
        program.status, program.approved_on, program.final_report = (
            Program.Status.DRAFT,
            None,
            "",
        )
        program.full_clean()
        program.save()
        record_change(
            actor=by,
            obj=program,
            action="program.created",
            organization=pair.organization,
            message=_("Составлен проект программы пары № %(pair)s") % {"pair": pair.pk},
        )
        return program
    current = _lock(program)
    if program.pair_id != current.pair_id:
        raise ValidationError(
            _("Программу не переносят на другую пару."), code="pair_fixed"
        )
    changed = [
        name
        for name in (*PLAN_FIELDS, "final_report")
        if getattr(program, name) != getattr(current, name)
    ]
    if not changed:
        return current
    if set(changed) & set(PLAN_FIELDS) and current.status not in PLAN_OPEN:
        raise _plan_fixed(current)
    if "final_report" in changed and current.status != Program.Status.IN_PROGRESS:
        raise ValidationError(
            {
                "final_report": _(
                    "Итоги записывают, пока программа в реализации: сейчас она "
                    "в статусе «%(status)s»."
                )
                % {"status": current.get_status_display()}
            },
            code="report_out_of_time",
        )
    for name in changed:
        setattr(current, name, getattr(program, name))
    current.full_clean()
    _check_item_dates(program=current, items=current.items.all())
    current.save(update_fields=changed)
    record_change(
        actor=by,
        obj=current,
        action="program.changed",
        organization=current.pair.organization,
        message=_("Изменена программа пары № %(pair)s") % {"pair": current.pair_id},
        data={"fields": changed},
    )
    return current


def _check_item_dates(*, program: Program, items) -> None:
    errors = []
    today = timezone.localdate()
    for item in items:
        if not program.starts_on <= item.due_on <= program.ends_on:
            errors.append(
                ValidationError(
                    _(
                        "«%(item)s»: срок %(day)s — вне сроков программы "
                        "(%(start)s–%(end)s)."
                    )
                    % {
                        "item": item,
                        "day": short_date(item.due_on),
                        "start": short_date(program.starts_on),
                        "end": short_date(program.ends_on),
                    },
                    code="due_outside_program",
                )
            )
        if item.done_on and item.done_on > today:
            errors.append(
                ValidationError(
                    _("«%(item)s»: дата выполнения %(day)s ещё не наступила.")
                    % {"item": item, "day": short_date(item.done_on)},
                    code="done_in_future",
                )
            )
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def set_program_items(
    *, program: Program, rows: list[dict], by: User | None
) -> Program:
    """Replace the program's plan with `rows`, in order.

    Each row has the item's fields; `id` names an item kept, items not named
    are removed. The plan changes only before approval; the marks of what
    was done (`status`, `done_on`) only while the program is carried out.
    """
    program = _lock(program)
    ensure_acts_for(by=by, organization=program.pair.organization)
    existing = {item.pk: item for item in program.items.all()}
    kept, plan_changed, marks_changed = [], [], []
    for row in rows:
        item = existing.get(row.get("id")) or ProgramItem(program=program)
        new = item.pk is None
        for name in (*ITEM_PLAN_FIELDS, *ITEM_MARK_FIELDS):
            if name not in row:
                continue
            value = row[name]
            if getattr(item, name) != value:
                setattr(item, name, value)
                if name in ITEM_MARK_FIELDS:
                    marks_changed.append(item)
                elif not new:
                    plan_changed.append(item)
        if new:
            plan_changed.append(item)
            if item.status != ProgramItem.Status.PLANNED or item.done_on:
                marks_changed.append(item)
        kept.append(item)
    removed = set(existing) - {item.pk for item in kept if item.pk}
    if (plan_changed or removed) and program.status not in PLAN_OPEN:
        raise _plan_fixed(program)
    if marks_changed and program.status != Program.Status.IN_PROGRESS:
        raise ValidationError(
            _(
                "Отметки о выполнении ставят, когда программа в реализации: сейчас "
                "она в статусе «%(status)s»."
            )
            % {"status": program.get_status_display()},
            code="marks_out_of_time",
        )
    if not (plan_changed or marks_changed or removed):
        return program
    _check_item_dates(program=program, items=kept)
    ProgramItem.objects.filter(pk__in=removed).delete()
    for item in kept:
        if any(item is c for c in [*plan_changed, *marks_changed]):
            item.full_clean()
            item.save()
    record_change(
        actor=by,
        obj=program,
        action="program.items_changed",
        organization=program.pair.organization,
        message=_("Изменён план программы пары № %(pair)s: пунктов %(n)s")
        % {"pair": program.pair_id, "n": len(kept)},
        data={
            "removed": sorted(removed),
            "marked": sorted(
                {item.pk for item in marks_changed if item.pk is not None}
            ),
        },
    )
    return program


@transaction.atomic
def change_program_status(*, program: Program, to: str, by: User | None) -> Program:
    """Move a program along draft → agreement → approved → carried out → result."""
    program = _lock(program)
    ensure_acts_for(by=by, organization=program.pair.organization)
    if to not in TRANSITIONS.get(program.status, ()):
        raise ValidationError(
            _("Программу в статусе «%(from)s» нельзя перевести в «%(to)s».")
            % {"from": program.get_status_display(), "to": Program.Status(to).label},
            code="bad_transition",
        )
    if to == Program.Status.ON_APPROVAL and not program.items.exists():
        raise ValidationError(
            _("В плане программы пары № %(pair)s нет ни одного мероприятия.")
            % {"pair": program.pair_id},
            code="no_items",
        )
    if to == Program.Status.IN_PROGRESS and program.pair.status != Pair.Status.ACTIVE:
        raise ValidationError(
            _("Программу пары № %(pair)s начинают, когда пара приступила к работе.")
            % {"pair": program.pair_id},
            code="pair_not_active",
        )
    if to in FINAL_STATUSES and not program.final_report.strip():
        raise ValidationError(
            _("Заполните итоги (самоанализ) программы пары № %(pair)s.")
            % {"pair": program.pair_id},
            code="no_report",
        )
    program.status = to
    if to == Program.Status.APPROVED:
        program.approved_on = timezone.localdate()
    elif to == Program.Status.DRAFT:
        program.approved_on = None
    program.save(update_fields=["status", "approved_on"])
    record_change(
        actor=by,
        obj=program,
        action="program.status_changed",
        organization=program.pair.organization,
        message=_("Программа пары № %(pair)s: «%(status)s»")
        % {"pair": program.pair_id, "status": program.get_status_display()},
        data={"status": to},
    )
    if to in FINAL_STATUSES:
        # Stage 8: the result goes into the participants' records at once.
        record_program_results(program=program, by=by)
    return program
