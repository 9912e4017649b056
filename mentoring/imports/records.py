"""Consents and bank entries as schools list them: headers, values, templates.

One file per kind (consents, the mentor bank, the mentee bank), each naming
people the way the people import does: the school's ID, else full name and
birth date. Reads only; `mentoring.services.records_import` matches the
people, applies the consent rules and writes.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mentoring.models import Consent, MenteeProfile, MentorProfile

from .people import FIELDS as PEOPLE_FIELDS
from .people import (
    IGNORED,
    RowError,
    columns_of,
    name_key,
    normalise_header,
    parse_date,
    template_workbook,
)
from .reader import Table, cell_text

CONSENTS, MENTORS, MENTEES = "consents", "mentors", "mentees"
KINDS = {
    CONSENTS: gettext_lazy("согласия"),
    MENTORS: gettext_lazy("банк наставников"),
    MENTEES: gettext_lazy("банк наставляемых"),
}

PERSON_FIELDS = ["school_id", "full_name", "last_name", "first_name", "patronymic"]
PERSON_FIELDS_WITH_BIRTH = [*PERSON_FIELDS, "birth_date"]
OWN_FIELDS = {
    CONSENTS: {
        "consent_kind": (
            gettext_lazy("Вид согласия"),
            [
                "вид согласия",
                "согласие",
                "вид",
                "тип согласия",
                "наименование согласия",
            ],
        ),
        "given_on": (
            gettext_lazy("Дата согласия"),
            ["дата согласия", "дата", "дано", "дата подписания", "дата получения"],
        ),
        "valid_until": (
            gettext_lazy("Действует до"),
            ["действует до", "срок действия", "действительно до", "срок действия до"],
        ),
        "representative_name": (
            gettext_lazy("Кто дал согласие"),
            [
                "кто дал согласие",
                "законный представитель",
                "фио законного представителя",
                "родитель",
                "фио родителя",
                "фио родителя законного представителя",
            ],
        ),
    },
    MENTORS: {
        "capacity": (
            gettext_lazy("Наставляемых не более"),
            ["наставляемых не более", "количество наставляемых", "нагрузка"],
        ),
        "competencies": (
            gettext_lazy("Компетенции"),
            ["компетенции", "компетенции наставника", "чем может поделиться"],
        ),
        "forms": (
            gettext_lazy("Формы наставничества"),
            ["формы наставничества", "форма наставничества", "формы", "форма"],
        ),
    },
    MENTEES: {
        "category": (
            gettext_lazy("Категория наставляемого"),
            ["категория наставляемого", "категория"],
        ),
        "requests": (
            gettext_lazy("Запросы"),
            [
                "запросы",
                "запрос",
                "образовательные запросы",
                "профессиональные запросы",
            ],
        ),
        "forms": (
            gettext_lazy("Желаемые формы"),
            ["желаемые формы", "формы наставничества", "форма наставничества", "формы"],
        ),
    },
}


def fields_for(kind: str) -> dict:
    """Every field a file of the kind may hold: the person's, then its own."""
    own = OWN_FIELDS[kind]
    person = {
        name: PEOPLE_FIELDS[name]
        for name in PERSON_FIELDS_WITH_BIRTH
        # «Законный представитель» means who gave a consent in a consent file.
        if name not in own
    }
    return {**person, **own}


def _aliases(kind: str) -> dict[str, str]:
    return {
        alias: name
        for name, (_label, aliases) in fields_for(kind).items()
        for alias in aliases
    }


# The wordings schools give the three consents; checked in this order, as the
# representative's consent also speaks of personal data.
CONSENT_WORDS = [
    (Consent.Kind.GUARDIAN, ["законн", "представител", "родител", "несовершеннолет"]),
    (Consent.Kind.MENTOR_DUTIES, ["351", "наставни", "обязанност"]),
    (Consent.Kind.DISTRIBUTION, ["распространен"]),
    (Consent.Kind.PERSONAL_DATA, ["персональн", "пдн", "пд", "152"]),
]
MENTEE_CATEGORY_WORDS = [
    (MenteeProfile.Category.YOUNG_SPECIALIST, ["молод"]),
    (MenteeProfile.Category.NEW_EMPLOYEE, ["вновь", "новый педагог"]),
    (MenteeProfile.Category.CHANGED_POSITION, ["сменивш"]),
    (MenteeProfile.Category.DIFFICULTIES, ["затруднен"]),
    (MenteeProfile.Category.NEW_TECHNOLOGIES, ["технолог"]),
    (MenteeProfile.Category.BURNOUT, ["выгоран"]),
    (MenteeProfile.Category.BY_REQUEST, ["собственному", "по запросу"]),
    (MenteeProfile.Category.TRAINEE, ["студент", "практикант"]),
    (MenteeProfile.Category.UNDERACHIEVING, ["неуспева"]),
    (MenteeProfile.Category.PASSIVE, ["пассив", "демотив"]),
    (MenteeProfile.Category.SPECIAL_NEEDS, ["особыми", "овз"]),
    (MenteeProfile.Category.GIFTED, ["одар"]),
    (MenteeProfile.Category.ADAPTING, ["адапт", "новичок"]),
]
CAPACITY_FIELD = MentorProfile._meta.get_field("capacity")
REPRESENTATIVE_MAX = Consent._meta.get_field("representative_name").max_length


# A transfer consent (156-ФЗ: its own document) is told by its recipients;
# the one form used before («на обработку и передачу») is a processing one.
TRANSFER_WORDS = ["передач", "третьим"]
PROCESSING_WORDS = ["обработк"]


def _has_stem(words: str, stems: list[str]) -> bool:
    return any(
        stem in words if len(stem) > 3 else stem in words.split() for stem in stems
    )


def consent_kind(text) -> str | None:
    words = normalise_header(text)
    if _has_stem(words, TRANSFER_WORDS) and not _has_stem(words, PROCESSING_WORDS):
        guardian = _has_stem(words, CONSENT_WORDS[0][1])
        return Consent.Kind.GUARDIAN_TRANSFER if guardian else Consent.Kind.TRANSFER
    for kind, stems in CONSENT_WORDS:
        if _has_stem(words, stems):
            return kind
    return None


def mentee_category(text) -> str | None:
    words = normalise_header(text)
    for value, label in MenteeProfile.Category.choices:
        if normalise_header(label) == words or value == words:
            return value
    for value, stems in MENTEE_CATEGORY_WORDS:
        if any(stem in words for stem in stems):
            return value
    return None


@dataclass
class Columns:
    header_line: int
    headers: list[str]
    fields: dict[int, str]
    unknown: list[int]

    def missing(self, kind: str) -> list[str]:
        present = set(self.fields.values())
        missing = []
        if not (
            "school_id" in present
            or "full_name" in present
            or {"last_name", "first_name"} <= present
        ):
            missing.append("full_name")
        required = {CONSENTS: ["consent_kind", "given_on"], MENTEES: ["category"]}
        missing += [name for name in required.get(kind, []) if name not in present]
        return missing


def find_columns(table: Table, *, kind: str, remembered: dict[str, str]) -> Columns:
    """The header row: the first of the top rows naming two known columns."""
    aliases = _aliases(kind)

    def place(header) -> str | None:
        key = normalise_header(header)
        if key in remembered:
            return remembered[key]
        if key in IGNORED or not key:
            return ""
        return aliases.get(key)

    candidates = table.rows[:15]
    line, values = next(
        (
            (line, values)
            for line, values in candidates
            if sum(1 for value in values if place(value)) >= 2
        ),
        candidates[0],
    )
    return columns_of(line, values, place, into=Columns)


@dataclass
class RecordRow:
    line: int
    values: dict = field(default_factory=dict)
    errors: list[RowError] = field(default_factory=list)

    def person_key(self) -> tuple:
        return name_key(
            self.values["last_name"],
            self.values["first_name"],
            self.values["patronymic"],
            self.values["birth_date"],
        )

    def person_label(self) -> str:
        return " ".join(
            x
            for x in (
                self.values["last_name"],
                self.values["first_name"],
                self.values["patronymic"],
            )
            if x
        ) or str(self.values["school_id"])


def _text(value) -> str:
    return " ".join(cell_text(value).split()) if value is not None else ""


def parse_rows(table: Table, columns: Columns, *, kind: str) -> list[RecordRow]:
    today = timezone.localdate()
    by_field = {name: index for index, name in columns.fields.items()}
    parsed = []
    for line, values in table.rows:
        if line <= columns.header_line:
            continue
        row = RecordRow(line=line)

        def raw(name, values=values):
            index = by_field.get(name)
            if index is None or index >= len(values):
                return None
            return values[index]

        def fail(name, value, message, row=row):
            index = by_field.get(name)
            header = columns.headers[index] if index is not None else ""
            row.errors.append(RowError(row.line, header, cell_text(value), message))

        _parse_person(row, raw, fail)
        if kind == CONSENTS:
            _parse_consent(row, raw, fail, today=today)
        elif kind == MENTORS:
            _parse_mentor(row, raw, fail)
        else:
            _parse_mentee(row, raw, fail)
        parsed.append(row)
    return parsed


def _parse_person(row, raw, fail):
    school_id = _text(raw("school_id"))
    if school_id.endswith(".0") and school_id[:-2].isdigit():
        school_id = school_id[:-2]  # a number the spreadsheet typed as a float
    last, first, patronymic = (
        _text(raw("last_name")),
        _text(raw("first_name")),
        _text(raw("patronymic")),
    )
    full = _text(raw("full_name"))
    if full and not (last and first):
        parts = full.split(" ")
        if len(parts) >= 2:
            last, first, patronymic = parts[0], parts[1], " ".join(parts[2:])
    if not school_id and not (last and first):
        fail(
            "full_name" if raw("full_name") is not None else "last_name",
            full or last,
            _("Укажите идентификатор в школе или фамилию и имя участника."),
        )
    birth = raw("birth_date")
    day = parse_date(birth) if birth is not None else None
    if birth is not None and day is None:
        fail("birth_date", birth, _("Дата не распознана: напишите её как 05.03.2011."))
    row.values.update(
        school_id=school_id,
        last_name=last,
        first_name=first,
        patronymic=patronymic,
        birth_date=day,
    )


def _parse_consent(row, raw, fail, *, today):
    value = raw("consent_kind")
    kind = consent_kind(value) if value is not None else None
    if kind is None:
        fail(
            "consent_kind",
            value,
            _(
                "Вид согласия не распознан: «на обработку персональных данных», "
                "«законного представителя», «ст. 351.8 ТК РФ»."
            ),
        )
    given = _date(row, raw, fail, "given_on", required=True)
    until = _date(row, raw, fail, "valid_until", required=False)
    if given and given > today:
        fail("given_on", raw("given_on"), _("Согласие не может быть дано в будущем."))
    if given and until and until < given:
        fail(
            "valid_until",
            raw("valid_until"),
            _("Срок действия согласия не может закончиться раньше даты его получения."),
        )
    representative = _text(raw("representative_name"))
    if len(representative) > REPRESENTATIVE_MAX:
        fail(
            "representative_name",
            representative,
            _("Текст длиннее %(limit)s знаков: сократите его.")
            % {"limit": REPRESENTATIVE_MAX},
        )
    row.values.update(
        kind=kind, given_on=given, valid_until=until, representative_name=representative
    )


def _date(row, raw, fail, name, *, required):
    value = raw(name)
    if value is None or not cell_text(value).strip():
        if required:
            fail(name, value, _("Укажите дату, например 01.09.2025."))
        return None
    day = parse_date(value)
    if day is None or not datetime.date(1990, 1, 1) <= day <= datetime.date(2100, 1, 1):
        fail(name, value, _("Дата не распознана: напишите её как 01.09.2025."))
        return None
    return day


def _forms(row, raw):
    value = raw("forms")
    names = [_text(part) for part in cell_text(value).replace(";", ",").split(",")]
    row.values["forms"] = (
        [name for name in names if name] if value is not None else None
    )


def _parse_mentor(row, raw, fail):
    value = raw("capacity")
    capacity = None
    if value is not None and cell_text(value).strip():
        text = cell_text(value).strip().removesuffix(".0")
        capacity = int(text) if text.isdigit() else None
        if capacity is None or not 1 <= capacity <= 30:
            fail(
                "capacity",
                value,
                _("Наставник может вести от 1 до 30 наставляемых: укажите число."),
            )
            capacity = None
    row.values["capacity"] = capacity
    competencies = raw("competencies")
    row.values["competencies"] = (
        cell_text(competencies).strip() if competencies is not None else None
    )
    _forms(row, raw)


def _parse_mentee(row, raw, fail):
    value = raw("category")
    category = mentee_category(value) if value is not None else None
    if category is None:
        fail(
            "category",
            value,
            _(
                "Категория наставляемого не распознана: например «Молодой "
                "специалист», «Одарённый обучающийся» (см. шаблон)."
            ),
        )
    row.values["category"] = category
    requests = raw("requests")
    row.values["requests"] = (
        cell_text(requests).strip() if requests is not None else None
    )
    _forms(row, raw)


TEMPLATE_FIELDS = {
    CONSENTS: [
        "school_id",
        "full_name",
        "birth_date",
        "consent_kind",
        "given_on",
        "valid_until",
        "representative_name",
    ],
    MENTORS: [
        "school_id",
        "full_name",
        "birth_date",
        "capacity",
        "competencies",
        "forms",
    ],
    MENTEES: [
        "school_id",
        "full_name",
        "birth_date",
        "category",
        "requests",
        "forms",
    ],
}
TEMPLATE_EXAMPLES = {
    CONSENTS: [
        "У-2011-017",
        "Петров Иван Ильич",
        datetime.date(2011, 3, 5),
        "Законного представителя на обработку ПДн",
        datetime.date(2025, 9, 1),
        datetime.date(2026, 8, 31),
        "Петрова Анна Сергеевна",
    ],
    MENTORS: [
        "Т-0042",
        "Иванова Мария Петровна",
        datetime.date(1985, 3, 5),
        2,
        "Подготовка к олимпиадам по математике",
        "Учитель – ученик",
    ],
    MENTEES: [
        "У-2011-017",
        "Петров Иван Ильич",
        datetime.date(2011, 3, 5),
        "Одарённый обучающийся",
        "Олимпиадная математика",
        "Учитель – ученик",
    ],
}
TEMPLATE_NOTES = {
    "school_id": gettext_lazy(
        "Номер из списков школы, как в загруженном списке людей. Без него ищем "
        "по ФИО и дате рождения."
    ),
    "full_name": gettext_lazy(
        "Участник уже должен быть в системе: сначала загрузите списки людей."
    ),
    "birth_date": gettext_lazy("ДД.ММ.ГГГГ; нужна, если нет идентификатора."),
    "consent_kind": gettext_lazy(
        "«На обработку персональных данных»; «Законного представителя» — для "
        "несовершеннолетнего; «На возложение обязанностей наставника (ст. 351.8 "
        "ТК РФ)» — для педагога-наставника."
    ),
    "given_on": gettext_lazy("Дата подписи, не позже сегодняшней."),
    "valid_until": gettext_lazy("Пусто — бессрочно (до отзыва)."),
    "representative_name": gettext_lazy(
        "ФИО родителя (законного представителя) для несовершеннолетнего; пусто — "
        "возьмём из карточки участника."
    ),
    "capacity": gettext_lazy("От 1 до 30; пусто — 2."),
    "competencies": gettext_lazy("Чем наставник может поделиться."),
    "forms": gettext_lazy("Названия форм наставничества через запятую."),
    "category": gettext_lazy(
        "Молодой специалист, Вновь принятый педагог, Неуспевающий обучающийся, "
        "Одарённый обучающийся, Адаптирующийся обучающийся и т. п."
    ),
    "requests": gettext_lazy("По одному запросу в строке."),
}


def template_xlsx(kind: str) -> bytes:
    """The template of a consents or bank file."""
    labels = fields_for(kind)
    names = TEMPLATE_FIELDS[kind]
    dates = ("birth_date", "given_on", "valid_until")
    return template_workbook(
        title=str(KINDS[kind]).capitalize(),
        headers=[str(labels[name][0]) for name in names],
        example=TEMPLATE_EXAMPLES[kind],
        date_columns={i for i, name in enumerate(names) if name in dates},
        width=26,
        notes=[
            *((str(labels[name][0]), str(TEMPLATE_NOTES[name])) for name in names),
            ("", ""),
            (
                str(_("Порядок")),
                str(
                    _(
                        "Сначала списки людей, затем согласия, затем банки: в банк "
                        "попадает только тот, у кого есть действующее согласие. "
                        "Строку с примером удалите."
                    )
                ),
            ),
        ],
    )
