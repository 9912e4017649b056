"""Pairs and groups: their composition rules and their status moves."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mentoring.models import (
    BankStatus,
    MenteeProfile,
    MentoringForm,
    MentorProfile,
    Order,
    Organization,
    Pair,
    Participation,
    Person,
    User,
)

from .audit import ensure_acts_for, lower_first, record_change
from .consents import ensure_consents
from .documents_required import required_document_errors


def _category_labels(categories: Iterable[str]) -> str:
    return ", ".join(lower_first(Person.Category(c).label) for c in categories)


def open_mentee_load(
    *, mentor_ids: Iterable[int], exclude_pair: Pair | None = None
) -> dict:
    """Distinct mentees each mentor already leads in pairs that are not closed."""
    mentoring = Participation.objects.filter(
        person_id__in=list(mentor_ids),
        role=Participation.Role.MENTOR,
        pair__status__in=Pair.OPEN_STATUSES,
    )
    if exclude_pair is not None and exclude_pair.pk:
        mentoring = mentoring.exclude(pair_id=exclude_pair.pk)
    load: dict[int, set[int]] = {}
    rows = Participation.objects.filter(
        pair_id__in=mentoring.values("pair_id"), role=Participation.Role.MENTEE
    ).values_list("pair_id", "person_id")
    mentees_by_pair: dict[int, set[int]] = {}
    for pair_id, person_id in rows:
        mentees_by_pair.setdefault(pair_id, set()).add(person_id)
    for mentor_id, pair_id in mentoring.values_list("person_id", "pair_id"):
        load.setdefault(mentor_id, set()).update(mentees_by_pair.get(pair_id, ()))
    return load


def check_pair_composition(
    *,
    organization: Organization,
    form: MentoringForm,
    mentors: Iterable[Person],
    mentees: Iterable[Person],
    pair: Pair | None = None,
    on: datetime.date | None = None,
) -> None:
    """All the rules a pair or group must meet; raises every broken one at once."""
    mentor_ids = [p.pk for p in mentors]
    mentee_ids = [p.pk for p in mentees]
    errors: list[ValidationError] = []
    if not mentor_ids:
        errors.append(ValidationError(_("Добавьте наставника."), code="no_mentor"))
    if not mentee_ids:
        errors.append(ValidationError(_("Добавьте наставляемого."), code="no_mentee"))
    people = {
        p.pk: p
        for p in Person.objects.filter(pk__in=mentor_ids + mentee_ids)
        .select_related("mentor_profile", "mentee_profile")
        .prefetch_related("consents")
    }
    listed = mentor_ids + mentee_ids
    for person_id in {pk for pk in listed if listed.count(pk) > 1} - (
        set(mentor_ids) & set(mentee_ids)
    ):
        errors.append(
            ValidationError(
                _("%(name)s указан(а) в паре/группе дважды.")
                % {"name": people[person_id].full_name},
                code="duplicate",
            )
        )
    for person_id in set(mentor_ids) & set(mentee_ids):
        errors.append(
            ValidationError(
                _("%(name)s не может быть наставником самому себе.")
                % {"name": people[person_id].full_name},
                code="self_mentoring",
            )
        )
    if not form.is_active:
        errors.append(
            ValidationError(
                _("Форма «%(form)s» больше не используется.") % {"form": form.name},
                code="form_inactive",
            )
        )

    for role_is_mentor, ids in ((True, mentor_ids), (False, mentee_ids)):
        allowed = form.mentor_categories if role_is_mentor else form.mentee_categories
        for person_id in ids:
            person = people[person_id]
            if person.organization_id != organization.pk:
                errors.append(
                    ValidationError(
                        _("%(name)s — из другой организации.")
                        % {"name": person.full_name},
                        code="other_organization",
                    )
                )
            if person.category not in allowed:
                errors.append(
                    ValidationError(
                        _(
                            "Форма «%(form)s» не подходит: %(name)s — %(category)s, а "
                            "%(side)s в этой форме — %(allowed)s."
                        )
                        % {
                            "form": form.name,
                            "name": person.full_name,
                            "category": lower_first(person.get_category_display()),
                            "side": _("наставники")
                            if role_is_mentor
                            else _("наставляемые"),
                            "allowed": _category_labels(allowed),
                        },
                        code="form_mismatch",
                    )
                )
            profile = _profile(person, mentor=role_is_mentor)
            if profile is None or profile.status != BankStatus.IN_BANK:
                errors.append(
                    ValidationError(
                        (
                            _("%(name)s нет в банке наставников.")
                            if role_is_mentor
                            else _("%(name)s нет в банке наставляемых.")
                        )
                        % {"name": person.full_name},
                        code="not_in_bank",
                    )
                )
            try:
                ensure_consents(person=person, as_mentor=role_is_mentor, on=on)
            except ValidationError as error:
                errors.append(error)

    errors += required_document_errors(
        form=form,
        mentors=[people[pk] for pk in mentor_ids],
        mentees=[people[pk] for pk in mentee_ids],
        on=on,
    )

    load = open_mentee_load(mentor_ids=mentor_ids, exclude_pair=pair)
    for mentor_id in mentor_ids:
        profile = _profile(people[mentor_id], mentor=True)
        if profile is None:
            continue
        total = load.get(mentor_id, set()) | set(mentee_ids)
        if len(total) > profile.capacity:
            errors.append(
                ValidationError(
                    _(
                        "%(name)s может вести не более %(capacity)s наставляемых, а с этой "
                        "парой/группой их будет %(total)s."
                    )
                    % {
                        "name": people[mentor_id].full_name,
                        "capacity": profile.capacity,
                        "total": len(total),
                    },
                    code="capacity",
                )
            )

    already = Participation.objects.filter(
        person_id__in=mentee_ids,
        role=Participation.Role.MENTEE,
        pair__status__in=Pair.OPEN_STATUSES,
        pair__form=form,
    ).select_related("person")
    if pair is not None and pair.pk:
        already = already.exclude(pair_id=pair.pk)
    for participation in already:
        errors.append(
            ValidationError(
                _("%(name)s уже в другой паре/группе формы «%(form)s» (№ %(pair)s).")
                % {
                    "name": participation.person.full_name,
                    "form": form.name,
                    "pair": participation.pair_id,
                },
                code="mentee_taken",
            )
        )
    if errors:
        raise ValidationError(errors)


def _profile(person: Person, *, mentor: bool):
    attr = "mentor_profile" if mentor else "mentee_profile"
    try:
        return getattr(person, attr)
    except (MentorProfile.DoesNotExist, MenteeProfile.DoesNotExist):
        return None


def _lock_participants(person_ids: Iterable[int]) -> None:
    # Two curators adding the same mentor at once must not both pass the
    # capacity check: lock the people in a fixed order before counting.
    list(
        Person.objects.select_for_update()
        .filter(pk__in=set(person_ids))
        .order_by("pk")
        .values_list("pk", flat=True)
    )


@transaction.atomic
def create_pair(
    *,
    organization: Organization,
    form: MentoringForm,
    mentors: list[Person],
    mentees: list[Person],
    by: User | None,
    format: str = Pair.Format.TRADITIONAL,
    starts_on: datetime.date | None = None,
    ends_on: datetime.date | None = None,
    goal: str = "",
) -> Pair:
    ensure_acts_for(by=by, organization=organization)
    _lock_participants([p.pk for p in [*mentors, *mentees]])
    check_pair_composition(
        organization=organization, form=form, mentors=mentors, mentees=mentees
    )
    pair = Pair(
        organization=organization,
        form=form,
        format=format,
        starts_on=starts_on,
        ends_on=ends_on,
        goal=goal,
        created_by=by if by and by.is_authenticated else None,
    )
    pair.full_clean()
    pair.save()
    _write_participants(pair=pair, mentors=mentors, mentees=mentees)
    record_change(
        actor=by,
        obj=pair,
        action="pair.created",
        organization=organization,
        message=_("Создан проект пары/группы № %(pk)s") % {"pk": pair.pk},
        data={
            "mentors": [p.pk for p in mentors],
            "mentees": [p.pk for p in mentees],
            "form": form.code,
        },
    )
    return pair


def ensure_pair_not_on_signature(pair: Pair) -> None:
    """The director signs what the curator sent: its pairs wait unchanged."""
    if (
        pair.order_id
        and Order.objects.filter(
            pk=pair.order_id, status=Order.Status.ON_SIGNATURE
        ).exists()
    ):
        raise ValidationError(
            _(
                "Пара/группа № %(pk)s — в приказе на подписи: изменить её можно, "
                "если руководитель вернёт приказ на доработку."
            )
            % {"pk": pair.pk},
            code="on_signature",
        )


@transaction.atomic
def save_pair_draft(
    *, pair: Pair, by: User | None, participants_follow: bool = False
) -> Pair:
    """Create a draft pair or change one.

    Its people go through set_pair_participants; a caller that sets them next
    in the same transaction (the admin) says `participants_follow`, and the
    rules are checked there with the new people and the new form together.
    """
    ensure_acts_for(by=by, organization=pair.organization)
    creating = pair.pk is None
    if not creating:
        current = Pair.objects.select_for_update().get(pk=pair.pk)
        if current.form_id != pair.form_id and not participants_follow:
            roles = list(pair.participations.select_related("person"))
            check_pair_composition(
                organization=pair.organization,
                form=pair.form,
                mentors=[
                    p.person for p in roles if p.role == Participation.Role.MENTOR
                ],
                mentees=[
                    p.person for p in roles if p.role == Participation.Role.MENTEE
                ],
                pair=pair,
            )
        if current.status != Pair.Status.DRAFT:
            raise ValidationError(
                _("Изменять можно только проект пары; эта пара — «%(status)s».")
                % {"status": current.get_status_display()},
                code="not_draft",
            )
        ensure_pair_not_on_signature(current)
        pair.status = current.status
    elif by is not None and by.is_authenticated:
        pair.created_by = by
    pair.full_clean()
    pair.save()
    record_change(
        actor=by,
        obj=pair,
        action="pair.created" if creating else "pair.changed",
        organization=pair.organization,
        message=(
            _("Создан проект пары/группы № %(pk)s")
            if creating
            else _("Изменён проект пары/группы № %(pk)s")
        )
        % {"pk": pair.pk},
        data={"form": pair.form.code, "format": pair.format},
    )
    return pair


@transaction.atomic
def set_pair_participants(
    *, pair: Pair, mentors: list[Person], mentees: list[Person], by: User | None
) -> Pair:
    """Replace the participants of a draft pair, checking every rule again."""
    pair = (
        Pair.objects.select_for_update()
        .select_related("form", "organization")
        .get(pk=pair.pk)
    )
    ensure_acts_for(by=by, organization=pair.organization)
    if pair.status != Pair.Status.DRAFT:
        raise ValidationError(
            _("Состав можно менять только у проекта пары; эта пара — «%(status)s».")
            % {"status": pair.get_status_display()},
            code="not_draft",
        )
    ensure_pair_not_on_signature(pair)
    _lock_participants([p.pk for p in [*mentors, *mentees]])
    check_pair_composition(
        organization=pair.organization,
        form=pair.form,
        mentors=mentors,
        mentees=mentees,
        pair=pair,
    )
    before = sorted(pair.participations.values_list("person_id", "role"))
    pair.participations.all().delete()
    _write_participants(pair=pair, mentors=mentors, mentees=mentees)
    after = sorted(pair.participations.values_list("person_id", "role"))
    if before != after:
        record_change(
            actor=by,
            obj=pair,
            action="pair.participants_changed",
            organization=pair.organization,
            message=_("Изменён состав пары/группы № %(pk)s") % {"pk": pair.pk},
            data={"before": before, "after": after},
        )
    return pair


def _write_participants(*, pair: Pair, mentors: list[Person], mentees: list[Person]):
    Participation.objects.bulk_create(
        [
            Participation(pair=pair, person=p, role=Participation.Role.MENTOR)
            for p in mentors
        ]
        + [
            Participation(pair=pair, person=p, role=Participation.Role.MENTEE)
            for p in mentees
        ]
    )


@transaction.atomic
def change_pair_status(
    *,
    pair: Pair,
    to: str,
    by: User | None,
    reason: str = "",
    on: datetime.date | None = None,
    comment: str = "",
) -> Pair:
    """Move a pair along its allowed transitions, recording who and when."""
    pair = (
        Pair.objects.select_for_update()
        .select_related("form", "organization")
        .get(pk=pair.pk)
    )
    ensure_acts_for(by=by, organization=pair.organization)
    current = Pair.Status(pair.status)
    target = Pair.Status(to)
    if target not in Pair.TRANSITIONS[current]:
        raise ValidationError(
            _("Нельзя перевести пару/группу № %(pk)s из статуса «%(from)s» в «%(to)s».")
            % {"pk": pair.pk, "from": current.label, "to": target.label},
            code="bad_transition",
        )
    day = on or timezone.localdate()
    fields = ["status", "status_changed_at"]
    if current == Pair.Status.SUSPENDED:
        _check_leaving_suspension(pair=pair, target=target)
        pair.suspended_from = ""
        fields.append("suspended_from")
    if target == Pair.Status.SUSPENDED:
        pair.suspended_from = current
        fields.append("suspended_from")
    roles = list(pair.participations.select_related("person"))
    _lock_participants([p.person_id for p in roles])
    if target in (Pair.Status.ACTIVE, Pair.Status.DRAFT):
        # Work starts, or resumes after a suspension, only while everyone's
        # consent holds.
        errors = []
        for participation in roles:
            try:
                ensure_consents(
                    person=participation.person,
                    as_mentor=participation.role == Participation.Role.MENTOR,
                    on=day,
                )
            except ValidationError as error:
                errors.append(error)
        if errors:
            raise ValidationError(errors)
    if target == Pair.Status.APPROVED:
        # Approval makes the pair real: every rule must hold on that day again
        # (a consent withdrawn or a mentor excluded since the draft was made).
        check_pair_composition(
            organization=pair.organization,
            form=pair.form,
            mentors=[p.person for p in roles if p.role == Participation.Role.MENTOR],
            mentees=[p.person for p in roles if p.role == Participation.Role.MENTEE],
            pair=pair,
            on=day,
        )
        if pair.starts_on is None:
            pair.starts_on = day
            fields.append("starts_on")
    if target == Pair.Status.TERMINATED:
        if reason not in Pair.TerminationReason.values:
            raise ValidationError(
                _("Укажите причину досрочного прекращения."), code="reason_required"
            )
        pair.termination_reason = reason
        fields.append("termination_reason")
    if target in (Pair.Status.TERMINATED, Pair.Status.COMPLETED):
        pair.closed_on = day
        fields.append("closed_on")
    pair.status = target
    pair.status_changed_at = timezone.now()
    pair.full_clean()
    pair.save(update_fields=fields)
    record_change(
        actor=by,
        obj=pair,
        action="pair.status_changed",
        organization=pair.organization,
        message=_("Пара/группа № %(pk)s: «%(from)s» → «%(to)s»")
        % {"pk": pair.pk, "from": current.label, "to": target.label},
        data={
            "from": current.value,
            "to": target.value,
            "reason": reason,
            "comment": comment,
            "on": day.isoformat(),
        },
    )
    return pair


@transaction.atomic
def record_pair_result(*, pair: Pair, result: str, by: User | None) -> Pair:
    """Write the outcome of an approved pair's work, the one thing still written
    after its order is signed."""
    pair = (
        Pair.objects.select_for_update().select_related("organization").get(pk=pair.pk)
    )
    ensure_acts_for(by=by, organization=pair.organization)
    if pair.result == result:
        return pair
    pair.result = result
    pair.clean_fields(exclude=[f.name for f in Pair._meta.fields if f.name != "result"])
    pair.save(update_fields=["result"])
    record_change(
        actor=by,
        obj=pair,
        action="pair.result_recorded",
        organization=pair.organization,
        message=_("Записан результат пары/группы № %(pk)s") % {"pk": pair.pk},
    )
    return pair


def _check_leaving_suspension(*, pair: Pair, target: str) -> None:
    """A suspended draft goes back to being a draft (or is ended); a pair an
    order approved goes back to work, or is completed or ended."""
    was_draft = pair.suspended_from == Pair.Status.DRAFT
    allowed = (
        (Pair.Status.DRAFT, Pair.Status.TERMINATED)
        if was_draft
        else (Pair.Status.ACTIVE, Pair.Status.COMPLETED, Pair.Status.TERMINATED)
    )
    if target not in allowed:
        raise ValidationError(
            _(
                "Приостановленную пару/группу № %(pk)s можно вернуть только в "
                "статус «%(back)s» или прекратить."
            )
            % {
                "pk": pair.pk,
                "back": (Pair.Status.DRAFT if was_draft else Pair.Status.ACTIVE).label,
            },
            code="bad_transition",
        )
