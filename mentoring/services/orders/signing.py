"""Sending an order for signature, and the director's decision on it.

Signing numbers the order from the school's register (register.py: without
gaps even when two directors sign at once), or takes the number a paper
journal gave; either makes its pairs active in the same
transaction and stores the PDF, which is then served as stored.
"""

from __future__ import annotations

import datetime
import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
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

from .drafts import (
    _lock_order,
    _no_term_error,
    _user,
    ensure_editable,
    refresh_order_text,
)
from .register import enter_paper_number, lock_register, take_next_number
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
            if pair.starts_on is None or pair.ends_on is None:
                errors.append(_no_term_error(pair))
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
    today = on or timezone.localdate()
    # A consent may have ended since the order was sent: check again today.
    check_ready_for_signature(order=order, on=today)
    # Numbers run without gaps in the school's register: signings queue on
    # its row, and each takes the number the last one left.
    organization = lock_register(organization_id=order.organization_id)
    number = take_next_number(organization=organization, on=today)
    if organization.order_signing == Organization.Signing.ELECTRONIC:
        mark_signed_electronically(order=order, organization=organization, by=director)
    _file_signed(
        order=order,
        organization=organization,
        number=number,
        on=today,
        by=director,
        decided_at=(
            timezone.now()
            if on is None
            else timezone.make_aware(datetime.datetime.combine(on, datetime.time(10)))
        ),
        action="order.signed",
        message=_("Подписан приказ от %(day)s № %(number)s «%(title)s»"),
    )
    return order


@transaction.atomic
def register_paper_order(
    *, order: Order, by: User, number: int, signed_on: datetime.date
) -> Order:
    """Enter an order the director signed on paper, with the journal's number.

    A school that signs on paper numbers the order in its journal; here the
    order takes that number and date, and its pairs start as if signed here.
    """
    order = _lock_order(order)
    if order.status == Order.Status.SIGNED:
        _ensure_pending(order)
    ensure_acts_for(by=by, organization=order.organization)
    # The register first: a wrong number or date is what the curator fixes.
    organization = lock_register(organization_id=order.organization_id)
    enter_paper_number(organization=organization, number=number, on=signed_on)
    # The text filed is the one the director signed: the cards as they stand.
    refresh_order_text(order=order)
    check_ready_for_signature(order=order, on=signed_on)
    _file_signed(
        order=order,
        organization=organization,
        number=number,
        on=signed_on,
        by=by,
        decided_at=timezone.now(),
        action="order.signed_on_paper",
        message=_(
            "Внесён подписанный на бумаге приказ от %(day)s № %(number)s «%(title)s»"
        ),
    )
    return order


def mark_signed_electronically(
    *, order: Order, organization: Organization, by: User
) -> None:
    """The simple electronic signature's mark: who signs, and the document's
    code its QR code leads to (the verification page).

    The code is random, not derived from the order: who has not seen the
    document cannot guess the address of its verification page.
    """
    order.signature_code = secrets.token_hex(10).upper()
    order.signer_position = organization.head_position
    order.signer_name = organization.head_name or by.get_full_name() or by.username


def _file_signed(
    *,
    order: Order,
    organization: Organization,
    number: int,
    on: datetime.date,
    by: User,
    decided_at: datetime.datetime,
    action: str,
    message: str,
) -> None:
    """The signed order's number, date and consequences, however it was signed."""
    order.year = on.year
    order.number = number
    order.number_prefix = organization.order_number_prefix
    order.number_suffix = organization.order_number_suffix
    order.signed_on = on
    order.place = order.place or organization.place
    order.status = Order.Status.SIGNED
    order.decided_by = by
    order.decided_at = decided_at
    order.full_clean()
    order.save(
        update_fields=[
            "year",
            "number",
            "number_prefix",
            "number_suffix",
            "signed_on",
            "place",
            "status",
            "decided_by",
            "decided_at",
            "signature_code",
            "signer_position",
            "signer_name",
        ]
    )
    # The order approves the pairs, and they start work: both moves recorded.
    for pair in order.pairs.order_by("pk"):
        change_pair_status(pair=pair, to=Pair.Status.APPROVED, by=by, on=on)
        change_pair_status(pair=pair, to=Pair.Status.ACTIVE, by=by, on=on)
    record_change(
        actor=by,
        obj=order,
        action=action,
        organization=order.organization,
        message=message
        % {"day": short_date(on), "number": order.full_number, "title": order.title},
        data={"number": order.number, "year": order.year},
    )
    # Rendered once, from the committed order: a signing that rolls back
    # leaves no file (storage.py).
    transaction.on_commit(
        lambda: store_signed_order_pdf.enqueue(order_id=order.pk), robust=True
    )
    # Listeners (the roadmap closes its activity) write in this transaction.
    order_signed.send(sender=Order, order=order, by=by, on=on)
    notify_order_decided(order=order)


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
