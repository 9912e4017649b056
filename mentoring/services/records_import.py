"""Consents and bank entries from a school's files: a preview, then all or none.

The people import's shape: one read of the organization's people with their
consents and bank entries, rows matched in memory, each row checked by the
rules the forms apply (the Consent model's checks; `check_bank_entry`'s
consent rule through `missing_consents`), then bulk writes and one audit entry.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from mentoring.imports.people import RowError, name_key, normalise_header
from mentoring.imports.reader import Table
from mentoring.imports.records import (
    CONSENTS,
    KINDS,
    MENTORS,
    RecordRow,
    fields_for,
    find_columns,
    parse_rows,
)
from mentoring.models import (
    BankStatus,
    Consent,
    MenteeProfile,
    MentoringForm,
    MentorProfile,
    Organization,
    Person,
    User,
)

from .audit import ensure_acts_for, lower_first, record_change
from .banks import WORKING_BANK_STATUSES
from .consents import consent_given_at, missing_consents
from .pairs import open_mentee_load
from .people_import import ImportPreview, remembered_mapping


@dataclass
class RecordsPreview(ImportPreview):
    # profile → the forms to set, for new and changed bank entries
    forms: dict[int, list[MentoringForm]] = field(default_factory=dict)

    def field_labels(self) -> dict:
        return fields_for(self.kind)


def preview_records_import(
    *, organization: Organization, kind: str, table: Table
) -> RecordsPreview:
    """What confirming would do; nothing is written."""
    if kind not in KINDS:
        raise ValidationError(_("Неизвестный вид списка."), code="kind")
    columns = find_columns(
        table,
        kind=kind,
        remembered=remembered_mapping(organization=organization, kind=kind),
    )
    preview = RecordsPreview(kind=kind, columns=columns)
    if columns.missing(kind):
        return preview
    preview.rows = parse_rows(table, columns, kind=kind)
    people = _match_people(preview.rows, organization=organization)
    if kind == CONSENTS:
        _compare_consents(preview, people)
    else:
        _compare_bank(preview, people, organization=organization)
    return preview


def _fail(row: RecordRow, message: str) -> None:
    row.errors.append(RowError(row.line, "", row.person_label(), message))


def _match_people(rows, *, organization) -> dict[int, Person]:
    """row line → the person it names; rows naming nobody get their error."""
    people = list(
        Person.objects.filter(organization=organization)
        .select_related("mentor_profile", "mentee_profile")
        .prefetch_related(Prefetch("consents", queryset=Consent.objects.all()))
    )
    by_school_id = {p.school_id: p for p in people if p.school_id}
    by_name: dict[tuple, list[Person]] = {}
    by_name_only: dict[tuple, list[Person]] = {}
    for person in people:
        key = name_key(
            person.last_name, person.first_name, person.patronymic, person.birth_date
        )
        by_name.setdefault(key, []).append(person)
        by_name_only.setdefault(key[:3], []).append(person)
    found = {}
    for row in rows:
        if row.errors:
            continue
        values = row.values
        person = by_school_id.get(values["school_id"]) if values["school_id"] else None
        if person is None and values["last_name"]:
            key = row.person_key()
            # Without a birth date column a name alone may do, if it is unique.
            namesakes = (
                by_name.get(key, []) if key[3] else by_name_only.get(key[:3], [])
            )
            if len(namesakes) > 1:
                _fail(
                    row,
                    _(
                        "В организации несколько участников с такими ФИО: добавьте "
                        "идентификатор в школе или дату рождения."
                    ),
                )
                continue
            person = namesakes[0] if namesakes else None
        if person is None:
            _fail(
                row,
                _(
                    "Участник не найден в организации: сначала загрузите список "
                    "людей или проверьте ФИО, дату рождения и идентификатор."
                ),
            )
            continue
        found[row.line] = person
    return found


def _compare_consents(preview: RecordsPreview, people: dict[int, Person]) -> None:
    seen: dict[tuple, int] = {}
    for row in preview.rows:
        person = people.get(row.line)
        if row.errors or person is None:
            continue
        values = row.values
        key = (person.pk, values["kind"], values["given_on"])
        if key in seen:
            _fail(
                row,
                _("То же согласие, что в строке %(other)s.") % {"other": seen[key]},
            )
            continue
        seen[key] = row.line
        representative = (
            values["representative_name"] or person.legal_representative or ""
        )
        if values["kind"] in Consent.GUARDIAN_KINDS and not representative:
            _fail(row, _("Укажите ФИО законного представителя, давшего согласие."))
            continue
        existing = next(
            (
                c
                for c in person.consents.all()
                if c.kind == values["kind"] and c.given_on == values["given_on"]
            ),
            None,
        )
        if existing is None:
            consent = Consent(
                person=person,
                kind=values["kind"],
                given_on=values["given_on"],
                # A register gives the day only; which blank was signed it
                # does not say, so the text version stays unknown ("").
                given_at=consent_given_at(values["given_on"]),
                valid_until=values["valid_until"],
                representative_name=representative,
            )
            try:
                # As the form would: field checks and the model's own rules.
                consent.clean_fields(exclude=["person", "recorded_by", "scan"])
                consent.clean()
            except ValidationError as error:
                for message in error.messages:
                    _fail(row, message)
                continue
            preview.to_create.append(consent)
            continue
        changed = []
        if existing.valid_until != values["valid_until"]:
            existing.valid_until = values["valid_until"]
            changed.append("valid_until")
        if values["representative_name"] and (
            existing.representative_name != values["representative_name"]
        ):
            existing.representative_name = values["representative_name"]
            changed.append("representative_name")
        if changed:
            preview.to_update.append(existing)
            preview.update_fields.update(changed)
        else:
            preview.unchanged += 1


def _forms_by_name() -> dict[str, MentoringForm]:
    known = {}
    for form in MentoringForm.objects.filter(is_active=True):
        known[normalise_header(form.name)] = form
        known[normalise_header(form.code)] = form
    return known


def _compare_bank(preview: RecordsPreview, people, *, organization) -> None:
    is_mentor = preview.kind == MENTORS
    known_forms = _forms_by_name()
    today = timezone.localdate()
    attribute = "mentor_profile" if is_mentor else "mentee_profile"
    profiles = {
        pk: getattr(person, attribute, None)
        for pk, person in ((p.pk, p) for p in people.values())
    }
    loads = (
        open_mentee_load(mentor_ids=[pk for pk, p in profiles.items() if p])
        if is_mentor
        else {}
    )
    through = (
        MentorProfile.forms.through
        if is_mentor
        else MenteeProfile.desired_forms.through
    )
    column = "mentorprofile_id" if is_mentor else "menteeprofile_id"
    current_forms: dict[int, set[int]] = {}
    for profile_id, form_id in through.objects.filter(
        **{f"{column}__in": [p.pk for p in profiles.values() if p]}
    ).values_list(column, "mentoringform_id"):
        current_forms.setdefault(profile_id, set()).add(form_id)
    seen: dict[int, int] = {}
    for row in preview.rows:
        person = people.get(row.line)
        if row.errors or person is None:
            continue
        values = row.values
        if person.pk in seen:
            _fail(
                row,
                _("Тот же человек, что в строке %(other)s.")
                % {"other": seen[person.pk]},
            )
            continue
        seen[person.pk] = row.line
        forms = None
        if values["forms"] is not None:
            forms = [
                known_forms.get(normalise_header(name)) for name in values["forms"]
            ]
            unknown = [n for n, f in zip(values["forms"], forms, strict=True) if not f]
            if unknown:
                _fail(
                    row,
                    _("Форма наставничества не найдена: %(names)s.")
                    % {"names": ", ".join(unknown)},
                )
                continue
        profile = profiles.get(person.pk)
        status = profile.status if profile else BankStatus.IN_BANK
        # The bank form's rule (check_bank_entry): no working entry without consent.
        if status in WORKING_BANK_STATUSES:
            missing = missing_consents(person=person, as_mentor=False, on=today)
            if missing:
                _fail(
                    row,
                    _(
                        "В банк нельзя без действующего согласия: нет согласия — "
                        "%(kinds)s. Сначала загрузите согласия."
                    )
                    % {"kinds": "; ".join(lower_first(str(m)) for m in missing)},
                )
                continue
        if is_mentor:
            wanted = {
                "capacity": values["capacity"],
                "competencies": values["competencies"],
            }
        else:
            wanted = {"category": values["category"], "requests": values["requests"]}
        wanted = {k: v for k, v in wanted.items() if v is not None}
        if profile is None:
            model = MentorProfile if is_mentor else MenteeProfile
            profile = model(person=person, status=BankStatus.IN_BANK, **wanted)
            preview.to_create.append(profile)
            preview.forms[id(profile)] = forms or []
            continue
        if is_mentor and "capacity" in wanted:
            load = len(loads.get(person.pk, ()))
            if wanted["capacity"] < load:
                _fail(
                    row,
                    _("%(name)s уже ведёт %(load)s наставляемых: меньше нельзя.")
                    % {"name": person.full_name, "load": load},
                )
                continue
        changed = [k for k, v in wanted.items() if getattr(profile, k) != v]
        forms_changed = forms is not None and {
            f.pk for f in forms
        } != current_forms.get(profile.pk, set())
        if not changed and not forms_changed:
            preview.unchanged += 1
            continue
        for name in changed:
            setattr(profile, name, wanted[name])
        preview.to_update.append(profile)
        preview.update_fields.update(changed)
        if forms_changed:
            preview.forms[id(profile)] = forms


@transaction.atomic
def import_records(
    *,
    organization: Organization,
    kind: str,
    table: Table,
    by: User | None,
    file_name: str = "",
) -> RecordsPreview:
    """Write every row or none; the checks run again here, under a lock."""
    ensure_acts_for(by=by, organization=organization)
    # Bank and consent services lock people; one lock on the school keeps two
    # imports, or an import and a withdrawal through the import, in a queue.
    organization = Organization.objects.select_for_update().get(pk=organization.pk)
    preview = preview_records_import(organization=organization, kind=kind, table=table)
    preview.ensure_confirmable()
    if kind == CONSENTS:
        recorder = by if by and by.is_authenticated else None
        for consent in preview.to_create:
            consent.recorded_by = recorder
        Consent.objects.bulk_create(preview.to_create, batch_size=2000)
        if preview.to_update:
            Consent.objects.bulk_update(
                preview.to_update, sorted(preview.update_fields), batch_size=1000
            )
    else:
        _write_bank(preview)
    record_change(
        actor=by,
        obj=organization,
        action=f"{kind}.imported",
        message=_("Загружен файл (%(kind)s): %(summary)s")
        % {"kind": KINDS[kind], "summary": preview.summary()},
        organization=organization,
        data={
            "kind": kind,
            "file": file_name[:200],
            "new": preview.new,
            "updated": preview.updated,
            "unchanged": preview.unchanged,
        },
    )
    return preview


def _write_bank(preview: RecordsPreview) -> None:
    is_mentor = preview.kind == MENTORS
    model = MentorProfile if is_mentor else MenteeProfile
    through = (
        MentorProfile.forms.through
        if is_mentor
        else MenteeProfile.desired_forms.through
    )
    column = "mentorprofile_id" if is_mentor else "menteeprofile_id"
    forms = {id(p): preview.forms[id(p)] for p in preview.to_create}
    forms.update(
        {
            id(p): preview.forms[id(p)]
            for p in preview.to_update
            if id(p) in preview.forms
        }
    )
    model.objects.bulk_create(preview.to_create, batch_size=2000)
    if preview.to_update and preview.update_fields:
        model.objects.bulk_update(
            preview.to_update, sorted(preview.update_fields), batch_size=1000
        )
    profiles = [*preview.to_create, *preview.to_update]
    replaced = [p.pk for p in profiles if id(p) in forms]
    through.objects.filter(**{f"{column}__in": replaced}).delete()
    through.objects.bulk_create(
        [
            through(**{column: p.pk, "mentoringform_id": form.pk})
            for p in profiles
            if id(p) in forms
            for form in forms[id(p)]
        ],
        batch_size=2000,
    )
