"""Consents (152-ФЗ; ТК РФ ст. 351.8): which a person needs, giving and withdrawing."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from mentoring.consent_texts import current_text_version
from mentoring.models import (
    Consent,
    Order,
    Pair,
    Participation,
    Person,
    User,
)
from mentoring.names import Case, full_name_in, initials_surname, surname_initials_in

from .audit import ensure_acts_for, lower_first, record_change

# The Labour Code (ст. 351.8, since 01.03.2025) wants an employee's written
# consent to mentoring duties; students and outside specialists are not our staff.
CATEGORIES_NEEDING_DUTIES_CONSENT = (Person.Category.TEACHER,)


def required_consent_kinds(
    *, person: Person, as_mentor: bool, on: datetime.date | None = None
) -> list[str]:
    """The consent kinds a person needs to be in a bank or a pair on the day."""
    # A minor's personal data are processed on the legal representative's consent.
    kinds = [
        Consent.Kind.GUARDIAN if person.is_minor(on) else Consent.Kind.PERSONAL_DATA
    ]
    if as_mentor and person.category in CATEGORIES_NEEDING_DUTIES_CONSENT:
        kinds.append(Consent.Kind.MENTOR_DUTIES)
    return kinds


def missing_consents(
    *,
    person: Person,
    as_mentor: bool = False,
    on: datetime.date | None = None,
    consents: Iterable[Consent] | None = None,
) -> list[str]:
    """Labels of the consents the person lacks; uses prefetched consents if any,
    or the `consents` given (a batch read of many people's, as matching does)."""
    day = on or timezone.localdate()
    if consents is None:
        consents = person.consents.all()
    valid_kinds = {c.kind for c in consents if c.is_valid(day)}
    return [
        Consent.Kind(kind).label
        for kind in required_consent_kinds(person=person, as_mentor=as_mentor, on=day)
        if kind not in valid_kinds
    ]


def ensure_consents(
    *, person: Person, as_mentor: bool = False, on: datetime.date | None = None
) -> None:
    missing = missing_consents(person=person, as_mentor=as_mentor, on=on)
    if missing:
        raise ValidationError(
            _("%(name)s: нет действующего согласия — %(kinds)s.")
            % {
                "name": person.full_name,
                "kinds": "; ".join(lower_first(m) for m in missing),
            },
            code="consent_missing",
        )


def consent_given_at(
    given_on: datetime.date, at: datetime.datetime | None = None
) -> datetime.datetime:
    """The moment a consent was given: as known (an electronic one), now if it
    is recorded the day it was given, else the start of its day (a paper form
    carries a date only)."""
    if at is not None:
        return at
    if given_on == timezone.localdate():
        return timezone.now()
    return timezone.make_aware(datetime.datetime.combine(given_on, datetime.time()))


@transaction.atomic
def give_consent(
    *,
    person: Person,
    kind: str,
    given_on: datetime.date,
    by: User | None,
    valid_until: datetime.date | None = None,
    medium: str = Consent.Medium.PAPER,
    representative_name: str = "",
    purposes: str | None = None,
    scan=None,
    given_at: datetime.datetime | None = None,
    text_version: str | None = None,
) -> Consent:
    """Record a consent with the moment it was given and the version of the
    text it was given on (156-ФЗ); the current version unless told."""
    ensure_acts_for(by=by, organization=person.organization)
    if person.anonymised_at is not None:
        raise ValidationError(
            _("Данные участника обезличены: согласие внести нельзя."),
            code="anonymised",
        )
    if given_at is not None and timezone.localdate(given_at) != given_on:
        raise ValidationError(
            _("Время получения согласия не совпадает с его датой."),
            code="given_at_mismatch",
        )
    consent = Consent(
        person=person,
        kind=kind,
        given_on=given_on,
        given_at=consent_given_at(given_on, given_at),
        text_version=current_text_version(kind)
        if text_version is None
        else text_version,
        valid_until=valid_until,
        medium=medium,
        representative_name=representative_name or person.legal_representative,
        recorded_by=by if by and by.is_authenticated else None,
    )
    if purposes is not None:
        consent.purposes = purposes
    if scan:
        consent.scan = scan
    consent.full_clean()
    consent.save()
    record_change(
        actor=by,
        obj=consent,
        action="consent.given",
        organization=person.organization,
        message=_("Внесено согласие: %(kind)s — %(name)s")
        % {"kind": consent.get_kind_display(), "name": person.full_name},
        data={
            "person": person.pk,
            "kind": kind,
            "purpose": consent.purpose,
            "given_at": consent.given_at.isoformat(),
            "text_version": consent.text_version,
        },
    )
    return consent


@transaction.atomic
def withdraw_consent(
    *, consent: Consent, by: User | None, withdrawn_on: datetime.date | None = None
) -> Consent:
    """Record a withdrawal; from its day the person leaves the banks and their
    open pairs are suspended for the curator to decide (152-ФЗ ст. 9 ч. 2)."""
    # withdrawals builds on the pair services, which build on this module.
    from .withdrawals import apply_consent_consequences

    # Lock the person first, as pair and bank services do, so nobody is paired
    # or banked on this consent while it is being withdrawn.
    Person.objects.select_for_update().filter(pk=consent.person_id).exists()
    consent = (
        Consent.objects.select_for_update().select_related("person").get(pk=consent.pk)
    )
    ensure_acts_for(by=by, organization=consent.person.organization)
    if consent.withdrawn_on is not None:
        raise ValidationError(
            _("Согласие уже отозвано %(day)s.")
            % {"day": date_format(consent.withdrawn_on, "SHORT_DATE_FORMAT")},
            code="already_withdrawn",
        )
    day = withdrawn_on or timezone.localdate()
    if day < consent.given_on:
        raise ValidationError(
            _("Согласие не может быть отозвано раньше, чем дано."), code="before_given"
        )
    consent.withdrawn_on = day
    consent.save(update_fields=["withdrawn_on"])
    record_change(
        actor=by,
        obj=consent,
        action="consent.withdrawn",
        organization=consent.person.organization,
        message=_("Согласие отозвано: %(kind)s — %(name)s")
        % {"kind": consent.get_kind_display(), "name": consent.person.full_name},
        data={"person": consent.person_id, "withdrawn_on": day.isoformat()},
    )
    # A withdrawal dated ahead takes effect on its day (apply_consent_expiries).
    if day <= timezone.localdate():
        apply_consent_consequences(person=consent.person, by=by, on=day)
    return consent


@transaction.atomic
def replace_consent_scan(*, consent: Consent, scan, by: User | None) -> Consent:
    """Attach a new scan of a consent on file; the old file goes after commit.

    The consent itself is a legal record and stays as it was given; only its
    copy is replaced (a clearer scan, the missing second page).
    """
    consent = (
        Consent.objects.select_for_update().select_related("person").get(pk=consent.pk)
    )
    ensure_acts_for(by=by, organization=consent.person.organization)
    if not scan:
        raise ValidationError(
            {"scan": _("Скан согласия не удаляют: загрузите вместо него новый файл.")},
            code="scan_required",
        )
    old_name = consent.scan.name
    storage = consent.scan.storage
    consent.scan = scan
    # Only the file is new: the record's other fields were checked when given.
    consent.clean_fields(
        exclude=[f.name for f in Consent._meta.fields if f.name != "scan"]
    )
    consent.save(update_fields=["scan"])
    record_change(
        actor=by,
        obj=consent,
        action="consent.scan_replaced" if old_name else "consent.scan_attached",
        organization=consent.person.organization,
        message=(
            _("Заменён скан согласия: %(kind)s — %(name)s")
            if old_name
            else _("Приложен скан согласия: %(kind)s — %(name)s")
        )
        % {"kind": consent.get_kind_display(), "name": consent.person.full_name},
        # The replaced file is removed below: its name stays in the audit.
        data={
            "person": consent.person_id,
            "scan": consent.scan.name,
            "replaced": old_name,
        },
    )
    if old_name and old_name != consent.scan.name:
        # A rolled-back replacement must keep the old file: delete only after.
        transaction.on_commit(lambda: storage.delete(old_name))
    return consent


# ---------------------------------------------------------------- orders


@dataclass
class NamedPerson:
    """A person an order names, and every place in it that names them."""

    person: Person
    places: list[str] = field(default_factory=list)
    as_mentor: bool = False


def _stem(last_name: str) -> str:
    # Declension changes only the ending (and a fleeting vowel before it).
    return last_name[: max(len(last_name) - 2, 3)]


def _named_in_text(*, order: Order, people: Iterable[Person]) -> list[Person]:
    """People of the organization the order's text names (the curator appointed,
    «Куратору … разместить»), in any grammatical case or as «Фамилия И.О.»."""
    text = " ".join(
        [order.title, order.preamble, *order.items.values_list("text", flat=True)]
    )
    found = []
    for person in people:
        if not person.last_name or _stem(person.last_name) not in text:
            continue
        forms = {initials_surname(person)}
        for case in Case.values:
            forms.add(full_name_in(person, case))
            forms.add(surname_initials_in(person, case))
        if any(form in text for form in forms):
            found.append(person)
    return found


def persons_named_by_order(*, order: Order) -> list[NamedPerson]:
    """Everyone the order names: its pairs, reward rows, familiarization list and
    the people its text names; in the order they appear."""
    named: dict[int, NamedPerson] = {}

    def add(person: Person, place: str, *, as_mentor: bool = False) -> None:
        entry = named.setdefault(person.pk, NamedPerson(person=person))
        entry.places.append(place)
        entry.as_mentor = entry.as_mentor or as_mentor

    participations = (
        Participation.objects.filter(pair__order=order)
        .select_related("person")
        .prefetch_related("person__consents")
        .order_by("pair_id", "role", "person__last_name")
    )
    for participation in participations:
        add(
            participation.person,
            _("%(role)s, пара/группа № %(pair)s")
            % {
                "role": lower_first(participation.get_role_display()),
                "pair": participation.pair_id,
            },
            as_mentor=participation.role == Participation.Role.MENTOR,
        )
    rewards = order.rewards.select_related("person").prefetch_related(
        "person__consents"
    )
    for reward in rewards:
        add(reward.person, _("приложение о поощрении"))
    acquaintances = order.acquaintances.select_related("person").prefetch_related(
        "person__consents"
    )
    for acquaintance in acquaintances:
        add(acquaintance.person, _("лист ознакомления"))
    others = Person.objects.filter(organization_id=order.organization_id).exclude(
        pk__in=list(named)
    )
    found = [p.pk for p in _named_in_text(order=order, people=others)]
    # Consents only for the few the text names, not the whole school.
    for person in Person.objects.filter(pk__in=found).prefetch_related("consents"):
        add(person, _("назван(а) в тексте приказа"))
    return list(named.values())


def order_consent_problems(*, order: Order, on: datetime.date | None = None):
    """A line for every person the order names without a valid consent on the
    day: who, where the order names them, and which consent is missing."""
    problems = []
    for entry in persons_named_by_order(order=order):
        missing = missing_consents(
            person=entry.person, as_mentor=entry.as_mentor, on=on
        )
        if missing:
            problems.append(
                _("%(name)s (%(places)s): нет действующего согласия — %(kinds)s.")
                % {
                    "name": entry.person.full_name,
                    "places": "; ".join(entry.places),
                    "kinds": "; ".join(lower_first(m) for m in missing),
                }
            )
    return problems


# ---------------------------------------------------------------- no new records


def ensure_may_record_about(
    *,
    pair: Pair | None = None,
    persons: Iterable[Person] = (),
    on: datetime.date | None = None,
) -> None:
    """Nothing new about a person is recorded once their consent has ended
    (152-ФЗ ст. 9 ч. 2): not a meeting, an answer or a choice. What was
    recorded while it held stays."""
    day = on or timezone.localdate()
    if pair is not None and pair.status == Pair.Status.SUSPENDED:
        raise ValidationError(
            _(
                "Пара/группа № %(pk)s приостановлена: у участника нет действующего "
                "согласия. Новые сведения о ней не вносятся, пока куратор не "
                "примет решение."
            )
            % {"pk": pair.pk},
            code="pair_suspended",
        )
    checks: dict[int, tuple[Person, bool]] = {}
    if pair is not None:
        for participation in pair.participations.select_related(
            "person"
        ).prefetch_related("person__consents"):
            checks[participation.person_id] = (
                participation.person,
                participation.role == Participation.Role.MENTOR,
            )
    for person in persons:
        checks.setdefault(person.pk, (person, False))
    errors = []
    for person, as_mentor in checks.values():
        missing = missing_consents(person=person, as_mentor=as_mentor, on=day)
        if missing:
            errors.append(
                ValidationError(
                    _(
                        "%(name)s: нет действующего согласия — %(kinds)s. Новые "
                        "сведения об участнике не вносятся."
                    )
                    % {
                        "name": person.full_name,
                        "kinds": "; ".join(lower_first(m) for m in missing),
                    },
                    code="consent_missing",
                )
            )
    if errors:
        raise ValidationError(errors)
