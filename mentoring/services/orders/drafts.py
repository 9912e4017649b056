"""Orders the curator drafts and edits until they go for signature."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from mentoring.dates import short_date
from mentoring.models import (
    Order,
    OrderAcquaintance,
    OrderItem,
    OrderReward,
    Organization,
    Pair,
    Person,
    User,
)
from mentoring.services import ensure_acts_for, record_change

from .texts import order_standard_text, standard_order_text, standard_pair_order_text


def _user(by: User | None) -> User | None:
    return by if by is not None and by.is_authenticated else None


def ensure_editable(order: Order) -> None:
    if not order.is_editable:
        raise ValidationError(
            _("Приказ «%(status)s» изменять нельзя.")
            % {"status": order.get_status_display()},
            code="not_editable",
        )


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
    standard = standard_order_text(kind=kind, organization=organization, author=by)
    order = Order(
        organization=organization,
        kind=kind,
        title=title or standard.title,
        preamble=preamble or standard.preamble,
        place=organization.place,
        created_by=_user(by),
        items_edited=items is not None,
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
        if pair.starts_on is None or pair.ends_on is None:
            errors.append(_no_term_error(pair))
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
    standard = standard_pair_order_text(
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


def _no_term_error(pair: Pair) -> ValidationError:
    # The order states each pair's term, and signing must not invent one the
    # director never saw in the preview.
    return ValidationError(
        _(
            "У пары/группы № %(pk)s не указан срок наставничества: укажите "
            "начало и окончание в карточке пары."
        )
        % {"pk": pair.pk},
        code="no_term",
    )


def _pair_taken_error(pair: Pair) -> ValidationError:
    other = pair.order
    if other.status == Order.Status.SIGNED:
        return ValidationError(
            _("Пара/группа № %(pk)s уже закреплена приказом от %(day)s № %(number)s.")
            % {
                "pk": pair.pk,
                "day": short_date(other.signed_on),
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


def _texts(texts: Iterable[str]) -> list[str]:
    return [t.strip() for t in texts if t and t.strip()]


@transaction.atomic
def set_order_items(*, order: Order, texts: list[str], by: User | None) -> Order:
    """Replace the numbered items of an order that may still be edited.

    Items that differ from the standard wording are the curator's and are
    kept as typed until signing; the same items as stored (a form saved for
    its other fields) change nothing; items typed back to the standard
    wording follow the cards again.
    """
    order = _lock_order(order)
    ensure_acts_for(by=by, organization=order.organization)
    ensure_editable(order)
    before = list(order.items.values_list("text", flat=True))
    texts = _texts(texts)
    if texts == before:
        return order
    standard = _texts(order_standard_text(order).items)
    edited = texts != standard
    order.items.all().delete()
    _write_items(order=order, texts=texts if edited else standard)
    order.items_edited = edited
    order.save(update_fields=["items_edited"])
    after = list(order.items.values_list("text", flat=True))
    if before != after:
        record_change(
            actor=by,
            obj=order,
            action="order.items_changed",
            organization=order.organization,
            message=_("Изменены пункты приказа «%(title)s»") % {"title": order.title},
            data={"standard": not edited},
        )
    return order


@transaction.atomic
def refresh_order_text(*, order: Order) -> Order:
    """Render the standard items afresh from the pairs and people's cards.

    Called wherever the order is shown or printed and at signing, so a name
    corrected on a card reaches every draft; a signed order or the curator's
    own items stay as they are. No audit entry: nothing was decided.
    """
    order = _lock_order(order)
    if order.status == Order.Status.SIGNED or order.items_edited:
        return order
    standard = _texts(order_standard_text(order).items)
    if standard != list(order.items.values_list("text", flat=True)):
        order.items.all().delete()
        _write_items(order=order, texts=standard)
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
            % {"day": short_date(order.signed_on)},
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
            "day": short_date(on) if on else "—",
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
