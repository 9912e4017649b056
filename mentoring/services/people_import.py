"""Staff and student lists into `Person`: a preview, then all rows or none.

One query reads the organization's people, each row is matched in memory by
the school's own ID or else by full name and birth date, and the write is
two bulk statements and one audit entry: 10,000 rows take about a second
where django-import-export's per-row path takes twenty (docs: STACK.md).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from mentoring.imports.people import (
    FIELDS,
    KINDS,
    STUDENTS,
    Columns,
    ParsedRow,
    RowError,
    find_columns,
    name_key,
    normalise_header,
    parse_rows,
)
from mentoring.imports.reader import Table
from mentoring.imports.records import fields_for as records_fields_for
from mentoring.models import ImportColumnMapping, Organization, Person, User

from .audit import ensure_acts_for, record_change

# Written from the file when its column is there; the rest stays as it was.
COLUMN_FIELDS = {
    "school_id": ["school_id"],
    "birth_date": ["birth_date"],
    "position": ["position"],
    "subjects": ["subjects"],
    "qualification": ["qualification"],
    "school_class": ["school_class"],
    "legal_representative": ["legal_representative"],
    "email": ["email"],
    "phone": ["phone"],
    "experience": ["teaching_since"],
}
NAME_FIELDS = ["last_name", "first_name", "patronymic", "gender"]
LOADED = [
    "pk",
    "organization_id",
    "category",
    "teaching_since",
    *NAME_FIELDS,
    *(name for names in COLUMN_FIELDS.values() for name in names),
]


@dataclass
class ImportPreview:
    """What an import would do, row by row; every kind of file shares it."""

    kind: str
    columns: Columns
    rows: list = field(default_factory=list)
    to_create: list = field(default_factory=list)
    to_update: list = field(default_factory=list)
    update_fields: set[str] = field(default_factory=set)
    unchanged: int = 0

    @property
    def new(self) -> int:
        return len(self.to_create)

    @property
    def updated(self) -> int:
        return len(self.to_update)

    @property
    def errors(self) -> list[RowError]:
        return [error for row in self.rows for error in row.errors]

    @property
    def invalid(self) -> int:
        return sum(1 for row in self.rows if row.errors)

    @property
    def unknown_headers(self) -> list[str]:
        return [self.columns.headers[index] for index in self.columns.unknown]

    @property
    def missing(self) -> list[str]:
        labels = self.field_labels()
        return [str(labels[name][0]) for name in self.columns.missing(self.kind)]

    def field_labels(self) -> dict:
        raise NotImplementedError

    def ensure_confirmable(self) -> None:
        """Nothing is written while a column is unknown or a row is invalid."""
        if self.needs_mapping:
            raise ValidationError(
                _("Укажите, что в столбцах: %(headers)s.")
                % {"headers": ", ".join(self.unknown_headers or self.missing)},
                code="mapping",
            )
        if self.invalid:
            raise ValidationError(
                ngettext(
                    "В %(count)s строке ошибка: ничего не загружено. Исправьте файл "
                    "и загрузите его снова.",
                    "В %(count)s строках ошибки: ничего не загружено. Исправьте файл "
                    "и загрузите его снова.",
                    self.invalid,
                )
                % {"count": self.invalid},
                code="invalid_rows",
            )

    @property
    def needs_mapping(self) -> bool:
        return bool(self.columns.unknown or self.missing)

    @property
    def can_confirm(self) -> bool:
        return not self.needs_mapping and not self.invalid and bool(self.rows)

    def summary(self) -> str:
        return _(
            "Новых: %(new)s, изменённых: %(updated)s, без изменений: "
            "%(unchanged)s, с ошибками: %(invalid)s."
        ) % {
            "new": self.new,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "invalid": self.invalid,
        }


@dataclass
class PeoplePreview(ImportPreview):
    def field_labels(self) -> dict:
        return FIELDS


def remembered_mapping(*, organization: Organization, kind: str) -> dict[str, str]:
    return dict(
        ImportColumnMapping.objects.filter(
            organization=organization, kind=kind
        ).values_list("header", "field")
    )


def preview_people_import(
    *, organization: Organization, kind: str, table: Table
) -> PeoplePreview:
    """What confirming would do; nothing is written."""
    if kind not in KINDS:
        raise ValidationError(_("Неизвестный вид списка."), code="kind")
    columns = find_columns(
        table, remembered=remembered_mapping(organization=organization, kind=kind)
    )
    preview = PeoplePreview(kind=kind, columns=columns)
    if columns.missing(kind):
        return preview
    preview.rows = parse_rows(table, columns, kind=kind)
    _report_duplicates(preview.rows)
    _compare(preview, organization=organization)
    return preview


def _row_key(row: ParsedRow) -> tuple:
    school_id = row.values["school_id"]
    return ("id", school_id) if school_id else ("name", *row.key())


def _report_duplicates(rows: list[ParsedRow]) -> None:
    first_line: dict[tuple, ParsedRow] = {}
    for row in rows:
        if not row.values["last_name"]:
            continue
        key = _row_key(row)
        first = first_line.setdefault(key, row)
        if first is row:
            continue
        for one, other in ((row, first), (first, row)):
            one.errors.append(
                RowError(
                    one.line,
                    "",
                    " ".join(
                        x
                        for x in (
                            one.values["last_name"],
                            one.values["first_name"],
                            one.values["patronymic"],
                        )
                        if x
                    ),
                    _(
                        "Тот же человек, что в строке %(other)s: оставьте одну "
                        "из строк или исправьте данные."
                    )
                    % {"other": other.line},
                )
            )


def _compare(preview: PeoplePreview, *, organization: Organization) -> None:
    today = timezone.localdate()
    present = set(preview.columns.fields.values())
    written = [*NAME_FIELDS]
    for column, names in COLUMN_FIELDS.items():
        if column in present and column not in ("school_id", "experience"):
            written.extend(names)
    existing = list(Person.objects.filter(organization=organization).only(*LOADED))
    by_school_id = {person.school_id: person for person in existing if person.school_id}
    by_name: dict[tuple, list[Person]] = {}
    for person in existing:
        key = name_key(
            person.last_name, person.first_name, person.patronymic, person.birth_date
        )
        by_name.setdefault(key, []).append(person)
    matched: dict[int, ParsedRow] = {}
    category = Person.Category.STUDENT if preview.kind == STUDENTS else None
    for row in preview.rows:
        if row.errors:
            continue
        values = row.values
        person = by_school_id.get(values["school_id"]) if values["school_id"] else None
        if person is None:
            namesakes = [
                p
                for p in by_name.get(row.key(), [])
                if not (p.school_id and values["school_id"])
            ]
            if len(namesakes) > 1:
                row.errors.append(
                    RowError(
                        row.line,
                        "",
                        values["last_name"],
                        _(
                            "В системе несколько участников с такими ФИО и датой "
                            "рождения: добавьте столбец с идентификатором в школе."
                        ),
                    )
                )
                continue
            person = namesakes[0] if namesakes else None
        if person is None:
            preview.to_create.append(
                Person(
                    organization=organization,
                    category=values["category"],
                    teaching_since=_teaching_since(row.experience, today),
                    **{
                        name: values[name]
                        for name in (*NAME_FIELDS, *_all_column_fields())
                        if name != "teaching_since"
                    },
                )
            )
            continue
        if person.pk in matched:
            row.errors.append(
                RowError(
                    row.line,
                    "",
                    values["last_name"],
                    _("Тот же человек, что в строке %(other)s.")
                    % {"other": matched[person.pk].line},
                )
            )
            continue
        matched[person.pk] = row
        changed = [
            name
            for name in written
            if getattr(person, name) != values[name]
            # An empty cell does not erase a birth date the school gave before.
            and not (name == "birth_date" and values[name] is None)
        ]
        if values["school_id"] and person.school_id != values["school_id"]:
            changed.append("school_id")
        if (
            row.experience is not None
            and person.experience_years(today) != row.experience
        ):
            changed.append("teaching_since")
        if category and person.category != category:
            changed.append("category")
        if not changed:
            preview.unchanged += 1
            continue
        for name in changed:
            if name == "teaching_since":
                person.teaching_since = _teaching_since(row.experience, today)
            elif name == "category":
                person.category = category
            else:
                setattr(person, name, values[name])
        preview.to_update.append(person)
        preview.update_fields.update(changed)


def _all_column_fields():
    return [name for names in COLUMN_FIELDS.values() for name in names]


def _teaching_since(years: int | None, today: datetime.date) -> datetime.date | None:
    if years is None:
        return None
    # The day the years were counted on, that many years back (29.02 → 28.02).
    return today.replace(year=today.year - years, day=min(today.day, 28))


@transaction.atomic
def import_people(
    *,
    organization: Organization,
    kind: str,
    table: Table,
    by: User | None,
    file_name: str = "",
) -> PeoplePreview:
    """Write every row or none; the counts are computed here, never taken."""
    ensure_acts_for(by=by, organization=organization)
    # Two imports into one school at once would both create the same people.
    organization = Organization.objects.select_for_update().get(pk=organization.pk)
    preview = preview_people_import(organization=organization, kind=kind, table=table)
    preview.ensure_confirmable()
    Person.objects.bulk_create(preview.to_create, batch_size=2000)
    if preview.to_update:
        Person.objects.bulk_update(
            preview.to_update, sorted(preview.update_fields), batch_size=1000
        )
    record_change(
        actor=by,
        obj=organization,
        action="people.imported",
        message=_("Загружен список (%(kind)s): %(summary)s")
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


@transaction.atomic
def remember_column_mapping(
    *,
    organization: Organization,
    kind: str,
    mapping: dict[str, str],
    by: User | None,
) -> None:
    """What the curator said a column holds, for this and the next files."""
    ensure_acts_for(by=by, organization=organization)
    fields = FIELDS if kind in KINDS else records_fields_for(kind)
    for header, name in mapping.items():
        if name and name not in fields:
            raise ValidationError(_("Неизвестное поле."), code="field")
        ImportColumnMapping.objects.update_or_create(
            organization=organization,
            kind=kind,
            header=normalise_header(header)[:255],
            defaults={"field": name},
        )
    if mapping:
        record_change(
            actor=by,
            obj=organization,
            action="people.mapping",
            message=_("Запомнено, что в столбцах: %(pairs)s")
            % {
                "pairs": "; ".join(
                    f"{header} — {fields[name][0] if name else _('не загружать')}"
                    for header, name in mapping.items()
                )
            },
            organization=organization,
        )
