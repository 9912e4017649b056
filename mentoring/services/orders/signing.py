"""Sending an order for signature, and the director's decision on it.

Signing numbers the order (per organization and calendar year, without gaps
even when two directors sign at once), makes its pairs active in the same
transaction and stores the PDF, which is then served as stored.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from mentoring.dates import short_date
from mentoring.links import absolute_url
from mentoring.mail import send_templated
from mentoring.models import Order, Organization, Pair, Role, User
from mentoring.services import (
    change_pair_status,
    ensure_acts_for,
    order_document_errors,
    record_change,
)
from mentoring.services.consents import order_consent_problems
from mentoring.signals import order_signed

from .drafts import _lock_order, _user, ensure_editable, refresh_order_text
from .storage import store_signed_order_pdf


def consent_problems(*, order: Order, on: datetime.date | None = None) -> list[str]:
    """Every person the order names who lacks a consent, where, and which."""
    return order_consent_problems(order=order, on=on)


def check_ready_for_signature(*, order: Order, on: datetime.date | None = None):
    errors = []
    if not order.items.exists():
        errors.append(
            ValidationError(
                _("В приказе нет ни одного пункта: добавьте распорядительную часть."),
                code="no_items",
            )
        )
    if order.kind == Order.Kind.REWARD and not order.rewards.exists():
        errors.append(
            ValidationError(
                _(
                    "В приказе о поощрении нет ни одного поощряемого: заполните "
                    "приложение (ФИО, вид поощрения, основание)."
                ),
                code="no_rewards",
            )
        )
    if order.kind == Order.Kind.PAIRS:
        pairs = list(order.pairs.order_by("pk"))
        if not pairs:
            errors.append(
                ValidationError(
                    _("В приказе о закреплении нет ни одной пары или группы."),
                    code="no_pairs",
                )
            )
        for pair in pairs:
            if pair.status != Pair.Status.DRAFT:
                errors.append(
                    ValidationError(
                        _("Пара/группа № %(pk)s уже «%(status)s».")
                        % {"pk": pair.pk, "status": pair.get_status_display()},
                        code="not_draft",
                    )
                )
        errors += order_document_errors(order=order, on=on)
    # Any kind of order: no document names a person without consent.
    errors += [
        ValidationError(problem, code="consent_missing")
        for problem in consent_problems(order=order, on=on)
    ]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def submit_order(*, order: Order, by: User | None) -> Order:
    """Send the draft to the director; every participant must have consented."""
    order = _lock_order(order)
    ensure_acts_for(by=by, organization=order.organization)
    if order.status == Order.Status.ON_SIGNATURE:
        raise ValidationError(
            _("Приказ уже направлен на подпись."), code="already_submitted"
        )
    ensure_editable(order)
    refresh_order_text(order=order)
    check_ready_for_signature(order=order)
    order.status = Order.Status.ON_SIGNATURE
    order.submitted_by, order.submitted_at = _user(by), timezone.now()
    order.director_comment = ""
    order.full_clean()
    order.save(
        update_fields=["status", "submitted_by", "submitted_at", "director_comment"]
    )
    record_change(
        actor=by,
        obj=order,
        action="order.submitted",
        organization=order.organization,
        message=_("Приказ «%(title)s» направлен на подпись") % {"title": order.title},
    )
    notify_order_submitted(order=order)
    return order


def ensure_can_sign(*, director: User, order: Order) -> None:
    """Only the head of the order's own organization decides on it."""
    if (
        director.is_authenticated
        and director.role == Role.DIRECTOR
        and director.organization_id == order.organization_id
    ):
        return
    raise ValidationError(
        _("Подписать или вернуть приказ может только руководитель «%(org)s».")
        % {"org": order.organization.short_name},
        code="forbidden",
    )


def _ensure_pending(order: Order) -> None:
    if order.status == Order.Status.SIGNED:
        raise ValidationError(
            _("Приказ уже подписан: № %(number)s от %(day)s.")
            % {
                "number": order.full_number,
                "day": short_date(order.signed_on),
            },
            code="already_signed",
        )
    if order.status == Order.Status.RETURNED:
        raise ValidationError(
            _("Приказ уже возвращён на доработку."), code="already_returned"
        )
    if order.status != Order.Status.ON_SIGNATURE:
        raise ValidationError(
            _("Приказ не направлен на подпись."), code="not_submitted"
        )


def next_order_number(*, organization: Organization, year: int) -> int:
    last = Order.objects.filter(organization=organization, year=year).aggregate(
        last=Max("number")
    )["last"]
    return (last or 0) + 1


@transaction.atomic
def sign_order(
    *, order: Order, director: User, on: datetime.date | None = None
) -> Order:
    """Sign the order; its pairs become active in the same transaction.

    `on` is for an order signed on paper earlier (the demo school's history);
    the director's page always signs today.
    """
    order = _lock_order(order)
    _ensure_pending(order)
    ensure_can_sign(director=director, order=order)
    # The text as of now is the one filed: from here on it is frozen.
    refresh_order_text(order=order)
    # A consent may have ended since the order was sent: check again today.
    check_ready_for_signature(order=order, on=on or timezone.localdate())
    # Numbers run without gaps per organization and year: signings queue here.
    organization = Organization.objects.select_for_update().get(
        pk=order.organization_id
    )
    today = on or timezone.localdate()
    order.year = today.year
    order.number = next_order_number(organization=organization, year=today.year)
    order.number_suffix = organization.order_number_suffix
    order.signed_on = today
    order.place = order.place or organization.place
    order.status = Order.Status.SIGNED
    order.decided_by = director
    order.decided_at = (
        timezone.now()
        if on is None
        else timezone.make_aware(datetime.datetime.combine(on, datetime.time(10)))
    )
    order.full_clean()
    order.save(
        update_fields=[
            "year",
            "number",
            "number_suffix",
            "signed_on",
            "place",
            "status",
            "decided_by",
            "decided_at",
        ]
    )
    # The order approves the pairs, and they start work: both moves recorded.
    for pair in order.pairs.order_by("pk"):
        change_pair_status(pair=pair, to=Pair.Status.APPROVED, by=director, on=today)
        change_pair_status(pair=pair, to=Pair.Status.ACTIVE, by=director, on=today)
    record_change(
        actor=director,
        obj=order,
        action="order.signed",
        organization=order.organization,
        message=_("Подписан приказ от %(day)s № %(number)s «%(title)s»")
        % {
            "day": short_date(today),
            "number": order.full_number,
            "title": order.title,
        },
        data={"number": order.number, "year": order.year},
    )
    # Rendered once, from the committed order: a signing that rolls back
    # leaves no file (storage.py).
    transaction.on_commit(
        lambda: store_signed_order_pdf.enqueue(order_id=order.pk), robust=True
    )
    # Listeners (the roadmap closes its activity) write in this transaction.
    order_signed.send(sender=Order, order=order, by=director, on=today)
    notify_order_decided(order=order)
    return order


@transaction.atomic
def return_order(*, order: Order, director: User, comment: str) -> Order:
    """Send the order back to the curator; its pairs stay drafts."""
    order = _lock_order(order)
    _ensure_pending(order)
    ensure_can_sign(director=director, order=order)
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError(
            _("Напишите, что нужно исправить в приказе."), code="comment_required"
        )
    order.status = Order.Status.RETURNED
    order.director_comment = comment
    order.decided_by, order.decided_at = director, timezone.now()
    order.full_clean()
    order.save(update_fields=["status", "director_comment", "decided_by", "decided_at"])
    record_change(
        actor=director,
        obj=order,
        action="order.returned",
        organization=order.organization,
        message=_("Приказ «%(title)s» возвращён на доработку: %(comment)s")
        % {"title": order.title, "comment": comment},
        data={"comment": comment},
    )
    notify_order_decided(order=order)
    return order


# ---------------------------------------------------------------- mail
# Called inside the deciding transaction: the letter tells what commits, and
# goes out (through mentoring.mail) only once it has.


def notify_order_submitted(*, order: Order) -> None:
    directors = User.objects.filter(
        organization_id=order.organization_id, role=Role.DIRECTOR, is_active=True
    ).values_list("email", flat=True)
    send_templated(
        name="order_submitted",
        to=directors,
        context={"order": order, "url": absolute_url("mentoring:orders")},
    )


def notify_order_decided(*, order: Order) -> None:
    recipients = set(
        User.objects.filter(
            organization_id=order.organization_id, role=Role.CURATOR, is_active=True
        ).values_list("email", flat=True)
    )
    if order.submitted_by_id:
        recipients.add(User.objects.get(pk=order.submitted_by_id).email)
    signed = order.status == Order.Status.SIGNED
    send_templated(
        name="order_signed" if signed else "order_returned",
        to=recipients,
        context={"order": order, "pairs_activated": order.kind == Order.Kind.PAIRS},
    )
