"""Extracts from a signed order (выписка из приказа) for its participants.

A pair order names every pair it assigns, children with their classes among
them; a participant gets only what concerns them (DOMAIN.md, «Extract from an
order»): the requisites, the preamble, the items, with each line naming a
person of another pair left out, and the appendix rows of their own pairs,
then «Выписка верна» certified by the curator (the head if the school has
none). The item text is the signed text itself; which line names whom is
found by the names of the order's people in every grammatical case, since
the curator may have edited the standard wording before sending.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mentoring import documents
from mentoring.dates import short_date
from mentoring.models import Order, Participation, Person, Role, User
from mentoring.names import (
    initials_surname,
    name_forms,
    name_traces,
    names_pattern,
    normalized_text,
)

from ..audit import record_change


@dataclass(frozen=True)
class Certifier:
    """Who certifies the extract: «Выписка верна», position, name."""

    position: str
    name: str


class _Reader:
    """Tells whether a line of the order names a person of another pair."""

    def __init__(self, *, own: list[Person], others: list[Person]):
        self._own = names_pattern(set().union(*(name_forms(p) for p in own)))
        self._others = names_pattern(set().union(*(name_traces(p) for p in others)))

    def names_others(self, line: str) -> bool:
        if self._others is None:
            return False
        text = normalized_text(line)
        # The participant's own names go first: a sister in another pair
        # shares the surname, and «Иванова» is also his genitive.
        if self._own is not None:
            text = self._own.sub("\x00", text)
        return self._others.search(text) is not None


def extract_certifier(*, order: Order) -> Certifier:
    """The school's curator certifies; the head, when there is no curator card."""
    curator = (
        Person.objects.filter(
            organization=order.organization,
            user__role=Role.CURATOR,
            user__is_active=True,
        )
        .order_by("pk")
        .first()
    )
    if curator is not None:
        position = curator.position or _("куратор наставничества")
        return Certifier(
            position=position[:1].upper() + position[1:],
            name=initials_surname(curator),
        )
    organization = order.organization
    return Certifier(position=organization.head_position, name=organization.head_name)


def _ensure_extract_allowed(*, order: Order, user: User) -> None:
    if order.status != Order.Status.SIGNED:
        raise ValidationError(
            _("Выписку можно получить только из подписанного приказа."),
            code="not_signed",
        )
    if not order.pairs.filter(participations__person__user=user).exists():
        raise ValidationError(
            _("Выписка выдаётся участнику пары, которую закрепляет приказ."),
            code="not_participant",
        )


def extract_text(*, order: Order, user: User) -> dict:
    """The order's text as the user's extract prints it: the preamble's
    paragraphs and the items, with the order's own numbers, less what names
    a person of another pair (an item whose first line does so goes whole)."""
    people = list(
        Participation.objects.filter(pair__order=order)
        .select_related("person")
        .order_by("pk")
    )
    own_pairs = {p.pair_id for p in people if p.person.user_id == user.pk}
    own = {p.person for p in people if p.pair_id in own_pairs}
    others = {p.person for p in people if p.pair_id not in own_pairs} - own
    reader = _Reader(own=list(own), others=list(others))
    items = []
    for number, item in enumerate(order.items.all(), start=1):
        head, *subs = item.lines
        if reader.names_others(head):
            continue
        items.append(
            {
                "number": number,
                "head": head,
                "subs": [
                    (f"{number}.{position}", sub)
                    for position, sub in enumerate(subs, start=1)
                    if not reader.names_others(sub)
                ],
            }
        )
    preamble = [
        paragraph.strip()
        for paragraph in order.preamble.splitlines()
        if paragraph.strip() and not reader.names_others(paragraph)
    ]
    return {"preamble": preamble, "items": items}


@transaction.atomic
def issue_order_extract(*, order: Order, user: User) -> bytes:
    """The user's extract from the signed order, dated today, as a PDF.

    Each extract issued is recorded, as a school records extracts it gives
    out: to whom, from which order, when.
    """
    order = Order.objects.select_related("organization").get(pk=order.pk)
    _ensure_extract_allowed(order=order, user=user)
    day = timezone.localdate()
    content = documents.order_extract_pdf(
        order=order,
        **extract_text(order=order, user=user),
        pair_ids=set(
            order.pairs.filter(participations__person__user=user).values_list(
                "pk", flat=True
            )
        ),
        certifier=extract_certifier(order=order),
        day=day,
    )
    record_change(
        actor=user,
        obj=order,
        action="order.extract_issued",
        organization=order.organization,
        message=_("Выдана выписка из приказа от %(day)s № %(number)s: %(who)s")
        % {
            "day": short_date(order.signed_on),
            "number": order.full_number,
            "who": user.person.short_name,
        },
    )
    return content
