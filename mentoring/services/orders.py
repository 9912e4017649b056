"""Orders: drafted by the curator, sent for signature, signed or returned.

Signing numbers the order (per organization and calendar year, without gaps
even when two directors sign at once), makes its pairs active in the same
transaction and stores the PDF, which is then served as stored.
"""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from mentoring import documents
from mentoring.links import absolute_url
from mentoring.models import (
    Order,
    OrderAcquaintance,
    OrderItem,
    OrderReward,
    Organization,
    Pair,
    Person,
    Role,
    User,
)
from mentoring.services import (
    change_pair_status,
    ensure_acts_for,
    record_change,
)
from mentoring.services.consents import order_consent_problems
from roadmap.services import close_activities_with_evidence


def _user(by: User | None) -> User | None:
    return by if by is not None and by.is_authenticated else None


def ensure_editable(order: Order) -> None:
    if not order.is_editable:
        raise ValidationError(
            _("Приказ «%(status)s» изменять нельзя.")
            % {"status": order.get_status_display()},
            code="not_editable",
        )


# ---------------------------------------------------------------- drafts


@transaction.atomic
def create_order(
    *,
    organization: Organization,
    kind: str,
    by: User | None,
    title: str = "",
    preamble: str = "",
    items: Iterable[str] | None = None,
) -> Order:
    """A draft order of any kind but the pair order; blank texts get the kind's
    standard wording."""
    ensure_acts_for(by=by, organization=organization)
    if kind == Order.Kind.PAIRS:
        raise ValidationError(
            _(
                "Приказ о закреплении пар формируется из списка пар: отметьте пары "
                "и выберите действие «Сформировать приказ о закреплении пар»."
            ),
            code="pairs_from_list",
        )
    standard = documents.standard_order_text(
        kind=kind, organization=organization, author=by
    )
    order = Order(
        organization=organization,
        kind=kind,
        title=title or standard.title,
        preamble=preamble or standard.preamble,
        place=organization.place,
        created_by=_user(by),
    )
    order.full_clean()
    order.save()
    texts = list(items) if items is not None else standard.items
    _write_items(order=order, texts=texts)
    OrderAcquaintance.objects.bulk_create(
        [
            OrderAcquaintance(order=order, person=person)
            for person in standard.acquainted
        ]
    )
    _write_rewards(order=order, rows=standard.rewards)
    record_change(
        actor=by,
        obj=order,
        action="order.created",
        organization=organization,
        message=_("Создан проект приказа «%(title)s»") % {"title": order.title},
        data={"kind": kind},
    )
    return order


@transaction.atomic
def create_pair_order(
    *, organization: Organization, pairs: Iterable[Pair], by: User | None
) -> Order:
    """One draft order assigning the given draft pairs, with the standard text."""
    ensure_acts_for(by=by, organization=organization)
    pair_ids = sorted({p.pk for p in pairs})
    if not pair_ids:
        raise ValidationError(
            _("Выберите хотя бы одну пару или группу."), code="no_pairs"
        )
    locked = list(
        Pair.objects.select_for_update(of=("self",))
        .filter(pk__in=pair_ids)
        .select_related("order")
        .order_by("pk")
    )
    errors = []
    for pair in locked:
        if pair.organization_id != organization.pk:
            errors.append(
                ValidationError(
                    _("Пара/группа № %(pk)s — другой организации.") % {"pk": pair.pk},
                    code="other_organization",
                )
            )
        if pair.order is not None:
            errors.append(_pair_taken_error(pair))
        elif pair.status != Pair.Status.DRAFT:
            errors.append(
                ValidationError(
                    _(
                        "Пара/группа № %(pk)s — «%(status)s»: в приказ о закреплении "
                        "включают только проекты пар."
                    )
                    % {"pk": pair.pk, "status": pair.get_status_display()},
                    code="not_draft",
                )
            )
    if errors:
        raise ValidationError(errors)
    order = Order(
        organization=organization,
        kind=Order.Kind.PAIRS,
        place=organization.place,
        created_by=_user(by),
    )
    standard = documents.standard_pair_order_text(
        organization=organization, pairs=locked, author=by
    )
    order.title, order.preamble = standard.title, standard.preamble
    order.full_clean()
    order.save()
    Pair.objects.filter(pk__in=pair_ids).update(order=order)
    _write_items(order=order, texts=standard.items)
    people = standard.acquainted
    OrderAcquaintance.objects.bulk_create(
        [OrderAcquaintance(order=order, person=person) for person in people]
    )
    record_change(
        actor=by,
        obj=order,
        action="order.created",
        organization=organization,
        message=_("Создан проект приказа о закреплении пар/групп № %(pairs)s")
        % {"pairs": ", ".join(str(pk) for pk in pair_ids)},
        data={"kind": order.kind, "pairs": pair_ids},
    )
    return order


def _pair_taken_error(pair: Pair) -> ValidationError:
    other = pair.order
    if other.status == Order.Status.SIGNED:
        return ValidationError(
            _("Пара/группа № %(pk)s уже закреплена приказом от %(day)s № %(number)s.")
            % {
                "pk": pair.pk,
                "day": other.signed_on.strftime("%d.%m.%Y"),
                "number": other.full_number,
            },
            code="pair_in_signed_order",
        )
    if other.status == Order.Status.ON_SIGNATURE:
        return ValidationError(
            _("Пара/группа № %(pk)s уже в приказе, направленном на подпись.")
            % {"pk": pair.pk},
            code="pair_in_pending_order",
        )
    return ValidationError(
        _(
            "Пара/группа № %(pk)s уже в проекте приказа «%(title)s»: исключите её "
            "оттуда или удалите тот проект."
        )
        % {"pk": pair.pk, "title": other.title},
        code="pair_in_draft_order",
    )


def _write_items(*, order: Order, texts: Iterable[str]) -> None:
    OrderItem.objects.bulk_create(
        [
            OrderItem(order=order, position=position, text=text.strip())
            for position, text in enumerate(
                (t for t in texts if t and t.strip()), start=1
            )
        ]
    )


def _lock_order(order: Order) -> Order:
    return (
        Order.objects.select_for_update(of=("self",))
        .select_related("organization")
        .get(pk=order.pk)
    )


@transaction.atomic
def save_order_draft(*, order: Order, by: User | None) -> Order:
    """Save the curator's edits of a draft (or returned) order's own fields."""
    current = _lock_order(order)
    ensure_acts_for(by=by, organization=current.organization)
    ensure_editable(current)
    order.status = current.status
    order.organization_id = current.organization_id
    order.full_clean()
    order.save(update_fields=["kind", "title", "preamble", "place"])
    record_change(
        actor=by,
        obj=order,
        action="order.changed",
        organization=current.organization,
        message=_("Изменён проект приказа «%(title)s»") % {"title": order.title},
    )
    return order


@transaction.atomic
def set_order_items(*, order: Order, texts: list[str], by: User | None) -> Order:
    """Replace the numbered items of an order that may still be edited."""
    order = _lock_order(order)
    ensure_acts_for(by=by, organization=order.organization)
    ensure_editable(order)
    before = list(order.items.values_list("text", flat=True))
    order.items.all().delete()
    _write_items(order=order, texts=texts)
    after = list(order.items.values_list("text", flat=True))
    if before != after:
        record_change(
            actor=by,
            obj=order,
            action="order.items_changed",
            organization=order.organization,
            message=_("Изменены пункты приказа «%(title)s»") % {"title": order.title},
        )
    return order


def _write_rewards(*, order: Order, rows: Iterable[tuple[Person, str, str]]) -> None:
    OrderReward.objects.bulk_create(
        [
            OrderReward(
                order=order,
                position=position,
                person=person,
                kind=kind,
                basis=basis.strip(),
            )
            for position, (person, kind, basis) in enumerate(rows, start=1)
        ]
    )


@transaction.atomic
def set_order_rewards(
    *, order: Order, rows: list[tuple[Person, str, str]], by: User | None
) -> Order:
    """Replace the reward order's appendix: (person, kind, basis) in print order."""
    order = _lock_order(order)
    ensure_acts_for(by=by, organization=order.organization)
    ensure_editable(order)
    if order.kind != Order.Kind.REWARD:
        raise ValidationError(
            _("Список поощряемых есть только в приказе о поощрении."),
            code="not_reward_order",
        )
    errors = []
    for person, kind, basis in rows:
        if person.organization_id != order.organization_id:
            errors.append(
                ValidationError(
                    _("%(name)s — из другой организации.") % {"name": person.full_name},
                    code="other_organization",
                )
            )
        if kind not in OrderReward.Kind.values:
            errors.append(
                ValidationError(
                    _("%(name)s: выберите вид поощрения.") % {"name": person.full_name},
                    code="no_reward_kind",
                )
            )
        if not (basis or "").strip():
            errors.append(
                ValidationError(
                    _("%(name)s: укажите основание поощрения.")
                    % {"name": person.full_name},
                    code="no_reward_basis",
                )
            )
    if errors:
        raise ValidationError(errors)
    before = list(order.rewards.values_list("person_id", "kind", "basis"))
    order.rewards.all().delete()
    _write_rewards(order=order, rows=rows)
    after = list(order.rewards.values_list("person_id", "kind", "basis"))
    if before != after:
        record_change(
            actor=by,
            obj=order,
            action="order.rewards_changed",
            organization=order.organization,
            message=_("Изменено приложение к приказу «%(title)s»: поощряемых %(n)s")
            % {"title": order.title, "n": len(after)},
            data={"rewards": [[pk, kind] for pk, kind, _basis in after]},
        )
    return order


@transaction.atomic
def set_order_acquaintances(
    *, order: Order, people: list[Person], by: User | None
) -> Order:
    """Who is listed under «С приказом ознакомлены:» (before signing)."""
    order = _lock_order(order)
    ensure_acts_for(by=by, organization=order.organization)
    ensure_editable(order)
    for person in people:
        if person.organization_id != order.organization_id:
            raise ValidationError(
                _("%(name)s — из другой организации.") % {"name": person.full_name},
                code="other_organization",
            )
    wanted = {p.pk for p in people}
    order.acquaintances.exclude(person_id__in=wanted).delete()
    have = set(order.acquaintances.values_list("person_id", flat=True))
    OrderAcquaintance.objects.bulk_create(
        [OrderAcquaintance(order=order, person_id=pk) for pk in wanted - have]
    )
    record_change(
        actor=by,
        obj=order,
        action="order.acquaintances_set",
        organization=order.organization,
        message=_("Изменён лист ознакомления с приказом «%(title)s»")
        % {"title": order.title},
        data={"people": sorted(wanted)},
    )
    return order


@transaction.atomic
def mark_acquainted(
    *, acquaintance: OrderAcquaintance, on: datetime.date | None, by: User | None
) -> OrderAcquaintance:
    """Record the date a person read a signed order (their paper signature)."""
    acquaintance = (
        OrderAcquaintance.objects.select_for_update(of=("self",))
        .select_related("order__organization", "person")
        .get(pk=acquaintance.pk)
    )
    order = acquaintance.order
    ensure_acts_for(by=by, organization=order.organization)
    if on is not None and order.signed_on and on < order.signed_on:
        raise ValidationError(
            _("Ознакомиться с приказом можно не раньше даты его подписания (%(day)s).")
            % {"day": order.signed_on.strftime("%d.%m.%Y")},
            code="before_signed",
        )
    acquaintance.acquainted_on = on
    acquaintance.save(update_fields=["acquainted_on"])
    # The date a person read the order has legal weight: keep who wrote it.
    record_change(
        actor=by,
        obj=order,
        action="order.acquainted",
        organization=order.organization,
        message=_("%(name)s ознакомлен(а) с приказом: %(day)s")
        % {
            "name": acquaintance.person.full_name,
            "day": on.strftime("%d.%m.%Y") if on else "—",
        },
        data={"person": acquaintance.person_id, "on": on.isoformat() if on else None},
    )
    return acquaintance


@transaction.atomic
def release_pairs(*, order: Order, pairs: Iterable[Pair], by: User | None) -> Order:
    """Take pairs out of an order that may still be edited."""
    order = _lock_order(order)
    ensure_acts_for(by=by, organization=order.organization)
    ensure_editable(order)
    released = list(
        order.pairs.filter(pk__in=[p.pk for p in pairs]).values_list("pk", flat=True)
    )
    order.pairs.filter(pk__in=released).update(order=None)
    if released:
        record_change(
            actor=by,
            obj=order,
            action="order.pairs_released",
            organization=order.organization,
            message=_("Из приказа «%(title)s» исключены пары/группы: %(pairs)s")
            % {"title": order.title, "pairs": ", ".join(f"№ {pk}" for pk in released)},
            data={"pairs": released},
        )
    return order


# ---------------------------------------------------------------- signature


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
    transaction.on_commit(lambda: notify_order_submitted(order_id=order.pk))
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
                "day": order.signed_on.strftime("%d.%m.%Y"),
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
            "day": today.strftime("%d.%m.%Y"),
            "number": order.full_number,
            "title": order.title,
        },
        data={"number": order.number, "year": order.year},
    )
    # Rendered once, inside the transaction: a signed order always has its
    # PDF, and it is never rendered again.
    store_order_pdf(order=order)
    close_roadmap_activities(order=order, by=director, on=today)
    transaction.on_commit(lambda: notify_order_decided(order_id=order.pk))
    return order


# Which roadmap activity a signed order of each kind proves done (the codes
# the roadmap templates give their activities).
ROADMAP_ACTIVITY_OF_KIND = {
    Order.Kind.PAIRS: "form_pairs",
    Order.Kind.REGULATIONS: "adopt_acts",
    Order.Kind.FINAL_EVENT: "final_event_order",
}


def close_roadmap_activities(*, order: Order, by: User, on: datetime.date) -> None:
    """The signed order is the evidence of its roadmap activity, which is done."""
    code = ROADMAP_ACTIVITY_OF_KIND.get(order.kind)
    if code is None:
        return
    close_activities_with_evidence(
        organization=order.organization,
        obj=order,
        code=code,
        title=_("Приказ от %(day)s № %(number)s «%(title)s»")
        % {
            "day": on.strftime("%d.%m.%Y"),
            "number": order.full_number,
            "title": order.title,
        },
        url=reverse("mentoring:order-pdf", args=[order.pk]),
        done_on=on,
        by=by,
    )


def store_order_pdf(*, order: Order) -> None:
    content = documents.order_pdf(order=order)
    order.pdf_sha256 = hashlib.sha256(content).hexdigest()
    order.pdf.save(documents.order_filename(order), ContentFile(content), save=False)
    order.save(update_fields=["pdf", "pdf_sha256"])


def stored_order_pdf(*, order: Order) -> bytes:
    """The signed order's PDF exactly as stored at signing."""
    try:
        with order.pdf.open("rb") as stored:
            content = stored.read()
    except (OSError, ValueError) as error:
        raise ValidationError(
            _("Файл подписанного приказа не найден: обратитесь к администратору."),
            code="pdf_missing",
        ) from error
    if hashlib.sha256(content).hexdigest() != order.pdf_sha256:
        raise ValidationError(
            _("Файл подписанного приказа повреждён: обратитесь к администратору."),
            code="pdf_corrupted",
        )
    return content


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
    transaction.on_commit(lambda: notify_order_decided(order_id=order.pk))
    return order


# ---------------------------------------------------------------- mail


def notify_order_submitted(*, order_id: int) -> None:
    order = Order.objects.select_related("organization").get(pk=order_id)
    recipients = list(
        User.objects.filter(
            organization_id=order.organization_id,
            role=Role.DIRECTOR,
            is_active=True,
        )
        .exclude(email="")
        .values_list("email", flat=True)
    )
    if not recipients:
        return
    send_mail(
        _("На подпись: приказ «%(title)s»") % {"title": order.title},
        _(
            "Куратор направил вам на подпись приказ «%(title)s».\n\n"
            "Открыть приказы на подписи: %(url)s"
        )
        % {"title": order.title, "url": absolute_url("mentoring:orders")},
        None,
        recipients,
    )


def notify_order_decided(*, order_id: int) -> None:
    order = Order.objects.select_related("organization", "submitted_by").get(
        pk=order_id
    )
    recipients = set(
        User.objects.filter(
            organization_id=order.organization_id, role=Role.CURATOR, is_active=True
        )
        .exclude(email="")
        .values_list("email", flat=True)
    )
    if order.submitted_by and order.submitted_by.email:
        recipients.add(order.submitted_by.email)
    if not recipients:
        return
    if order.status == Order.Status.SIGNED:
        subject = _("Приказ подписан: № %(number)s от %(day)s") % {
            "number": order.full_number,
            "day": order.signed_on.strftime("%d.%m.%Y"),
        }
        body = _(
            "Руководитель подписал приказ «%(title)s» (№ %(number)s от %(day)s). "
            "Пары и группы из приложения переведены в статус «Действует»."
        ) % {
            "title": order.title,
            "number": order.full_number,
            "day": order.signed_on.strftime("%d.%m.%Y"),
        }
    else:
        subject = _("Приказ возвращён на доработку: «%(title)s»") % {
            "title": order.title
        }
        body = _(
            "Руководитель вернул приказ «%(title)s» на доработку.\n\nЗамечания: "
            "%(comment)s"
        ) % {"title": order.title, "comment": order.director_comment}
    send_mail(subject, body, None, sorted(recipients))
