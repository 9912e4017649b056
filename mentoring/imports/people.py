"""Staff and student lists as schools keep them: headers, values, templates.

Reads only: what each column is, what each row says, and which rows are
wrong and why. `mentoring.services.people_import` compares with the database
and writes.
"""

from __future__ import annotations

import datetime
import io
import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.formats import get_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mentoring.models import Person

from .reader import Table, cell_text

STAFF, STUDENTS = "staff", "students"
KINDS = {STAFF: gettext_lazy("работники"), STUDENTS: gettext_lazy("обучающиеся")}

# field → (label for the mapping step, the headers schools write)
FIELDS = {
    "school_id": (
        gettext_lazy("Идентификатор в школе"),
        [
            "id",
            "идентификатор",
            "код",
            "уникальный номер",
            "табельный номер",
            "таб номер",
            "номер личного дела",
            "личное дело",
            "id ученика",
            "id сотрудника",
        ],
    ),
    "full_name": (
        gettext_lazy("ФИО одной строкой"),
        [
            "фио",
            "фамилия имя отчество",
            "фио полностью",
            "фио сотрудника",
            "фио работника",
            "фио педагога",
            "фио обучающегося",
            "фио ученика",
            "фио учащегося",
        ],
    ),
    "last_name": (gettext_lazy("Фамилия"), ["фамилия"]),
    "first_name": (gettext_lazy("Имя"), ["имя"]),
    "patronymic": (gettext_lazy("Отчество"), ["отчество"]),
    "birth_date": (
        gettext_lazy("Дата рождения"),
        ["дата рождения", "дата рожд", "др", "д р", "день рождения"],
    ),
    "gender": (gettext_lazy("Пол"), ["пол"]),
    "school_class": (
        gettext_lazy("Класс"),
        ["класс", "группа", "класс группа", "класс литера"],
    ),
    "position": (gettext_lazy("Должность"), ["должность", "занимаемая должность"]),
    "subjects": (
        gettext_lazy("Предметы"),
        ["предмет", "предметы", "преподаваемые предметы", "преподаваемый предмет"],
    ),
    "experience": (
        gettext_lazy("Педагогический стаж (лет)"),
        ["педагогический стаж", "пед стаж", "стаж", "стаж педагогической работы"],
    ),
    "qualification": (
        gettext_lazy("Квалификационная категория"),
        ["категория", "квалификационная категория", "кв категория"],
    ),
    "email": (
        gettext_lazy("E-mail"),
        ["e mail", "email", "эл почта", "электронная почта", "почта", "адрес эл почты"],
    ),
    "phone": (
        gettext_lazy("Телефон"),
        ["телефон", "тел", "мобильный телефон", "контактный телефон", "номер телефона"],
    ),
    "legal_representative": (
        gettext_lazy("Законный представитель"),
        [
            "законный представитель",
            "фио законного представителя",
            "родитель",
            "фио родителя",
            "фио родителя законного представителя",
        ],
    ),
}
# Columns schools add that carry nothing to load.
IGNORED = {"№", "n", "no", "№ п п", "п п", "номер", "примечание", "примечания"}

TEMPLATE_FIELDS = {
    STAFF: [
        "school_id",
        "last_name",
        "first_name",
        "patronymic",
        "birth_date",
        "gender",
        "position",
        "subjects",
        "experience",
        "qualification",
        "email",
        "phone",
    ],
    STUDENTS: [
        "school_id",
        "last_name",
        "first_name",
        "patronymic",
        "birth_date",
        "gender",
        "school_class",
        "legal_representative",
        "email",
        "phone",
    ],
}
TEMPLATE_EXAMPLES = {
    STAFF: {
        "school_id": "Т-0042",
        "last_name": "Иванова",
        "first_name": "Мария",
        "patronymic": "Петровна",
        "birth_date": datetime.date(1985, 3, 5),
        "gender": "ж",
        "position": "Учитель математики",
        "subjects": "математика, информатика",
        "experience": 12,
        "qualification": "Высшая",
        "email": "ivanova@school513.ru",
        "phone": "+7 911 123-45-67",
    },
    STUDENTS: {
        "school_id": "У-2011-017",
        "last_name": "Петров",
        "first_name": "Иван",
        "patronymic": "Ильич",
        "birth_date": datetime.date(2011, 3, 5),
        "gender": "м",
        "school_class": "7Б",
        "legal_representative": "Петрова Анна Сергеевна",
        "email": "",
        "phone": "",
    },
}
TEMPLATE_NOTES = {
    "school_id": gettext_lazy(
        "Необязательно. Номер из списков школы; по нему повторная загрузка "
        "находит человека. Без него ищем по ФИО и дате рождения."
    ),
    "last_name": gettext_lazy("Обязательно. Можно одним столбцом «ФИО»."),
    "first_name": gettext_lazy("Обязательно."),
    "patronymic": gettext_lazy("Если есть."),
    "birth_date": gettext_lazy(
        "ДД.ММ.ГГГГ или дата Excel. Для обучающихся обязательно."
    ),
    "gender": gettext_lazy("«м» или «ж»; пусто — определим по отчеству."),
    "position": gettext_lazy("Как в штатном расписании."),
    "subjects": gettext_lazy("Через запятую."),
    "experience": gettext_lazy("Полных лет педагогического стажа, числом."),
    "qualification": gettext_lazy(
        "Без категории, Соответствие занимаемой должности, Первая, Высшая, "
        "Педагог-методист, Педагог-наставник."
    ),
    "email": gettext_lazy("На него придёт приглашение войти в систему."),
    "phone": gettext_lazy("Любая запись номера."),
    "school_class": gettext_lazy("Например «7Б». Для обучающихся обязательно."),
    "legal_representative": gettext_lazy("ФИО родителя для несовершеннолетних."),
}

QUALIFICATIONS = {
    "без категории": Person.Qualification.NONE,
    "нет": Person.Qualification.NONE,
    "соответствие занимаемой должности": Person.Qualification.CONFORMITY,
    "соответствие": Person.Qualification.CONFORMITY,
    "сзд": Person.Qualification.CONFORMITY,
    "первая": Person.Qualification.FIRST,
    "1": Person.Qualification.FIRST,
    "высшая": Person.Qualification.HIGHEST,
    "педагог методист": Person.Qualification.METHODIST,
    "педагог наставник": Person.Qualification.MENTOR,
}
GENDERS = {
    "м": Person.Gender.MALE,
    "муж": Person.Gender.MALE,
    "мужской": Person.Gender.MALE,
    "male": Person.Gender.MALE,
    "ж": Person.Gender.FEMALE,
    "жен": Person.Gender.FEMALE,
    "женский": Person.Gender.FEMALE,
    "female": Person.Gender.FEMALE,
}
# Besides the formats a Russian form accepts, what other programs export.
EXTRA_DATE_FORMATS = ["%d/%m/%Y", "%d-%m-%Y"]
# Fields a person row writes, with the model's lengths.
TEXT_FIELDS = [
    "school_id",
    "last_name",
    "first_name",
    "patronymic",
    "position",
    "subjects",
    "school_class",
    "legal_representative",
    "phone",
]
HEADER_SEARCH_ROWS = 15


def normalise_header(text) -> str:
    text = cell_text(text).lower().replace("ё", "е")
    text = re.sub(r"[^\w№]+", " ", text)
    return " ".join(text.split())


ALIASES = {
    alias: name for name, (_label, aliases) in FIELDS.items() for alias in aliases
}


@dataclass
class Columns:
    """Where the header is and what each column holds."""

    header_line: int
    headers: list[str]
    fields: dict[int, str]  # column index → field
    unknown: list[int]  # column indexes with a header we could not place

    def missing(self, kind: str) -> list[str]:
        present = set(self.fields.values())
        if "full_name" not in present and not {"last_name", "first_name"} <= present:
            return ["full_name"]
        if kind == STUDENTS and "birth_date" not in present:
            return ["birth_date"]
        return []


def find_columns(table: Table, *, remembered: dict[str, str]) -> Columns:
    """The header row: the first of the top rows naming two known columns."""

    def place(header) -> str | None:
        key = normalise_header(header)
        if key in remembered:
            return remembered[key]
        if key in IGNORED or not key:
            return ""
        return ALIASES.get(key)

    candidates = table.rows[:HEADER_SEARCH_ROWS]
    chosen = next(
        (
            (line, values)
            for line, values in candidates
            if sum(1 for value in values if place(value)) >= 2
        ),
        None,
    )
    if chosen is None:
        chosen = next(
            ((line, v) for line, v in candidates if sum(x is not None for x in v) >= 2),
            candidates[0],
        )
    line, values = chosen
    return columns_of(line, values, place)


def columns_of(line: int, values: list, place, *, into=Columns):
    """The header row read: `place(header)` names a field, gives None for an
    unknown header, or "" for one to ignore; a field's first column wins.
    `into` is the kind's own Columns class."""
    headers = [cell_text(value) for value in values]
    fields, unknown, taken = {}, [], set()
    for index, header in enumerate(headers):
        if not header:
            continue
        name = place(header)
        if name is None:
            unknown.append(index)
        elif name and name not in taken:
            fields[index] = name
            taken.add(name)
    return into(header_line=line, headers=headers, fields=fields, unknown=unknown)


@dataclass
class RowError:
    line: int
    column: str
    value: str
    message: str


@dataclass
class ParsedRow:
    line: int
    values: dict = field(default_factory=dict)
    errors: list[RowError] = field(default_factory=list)
    experience: int | None = None

    def key(self) -> tuple:
        return name_key(
            self.values["last_name"],
            self.values["first_name"],
            self.values["patronymic"],
            self.values["birth_date"],
        )


def name_key(last, first, patronymic, birth_date) -> tuple:
    def fold(text):
        return " ".join(text.lower().replace("ё", "е").split())

    return (fold(last), fold(first), fold(patronymic), birth_date)


MAX_LENGTHS = {name: Person._meta.get_field(name).max_length for name in TEXT_FIELDS}
MAX_LENGTHS["email"] = Person._meta.get_field("email").max_length


def parse_rows(table: Table, columns: Columns, *, kind: str) -> list[ParsedRow]:
    today = timezone.localdate()
    parsed = []
    by_field = {name: index for index, name in columns.fields.items()}
    for line, values in table.rows:
        if line <= columns.header_line:
            continue
        row = ParsedRow(line=line)

        def raw(name, values=values):
            index = by_field.get(name)
            if index is None or index >= len(values):
                return None
            return values[index]

        def fail(name, value, message, row=row):
            index = by_field.get(name)
            header = columns.headers[index] if index is not None else ""
            row.errors.append(RowError(row.line, header, cell_text(value), message))

        _parse_names(row, raw, fail)
        for name in TEXT_FIELDS:
            if name in ("last_name", "first_name", "patronymic"):
                continue
            row.values[name] = _text(raw(name))
        if kind == STUDENTS:
            row.values["school_class"] = _school_class(row.values["school_class"])
        for name in TEXT_FIELDS:
            text = row.values[name]
            if len(text) > MAX_LENGTHS[name]:
                fail(
                    name if name in by_field else "full_name",
                    text,
                    _("Текст длиннее %(limit)s знаков: сократите его.")
                    % {"limit": MAX_LENGTHS[name]},
                )
        _parse_birth_date(row, raw, fail, kind=kind, today=today)
        _parse_gender(row, raw, fail)
        _parse_email(row, raw, fail)
        _parse_staff_fields(row, raw, fail, kind=kind, today=today)
        if (
            kind == STUDENTS
            and not row.values["school_class"]
            and "school_class" in by_field
        ):
            fail("school_class", None, _("Укажите класс обучающегося, например «7Б»."))
        row.values["category"] = (
            Person.Category.STUDENT if kind == STUDENTS else Person.Category.TEACHER
        )
        parsed.append(row)
    return parsed


def _text(value) -> str:
    return " ".join(cell_text(value).split()) if value is not None else ""


def _parse_names(row, raw, fail):
    full = raw("full_name")
    last, first, patronymic = (
        _text(raw("last_name")),
        _text(raw("first_name")),
        _text(raw("patronymic")),
    )
    if full is not None and not (last and first):
        parts = _text(full).split(" ")
        if len(parts) < 2:
            fail(
                "full_name",
                full,
                _("Нужны хотя бы фамилия и имя через пробел."),
            )
        else:
            last, first, patronymic = parts[0], parts[1], " ".join(parts[2:])
    elif not last or not first:
        fail(
            "last_name" if not last else "first_name",
            last if not last else first,
            _("Укажите фамилию и имя."),
        )
    row.values.update(last_name=last, first_name=first, patronymic=patronymic)
    for name in ("last_name", "first_name", "patronymic"):
        if len(row.values[name]) > MAX_LENGTHS[name]:
            fail(
                name if raw(name) is not None else "full_name",
                row.values[name],
                _("Текст длиннее %(limit)s знаков: сократите его.")
                % {"limit": MAX_LENGTHS[name]},
            )


def parse_date(value) -> datetime.date | None:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = cell_text(value).strip().rstrip("г.").strip()
    for pattern in [*get_format("DATE_INPUT_FORMATS"), *EXTRA_DATE_FORMATS]:
        try:
            return datetime.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


def _parse_birth_date(row, raw, fail, *, kind, today):
    value = raw("birth_date")
    row.values["birth_date"] = None
    if value is None:
        if kind == STUDENTS:
            fail(
                "birth_date",
                None,
                _(
                    "Укажите дату рождения обучающегося: от неё зависит, чьё согласие нужно."
                ),
            )
        return
    day = parse_date(value)
    if day is None:
        fail(
            "birth_date",
            value,
            _("Дата не распознана: напишите её как 05.03.2011."),
        )
    elif not datetime.date(1900, 1, 1) <= day <= today:
        fail("birth_date", value, _("Дата рождения не может быть такой."))
    else:
        row.values["birth_date"] = day


def _parse_gender(row, raw, fail):
    value = raw("gender")
    if value is not None:
        gender = GENDERS.get(normalise_header(value))
        if gender is None:
            fail("gender", value, _("Пол пишется «м» или «ж»."))
        row.values["gender"] = gender or ""
        return
    gender = gender_from_patronymic(row.values["patronymic"])
    if gender is None and not row.errors:
        fail(
            "patronymic" if raw("patronymic") is not None else "full_name",
            row.values["patronymic"],
            _("Пол не определить по отчеству: добавьте столбец «Пол» (м/ж)."),
        )
    row.values["gender"] = gender or ""


def gender_from_patronymic(patronymic: str) -> str | None:
    words = patronymic.lower().replace("ё", "е").split()
    if not words:
        return None
    if words[-1] in ("оглы", "улы", "уулу") or words[0].endswith("ич"):
        return Person.Gender.MALE
    if words[-1] in ("кызы", "гызы") or words[0].endswith("на"):
        return Person.Gender.FEMALE
    return None


def _parse_email(row, raw, fail):
    value = raw("email")
    email = _text(value).lower() if value is not None else ""
    if len(email) > MAX_LENGTHS["email"]:
        fail(
            "email",
            value,
            _("Текст длиннее %(limit)s знаков: сократите его.")
            % {"limit": MAX_LENGTHS["email"]},
        )
        email = ""
    elif email:
        try:
            validate_email(email)
        except ValidationError:
            fail("email", value, _("Это не адрес эл. почты."))
            email = ""
    row.values["email"] = email


def _parse_staff_fields(row, raw, fail, *, kind, today):
    row.values["qualification"] = ""
    value = raw("qualification")
    if value is not None:
        found = QUALIFICATIONS.get(normalise_header(value).removesuffix(" категория"))
        if found is None:
            fail(
                "qualification",
                value,
                _("Категория не распознана: Первая, Высшая, Без категории и т. п."),
            )
        row.values["qualification"] = found or ""
    value = raw("experience")
    if value is None:
        return
    years = value if isinstance(value, int) else None
    if years is None:
        digits = re.match(r"\s*(\d{1,2})\b", cell_text(value))
        years = int(digits.group(1)) if digits else None
    if years is None or not 0 <= years <= 70:
        fail("experience", value, _("Стаж пишется числом полных лет, например 12."))
        return
    row.experience = years
    birth = row.values["birth_date"]
    if birth and years > today.year - birth.year - 14:
        fail(
            "experience",
            value,
            _("Педагогический стаж не может начинаться раньше даты рождения."),
        )


def _school_class(text: str) -> str:
    # «7 б», «7-б», «7б» are the same class; print it as schools do: «7Б».
    match = re.fullmatch(r"(\d{1,2})\s*[-\s]?\s*([а-яёa-z])", text.lower())
    if match:
        return match.group(1) + match.group(2).upper()
    return text


def template_workbook(
    *,
    title: str,
    headers: list[str],
    example: list,
    date_columns: set[int],
    notes: list[tuple[str, str]],
    width: int = 22,
) -> bytes:
    """A file to fill in: the headers we read, an example row, a notes sheet.
    Every import's template is built here; each kind gives its own words."""
    import openpyxl
    from openpyxl.styles import Alignment, Font

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = title[:31]  # Excel's limit on a sheet's name
    sheet.append(headers)
    sheet.append(example)
    for column in range(1, len(headers) + 1):
        sheet.cell(row=1, column=column).font = Font(bold=True)
        letter = openpyxl.utils.get_column_letter(column)
        sheet.column_dimensions[letter].width = width
        if column - 1 in date_columns:
            sheet.cell(row=2, column=column).number_format = "DD.MM.YYYY"
    sheet_notes = book.create_sheet(str(_("Пояснения")))
    sheet_notes.append([str(_("Столбец")), str(_("Что писать"))])
    for label, text in notes:
        if not label and not text:
            sheet_notes.append([])
        else:
            sheet_notes.append([label, text])
    sheet_notes.column_dimensions["A"].width = 30
    sheet_notes.column_dimensions["B"].width = 90
    for row in sheet_notes.iter_rows():
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def template_xlsx(kind: str) -> bytes:
    """The people template of the kind (staff or students)."""
    names = TEMPLATE_FIELDS[kind]
    return template_workbook(
        title=str(KINDS[kind]).capitalize(),
        headers=[str(FIELDS[name][0]) for name in names],
        example=[TEMPLATE_EXAMPLES[kind][name] for name in names],
        date_columns={i for i, name in enumerate(names) if name == "birth_date"},
        notes=[
            *((str(FIELDS[name][0]), str(TEMPLATE_NOTES[name])) for name in names),
            ("", ""),
            (
                str(_("Лимиты")),
                str(
                    _(
                        "Файл до 10 МБ и до 50 000 строк; XLSX, XLS, ODS или CSV. "
                        "Строку с примером удалите."
                    )
                ),
            ),
        ],
    )
