"""The information base (stage 8): a finished program's result goes into its
participants' records.

The roadmap's stage 8 asks the curator to «enter the programme results into
the bases» at the end of the year; here it happens when the program is given
its result, so nothing is typed twice and nothing is forgotten.
"""

from __future__ import annotations

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from mentoring.dates import short_date
from mentoring.models import (
    MentorAgreement,
    Order,
    Participation,
    Program,
    ProgramResult,
    User,
)

from .audit import record_change


def _documents(program: Program, participation: Participation) -> list[str]:
    pair = program.pair
    lines = []
    order = pair.order
    if order is not None and order.status == Order.Status.SIGNED:
        lines.append(
            _("Приказ от %(day)s № %(number)s «%(title)s»")
            % {
                "day": short_date(order.signed_on),
                "number": order.full_number,
                "title": order.title,
            }
        )
    lines.append(
        _("Персонализированная программа наставничества (утверждена %(day)s)")
        % {"day": short_date(program.approved_on)}
        if program.approved_on
        else _("Персонализированная программа наставничества")
    )
    if participation.role == Participation.Role.MENTOR:
        for agreement in MentorAgreement.objects.filter(
            pair=pair, mentor_id=participation.person_id
        ).order_by("pk"):
            lines.append(
                _("Соглашение о наставничестве от %(day)s")
                % {"day": short_date(agreement.concluded_on)}
                if agreement.concluded_on
                else _("Соглашение о наставничестве")
            )
    return lines


def record_program_results(
    *,
    program: Program,
    by: User | None,
    completed_on: datetime.date | None = None,
) -> list[ProgramResult]:
    """Write the program's result into each participant's record (ended
    today, unless `completed_on` says when: the demo's history).

    Called by `change_program_status` in its transaction, with the program
    locked: a program gets its result once (FINAL_STATUSES have no way out),
    and the unique constraint backs that up.
    """
    participations = list(
        program.pair.participations.select_related("person").order_by("role", "pk")
    )
    completed_on = completed_on or timezone.localdate()
    results = []
    for participation in participations:
        result = ProgramResult(
            person=participation.person,
            program=program,
            role=participation.role,
            completed_on=completed_on,
            form=program.pair.form.name,
            subject=program.goal,
            outcome=program.status,
            summary=program.final_report,
            documents="\n".join(_documents(program, participation)),
        )
        result.full_clean()
        result.save()
        results.append(result)
    record_change(
        actor=by,
        obj=program,
        action="program.results_recorded",
        organization=program.pair.organization,
        message=_(
            "Итоги программы пары № %(pair)s внесены в информационную базу: "
            "участников %(n)s"
        )
        % {"pair": program.pair_id, "n": len(results)},
        data={"persons": [r.person_id for r in results]},
    )
    return results
