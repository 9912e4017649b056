"""The school's register of orders (журнал регистрации приказов).

A school numbers all its orders in one register, the mentoring ones among
orders on staff, pupils and everything else: the curator keeps its next
number as the paper journal has it, signing takes that number, and an order
signed on paper is entered with the number and date the journal gave it.
Every change locks the organization's row: that row is the register.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from mentoring.dates import short_date
from mentoring.models import Order, Organization, User
from mentoring.services import ensure_acts_for, record_change


def lock_register(*, organization_id: int) -> Organization:
    return Organization.objects.select_for_update().get(pk=organization_id)


def register_orders(*, organization: Organization, year: int) -> QuerySet[Order]:
    """The numbered orders that share a numbering with an order of `year`."""
    orders = Order.objects.filter(organization=organization, number__isnull=False)
    if organization.order_numbers_reset_yearly:
        orders = orders.filter(year=year)
    return orders


def _open_year(organization: Organization, *, year: int) -> None:
    """Start the register's year on its first order; a new year from 1."""
    if organization.order_number_year is None:
        organization.order_number_year = year
    elif year > organization.order_number_year:
        if organization.order_numbers_reset_yearly:
            organization.order_number_next = 1
        organization.order_number_year = year
    elif year < organization.order_number_year:
        raise ValidationError(
            _(
                "Журнал приказов уже ведётся за %(year)s год: следующий номер "
                "нельзя выдать приказу %(order_year)s года. Приказ, подписанный "
                "на бумаге, внесите с его номером."
            )
            % {"year": organization.order_number_year, "order_year": year},
            code="closed_year",
        )


def _ensure_fits_dates(
    *, organization: Organization, number: int, on: datetime.date
) -> None:
    """The journal runs in order of dates: number N is not dated before N-1."""
    orders = register_orders(organization=organization, year=on.year)
    previous = orders.filter(number__lt=number).order_by("-number").first()
    if previous is not None and previous.signed_on > on:
        raise ValidationError(
            _(
                "Дата %(day)s раньше даты предыдущего приказа в журнале: "
                "№ %(number)s от %(previous)s."
            )
            % {
                "day": short_date(on),
                "number": previous.full_number,
                "previous": short_date(previous.signed_on),
            },
            code="before_previous",
        )
    following = orders.filter(number__gt=number).order_by("number").first()
    if following is not None and following.signed_on < on:
        raise ValidationError(
            _(
                "Дата %(day)s позже даты следующего приказа в журнале: "
                "№ %(number)s от %(following)s."
            )
            % {
                "day": short_date(on),
                "number": following.full_number,
                "following": short_date(following.signed_on),
            },
            code="after_following",
        )


def take_next_number(*, organization: Organization, on: datetime.date) -> int:
    """The register's next number for an order dated `on`; the caller holds
    the organization's row lock (`lock_register`) until its transaction ends."""
    _open_year(organization, year=on.year)
    # Never a number already given: orders that came in another way (an
    # import, data from before the register) count as given.
    last = (
        register_orders(organization=organization, year=on.year)
        .order_by("-number")
        .values_list("number", flat=True)
        .first()
    )
    number = max(organization.order_number_next, (last or 0) + 1)
    _ensure_fits_dates(organization=organization, number=number, on=on)
    organization.order_number_next = number + 1
    organization.save(update_fields=["order_number_next", "order_number_year"])
    return number


def enter_paper_number(
    *, organization: Organization, number: int, on: datetime.date
) -> None:
    """Check the number and date a paper journal gave; move the register on."""
    if number < 1:
        raise ValidationError(
            _("Номер приказа — целое число от 1."), code="number_invalid"
        )
    if on > timezone.localdate():
        raise ValidationError(
            _("Дата приказа %(day)s ещё не наступила.") % {"day": short_date(on)},
            code="future",
        )
    taken = (
        register_orders(organization=organization, year=on.year)
        .filter(number=number)
        .first()
    )
    if taken is not None:
        raise ValidationError(
            _(
                "Номер %(number)s уже есть в журнале приказов: приказ от %(day)s "
                "«%(title)s»."
            )
            % {
                "number": taken.full_number,
                "day": short_date(taken.signed_on),
                "title": taken.title,
            },
            code="number_taken",
        )
    _ensure_fits_dates(organization=organization, number=number, on=on)
    current = organization.order_number_year
    if current is None or on.year > current:
        _open_year(organization, year=on.year)
    # An entry of an earlier year (with yearly numbering) leaves this year's
    # counter alone; otherwise signing goes on after the paper number.
    same_numbering = (
        not organization.order_numbers_reset_yearly
        or on.year == organization.order_number_year
    )
    if same_numbering and number >= organization.order_number_next:
        organization.order_number_next = number + 1
    organization.save(update_fields=["order_number_next", "order_number_year"])


def _ensure_number_mark(value: str, *, field: str, digit_at: int) -> None:
    if value and value[digit_at].isdigit():
        message = (
            _("Префикс не может оканчиваться цифрой: она сольётся с номером.")
            if field == "order_number_prefix"
            else _("Суффикс не может начинаться с цифры: она сольётся с номером.")
        )
        raise ValidationError({field: ValidationError(message, code="digit")})
    if any(char.isspace() and char != " " for char in value):
        raise ValidationError(
            {field: ValidationError(_("Без переносов строк."), code="whitespace")}
        )


@transaction.atomic
def update_order_register(
    *,
    organization: Organization,
    by: User | None,
    prefix: str,
    suffix: str,
    next_number: int,
    resets_yearly: bool,
) -> Organization:
    """Set the register as the school's paper journal has it today."""
    ensure_acts_for(by=by, organization=organization)
    register = lock_register(organization_id=organization.pk)
    prefix, suffix = prefix.strip(), suffix.strip()
    _ensure_number_mark(prefix, field="order_number_prefix", digit_at=-1)
    _ensure_number_mark(suffix, field="order_number_suffix", digit_at=0)
    before = {
        "prefix": register.order_number_prefix,
        "suffix": register.order_number_suffix,
        "next": register.order_number_next,
        "year": register.order_number_year,
        "resets_yearly": register.order_numbers_reset_yearly,
    }
    year = timezone.localdate().year
    register.order_number_prefix = prefix
    register.order_number_suffix = suffix
    register.order_numbers_reset_yearly = resets_yearly
    register.order_number_next = next_number
    # The curator states the number as of today: it belongs to this year.
    register.order_number_year = year
    last = register_orders(organization=register, year=year).order_by("-number").first()
    if last is not None and next_number <= last.number:
        raise ValidationError(
            {
                "order_number_next": ValidationError(
                    _(
                        "Номер %(number)s уже выдан: последний приказ в журнале — "
                        "№ %(last)s от %(day)s. Следующий номер должен быть больше."
                    )
                    % {
                        "number": next_number,
                        "last": last.full_number,
                        "day": short_date(last.signed_on),
                    },
                    code="number_taken",
                )
            }
        )
    register.full_clean()
    register.save(
        update_fields=[
            "order_number_prefix",
            "order_number_suffix",
            "order_numbers_reset_yearly",
            "order_number_next",
            "order_number_year",
        ]
    )
    after = {
        "prefix": prefix,
        "suffix": suffix,
        "next": next_number,
        "year": year,
        "resets_yearly": resets_yearly,
    }
    if after != before:
        record_change(
            actor=by,
            obj=register,
            action="organization.order_register",
            organization=register,
            message=_("Журнал приказов: следующий номер %(number)s, нумерация %(mode)s")
            % {
                "number": f"{prefix}{next_number}{suffix}",
                "mode": _("с 1 каждый год") if resets_yearly else _("сквозная"),
            },
            data={"before": before, "after": after},
        )
    organization.refresh_from_db()
    return register
