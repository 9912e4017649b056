"""Find a roadmap's structure in a table as schools write it.

Columns are recognised by the headers schools use; anything else goes to a
mapping step. Rows become stages, sub-stages and activities: a stage (or
sub-stage) may be written on every row, only on its first row (a merged
cell), or in a row of its own; several numbered paragraphs in one cell are
several activities. Numbers stay as written: «1.», «1.1.», «2)».
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .errors import ImportFailed, Problem
from .tables import Cell

ROLES = {
    "number": gettext_lazy("№ (этапа, подэтапа или мероприятия)"),
    "stage": gettext_lazy("Наименование этапа"),
    "substage": gettext_lazy("Подэтап (мероприятия этапа)"),
    "content": gettext_lazy("Содержание деятельности, мероприятие"),
    "deadline": gettext_lazy("Срок исполнения"),
    "responsible": gettext_lazy("Ответственные"),
}
SKIP = "skip"


class NeedsMapping(Exception):
    """Some header is not one schools use: the user says what each column is."""

    def __init__(self, headers: list[str], guess: list[str], message: str):
        self.headers, self.guess, self.message = headers, guess, message
        super().__init__(message)


def _norm(text: str) -> str:
    text = " ".join(text.lower().replace("ё", "е").split())
    return text.strip(" .:")


def guess_role(header: str) -> str | None:
    h = _norm(header)
    if not h:
        return None
    if h.startswith("№") or h in {"n", "n п/п", "п/п", "номер", "no"}:
        return "number"
    if h.startswith("наименование этап") or h in {"этап", "этапы", "этап работы"}:
        return "stage"
    if h.startswith("подэтап"):
        return "substage"
    if h.startswith(("содержани", "мероприяти", "наименование мероприяти")):
        return "content"
    if h.startswith(("срок", "дата проведения", "дата", "период")):
        return "deadline"
    if h.startswith(("ответственн", "исполнител")):
        return "responsible"
    if h.startswith(("отметка о выполнении", "статус", "выполнено")):
        # The mark of completion our own XLSX prints: kept here, not imported.
        return SKIP
    return None


def header_roles(headers: list[str]) -> list[str | None]:
    """Each column's role; «Мероприятия» beside «Содержание деятельности» is
    the sub-stage, as in «Наименование этапа | Мероприятия | Содержания
    деятельности | Сроки»."""
    roles = [guess_role(h) for h in headers]
    if headers and not headers[0].strip():
        roles[0] = "number"  # a first column left without a header holds numbers
    contents = [i for i, role in enumerate(roles) if role == "content"]
    if len(contents) == 2:
        for i in contents:
            if _norm(headers[i]).startswith("мероприяти"):
                roles[i] = "substage"
                break
    return roles


def is_header_row(row: list[Cell]) -> bool:
    texts = [c.text for c in row if not c.continued]
    roles = header_roles(texts)
    return "content" in roles and sum(r not in (None, SKIP) for r in roles) >= 2


def resolve_columns(
    headers: list[str], mapping: dict[int, str] | None
) -> dict[str, int]:
    """{role: column index}, from the mapping the user gave or the headers."""
    if mapping is not None:
        roles = [mapping.get(i, SKIP) for i in range(len(headers))]
    else:
        roles = header_roles(headers)
        unknown = [h for h, r in zip(headers, roles, strict=True) if h and r is None]
        taken = [r for r in roles if r and r != SKIP]
        if unknown or "content" not in roles or len(taken) != len(set(taken)):
            message = (
                _("Не распознаны столбцы: %(columns)s. Укажите, что в каждом столбце.")
                % {"columns": ", ".join(f"«{h}»" for h in unknown)}
                if unknown
                else _("Укажите, в каком столбце мероприятия и что в остальных.")
            )
            raise NeedsMapping(headers, [r or SKIP for r in roles], message)
    columns: dict[str, int] = {}
    for index, role in enumerate(roles):
        if role in (None, SKIP):
            continue
        if role in columns:
            raise ImportFailed(
                _("Столбцы «%(a)s» и «%(b)s» указаны как одно и то же: «%(role)s».")
                % {
                    "a": headers[columns[role]],
                    "b": headers[index],
                    "role": ROLES[role],
                }
            )
        columns[role] = index
    if "content" not in columns:
        raise ImportFailed(
            _("Укажите столбец с мероприятиями (содержанием деятельности).")
        )
    return columns


# ---------------------------------------------------------------- numbers

LEADING_NUMBER = re.compile(r"^(\d+(?:\.\d+)*[.)]?)\s+(\S.*)$", re.S)
ITEM = re.compile(r"^\d+(?:\.\d+)*[.)]\s")


def number_key(number: str) -> str:
    """«1», «1.» and «1)» are the same number written three ways."""
    return number.strip().rstrip(".)").strip()


def _parts(number: str) -> list[str]:
    key = number_key(number)
    return key.split(".") if key else []


def is_sub(number: str, of: str) -> bool:
    """«1.2» belongs to «1.»; «2.2.» does not belong to «1.1.»."""
    mine, parent = _parts(number), _parts(of)
    return bool(parent) and len(mine) > len(parent) and mine[: len(parent)] == parent


def split_items(lines: list[str]) -> list[str]:
    """Numbered paragraphs of one cell are separate activities; lines that
    are not numbered belong to the activity above (a lead-in: its own)."""
    lines = [line for line in lines if line.strip()]
    if sum(bool(ITEM.match(line)) for line in lines) < 2:
        return ["\n".join(lines)] if lines else []
    items: list[list[str]] = []
    for line in lines:
        if ITEM.match(line) or not items:
            items.append([line])
        else:
            items[-1].append(line)
    return ["\n".join(item) for item in items]


# ---------------------------------------------------------------- the result


@dataclass
class Item:
    line: int
    content: str
    number: str = ""
    deadline: str = ""
    responsible: list[str] = field(default_factory=list)
    substage_number: str = ""
    substage_name: str = ""


@dataclass
class StagePart:
    line: int
    number: str
    name: str
    items: list[Item] = field(default_factory=list)


@dataclass
class Parsed:
    fields: dict  # the roadmap's own: title, preamble, УТВЕРЖДАЮ …
    columns: dict[str, str]  # role → the header as written
    layout: str  # Roadmap.Layout value
    stages: list[StagePart]
    year: int | None = None  # read from the title («на 2023-2024 гг.»)

    @property
    def item_count(self) -> int:
        return sum(len(s.items) for s in self.stages)


def parse_table(
    rows: list[list[Cell]], *, mapping: dict[int, str] | None = None
) -> tuple[dict[str, int], list[str], list[StagePart]]:
    """rows[0] is the header row."""
    headers = [" ".join(c.text.split()) if not c.continued else "" for c in rows[0]]
    columns = resolve_columns(headers, mapping)
    has_stage, has_sub = "stage" in columns, "substage" in columns
    problems: list[Problem] = []
    stages: list[StagePart] = []
    stage: StagePart | None = None
    sub: tuple[str, str] | None = None  # (number, name)
    previous = {"deadline": "", "responsible": []}

    def cell(row, role) -> Cell:
        index = columns.get(role)
        return row[index] if index is not None and index < len(row) else Cell()

    def one_line(c: Cell) -> str:
        return "" if c.empty else " ".join(" ".join(c.lines).split())

    data = [(line, row) for line, row in enumerate(rows[1:], start=2)]
    numbers = [one_line(cell(row, "number")) for _line, row in data]

    def new_stage(line, number, name):
        nonlocal stage, sub
        if not number and (match := LEADING_NUMBER.match(name)):
            number, name = match.group(1), match.group(2)  # «1. Старт» in one cell
        # A stage needs a number to be told from the others: an unnumbered
        # table gets the numbers it would have had.
        number = number or str(len(stages) + 1)
        key = number_key(number) or name
        for other in stages:
            if (number_key(other.number) or other.name) == key:
                problems.append(
                    Problem(
                        _("этап № %(number)s уже был выше в таблице.")
                        % {"number": number or name},
                        line,
                        headers[columns.get("number", columns["content"])],
                    )
                )
        stage = StagePart(line=line, number=number, name=name)
        stages.append(stage)
        sub = None

    for index, (line, row) in enumerate(data):
        number = numbers[index]
        stage_text = one_line(cell(row, "stage"))
        sub_text = one_line(cell(row, "substage"))
        content = cell(row, "content")
        lines = [] if content.empty else content.lines
        own = {}
        for role in ("deadline", "responsible"):
            c = cell(row, role)
            if c.continued:  # merged down from the row above: the same value
                own[role] = None
                continue
            own[role] = [" ".join(x.split()) for x in c.lines if x.strip()]
        deadline = (
            previous["deadline"]
            if own["deadline"] is None
            else " ".join(own["deadline"])
        )
        responsible = (
            previous["responsible"]
            if own["responsible"] is None
            else own["responsible"]
        )
        previous = {"deadline": deadline, "responsible": responsible}
        filled = (number, stage_text, sub_text, lines, own["deadline"])
        if not any(filled) and not own["responsible"]:
            continue
        next_number = next((n for n in numbers[index + 1 :] if n), "")
        plain = not own["deadline"] and not own["responsible"]

        # A row of its own: a stage or sub-stage heading.
        heading = None
        if has_stage and not lines and (stage_text or sub_text or number):
            heading = (number, stage_text or sub_text)
        elif not has_stage and plain and number and is_sub(next_number, number):
            heading = (number, " ".join(lines))
        if heading:
            h_number, h_name = heading
            if not h_number and (match := LEADING_NUMBER.match(h_name)):
                h_number, h_name = match.group(1), match.group(2)
            under = stage and h_number and is_sub(h_number, stage.number)
            if under or (stage and has_sub and sub_text and not stage_text):
                sub = (h_number, h_name)
            elif not h_name:
                problems.append(
                    Problem(
                        _("у этапа № %(number)s нет наименования.")
                        % {"number": h_number},
                        line,
                        headers[columns.get("stage", columns["content"])],
                    )
                )
            else:
                new_stage(line, h_number, h_name)
            continue

        item_number = number
        if has_stage and stage_text and (stage is None or stage_text != stage.name):
            if stage and number and is_sub(number, stage.number) and not has_sub:
                sub = (number, stage_text)
            else:
                new_stage(line, number, stage_text)
            item_number = ""
        elif (
            has_stage
            and stage
            and number
            and number_key(number) == number_key(stage.number)
        ):
            item_number = ""  # the stage's number written on every row
        if stage is None:
            if has_stage:
                problems.append(
                    Problem(
                        _(
                            "мероприятие до первого этапа: укажите № и наименование этапа."
                        ),
                        line,
                        headers[columns["content"]],
                    )
                )
                continue
            # A district's flat list: one stage holds it all.
            new_stage(line, "1", _("Мероприятия"))
        if has_sub and sub_text and (sub is None or sub_text != sub[1]):
            s_number = number if number and is_sub(number, stage.number) else ""
            s_name = sub_text
            if not s_number and (match := LEADING_NUMBER.match(sub_text)):
                s_number, s_name = match.group(1), match.group(2)
            sub = (s_number, s_name)
            if s_number == number:
                item_number = ""
        elif sub and number and number_key(number) == number_key(sub[0]):
            item_number = ""
        items = split_items(lines)
        if not items:
            if own["deadline"] or own["responsible"]:
                problems.append(
                    Problem(
                        _("есть срок или ответственные, но нет мероприятия."),
                        line,
                        headers[columns["content"]],
                    )
                )
            continue
        for text in items:
            stage.items.append(
                Item(
                    line=line,
                    content=text,
                    number=item_number if len(items) == 1 else "",
                    deadline=deadline,
                    responsible=list(responsible),
                    substage_number=sub[0] if sub else "",
                    substage_name=sub[1] if sub else "",
                )
            )
    if not stages and not problems:
        problems.append(Problem(_("В таблице нет ни одного мероприятия.")))
    if problems:
        raise ImportFailed(*problems)
    return columns, headers, stages


# ---------------------------------------------------------------- above the table

MONTHS = [
    "янв", "фев", "мар", "апр", "ма", "июн", "июл", "авг", "сен", "окт", "ноя", "дек",
]  # fmt: skip
DATE = re.compile(
    r"«?\s*(\d{1,2})\s*»?\s*[.\s]\s*(\d{1,2}|[а-яё]+)\s*[.\s]\s*(\d{4})", re.I
)
APPROVER_NAME = re.compile(
    r"^[_\s]*((?:[А-ЯЁ]\.\s?){1,2}[А-ЯЁ][а-яё-]+|[А-ЯЁ][а-яё-]+\s(?:[А-ЯЁ]\.\s?){1,2})$"
)
ORDER_NUMBER = re.compile(r"№\s*([\w/-]+)")
YEARS = re.compile(r"(20\d\d)\s*[-–—/]\s*(20\d\d)")


def parse_date(text: str) -> datetime.date | None:
    match = DATE.search(text)
    if not match:
        return None
    day, month, year = match.groups()
    if not month.isdigit():
        month = next(
            (
                i + 1
                for i, m in reversed(list(enumerate(MONTHS)))
                if month.lower().startswith(m)
            ),
            None,
        )
        if month is None:
            return None
    try:
        return datetime.date(int(year), int(month), int(day))
    except ValueError:
        return None


def parse_heading(paragraphs: list[tuple[str, bool | None]]) -> tuple[dict, int | None]:
    """The ПРИНЯТ and УТВЕРЖДАЮ blocks, the title and the preamble.

    A block runs from its word to the next empty line. The title is the lines
    set apart (bold or centred), else the first lines up to an empty one; the
    rest is the preamble.
    """
    fields: dict = {}
    rest: list[tuple[str, bool | None]] = []
    block, approve, adopt = None, [], []
    for text, heading in paragraphs:
        upper = text.upper()
        if upper.startswith("УТВЕРЖДА"):
            block = approve
            continue
        if upper.startswith(("ПРИНЯТ", "РАССМОТРЕН", "СОГЛАСОВАН")):
            block = adopt
            continue
        if block is not None:
            if text:
                block.append(text)
                continue
            block = None
        rest.append((text, heading))
    position = []
    for text in approve:
        if text.lower().startswith("приказ"):
            if match := ORDER_NUMBER.search(text):
                fields["approval_order_number"] = match.group(1)
            if date := parse_date(text):
                fields["approval_order_on"] = date
        elif match := APPROVER_NAME.match(text):
            fields["approver_name"] = " ".join(match.group(1).split())
        elif (date := parse_date(text)) and not re.search(
            r"[а-яё]{4,}", DATE.sub("", text), re.I
        ):
            fields["approval_order_on"] = date
        else:
            position.append(text.strip("_ "))
    if position:
        fields["approver_position"] = " ".join(p for p in position if p)
    for text in adopt:
        if "протокол" in text.lower() and (match := ORDER_NUMBER.search(text)):
            fields["adoption_protocol_number"] = match.group(1)
        if date := parse_date(text):
            fields["adopted_on"] = date
    texts = [(t, h) for t, h in rest if t]
    if any(h for _t, h in texts):
        first = next(i for i, (_t, h) in enumerate(texts) if h)
        end = next((i for i in range(first, len(texts)) if not texts[i][1]), len(texts))
        title = [t for t, _h in texts[:end]]
        preamble = [t for t, _h in texts[end:]]
    else:
        title = []
        for text, _heading in rest:
            if not text and title:
                break
            if text:
                title.append(text)
        preamble = [t for t, _h in texts[len(title) :]]
    if title:
        fields["title"] = "\n".join(title)
    fields["preamble"] = "\n".join(preamble)
    years = YEARS.search(" ".join(title))
    return fields, int(years.group(1)) if years else None
