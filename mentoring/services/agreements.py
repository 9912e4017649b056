"""The mentor's agreement under ТК РФ ст. 351.8.

Since 01.03.2025 an employee mentors with their written consent, on an
agreement (a clause of the employment contract or a supplementary agreement
to it) that states the content of the mentoring, its term, its form and the
pay or other terms. The curator fills the terms from the pair, prints the
agreement for both sides to sign, then keeps its scan here, beside the
mentor's written consent to the duties.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from mentoring.dates import short_date
from mentoring.models import (
    MentorAgreement,
    Order,
    Pair,
    Participation,
    Person,
    Program,
    User,
)

from .audit import ensure_acts_for, record_change
from .consents import CATEGORIES_NEEDING_DUTIES_CONSENT

# Written for a pair whose program is not yet drawn up: what every mentor does.
DEFAULT_CONTENT = _(
    "Оказание наставляемому помощи в профессиональном становлении и адаптации "
    "в организации: совместное планирование работы, посещение и анализ занятий, "
    "консультации по выявленным затруднениям, оценка результатов наставничества."
)
TERM_FIELDS = (
    "concluded_on",
    "contract_number",
    "contract_date",
    "content",
    "starts_on",
    "ends_on",
    "pay",
    "pay_value",
    "other_terms",
)
CLOSED = (Pair.Status.COMPLETED, Pair.Status.TERMINATED)


def is_employee(person: Person) -> bool:
    """The Labour Code governs the school's own staff mentoring: a student,
    a university student or an employer's representative is no employee."""
    return person.category in CATEGORIES_NEEDING_DUTIES_CONSENT


def employee_mentors(pair: Pair) -> list[Person]:
    """The pair's mentors who sign an agreement (prefetched participations used)."""
    return [
        p.person
        for p in pair.participations.all()
        if p.role == Participation.Role.MENTOR and is_employee(p.person)
    ]


def ensure_agreement_applies(*, pair: Pair, mentor: Person) -> None:
    """Refuse an agreement for someone who is not the pair's employee mentor."""
    is_mentor = Participation.objects.filter(
        pair=pair, person=mentor, role=Participation.Role.MENTOR
    ).exists()
    if not is_mentor:
        raise ValidationError(
            _("%(name)s не наставник в паре/группе № %(pair)s.")
            % {"name": mentor.full_name, "pair": pair.pk},
            code="not_mentor",
        )
    if not is_employee(mentor):
        raise ValidationError(
            _(
                "Соглашение по ст. 351.8 ТК РФ заключают с работником организации; "
                "наставник %(name)s — «%(category)s», не работник."
            )
            % {"name": mentor.full_name, "category": mentor.get_category_display()},
            code="not_employee",
        )


def signed_order(pair: Pair) -> Order | None:
    order = pair.order
    return order if order and order.status == Order.Status.SIGNED else None


def prefilled_agreement(*, pair: Pair, mentor: Person) -> MentorAgreement:
    """The agreement as the pair suggests it, not saved: its program's goal
    and tasks as the content, the pair's term (else the program's, else from
    the order's date)."""
    program = Program.objects.filter(pair=pair).first()
    if program is not None:
        lines = [program.goal.strip()]
        lines += [t.strip() for t in program.tasks.splitlines() if t.strip()]
        content = "\n".join(line for line in lines if line)
    else:
        content = pair.goal.strip() or str(DEFAULT_CONTENT)
    order = signed_order(pair)
    starts_on = (
        pair.starts_on
        or (program.starts_on if program else None)
        or (order.signed_on if order else None)
    )
    ends_on = pair.ends_on or (program.ends_on if program else None)
    return MentorAgreement(
        pair=pair,
        mentor=mentor,
        content=content,
        starts_on=starts_on,
        ends_on=ends_on,
        pay=MentorAgreement.Pay.PERCENT,
    )


def _pay_words(agreement: MentorAgreement) -> str:
    if agreement.pay == MentorAgreement.Pay.NONE or agreement.pay_value is None:
        return _("без доплаты")
    shown = agreement.pay_value_text
    if agreement.pay == MentorAgreement.Pay.PERCENT:
        return _("доплата %(value)s %%") % {"value": shown}
    return _("доплата %(value)s руб. в месяц") % {"value": shown}


@transaction.atomic
def save_mentor_agreement(
    *,
    pair: Pair,
    mentor: Person,
    by: User | None,
    terms: dict,
    scan=None,
) -> MentorAgreement:
    """Record the agreement's terms (and its signed scan, if given)."""
    # The pair's row is the queue: two curators saving at once do not both
    # create the mentor's agreement.
    pair = (
        Pair.objects.select_for_update().select_related("organization").get(pk=pair.pk)
    )
    ensure_acts_for(by=by, organization=pair.organization)
    ensure_agreement_applies(pair=pair, mentor=mentor)
    if pair.status in CLOSED:
        raise ValidationError(
            _("Пара/группа № %(pair)s уже закрыта: соглашение не меняют.")
            % {"pair": pair.pk},
            code="closed",
        )
    unknown = set(terms) - set(TERM_FIELDS)
    if unknown:
        raise TypeError(f"Not terms of an agreement: {sorted(unknown)}")
    agreement = MentorAgreement.objects.filter(pair=pair, mentor=mentor).first()
    created = agreement is None
    if created:
        agreement = MentorAgreement(pair=pair, mentor=mentor)
    for name, value in terms.items():
        setattr(agreement, name, value)
    if agreement.pay == MentorAgreement.Pay.NONE:
        agreement.pay_value = None
    elif isinstance(agreement.pay_value, int | float | str):
        agreement.pay_value = Decimal(str(agreement.pay_value))
    if scan is not None:
        agreement.scan = scan
    agreement.recorded_by = by if by and by.is_authenticated else None
    agreement.full_clean()
    agreement.save()
    message = _(
        "Соглашение о наставничестве с %(name)s: с %(start)s по %(end)s, %(pay)s"
    ) % {
        "name": mentor.full_name,
        "start": short_date(agreement.starts_on),
        "end": short_date(agreement.ends_on),
        "pay": _pay_words(agreement),
    }
    if scan is not None:
        message += str(_("; внесён скан подписанного соглашения"))
    record_change(
        actor=by,
        obj=agreement,
        action="agreement.created" if created else "agreement.changed",
        message=message,
        organization=pair.organization,
        data={"pair": pair.pk, "mentor": mentor.pk},
    )
    return agreement
