"""The monitoring indicators as an XLSX workbook, one sheet per table."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from mentoring.exports import safe_cell

from .monitoring import Monitoring


def _sheet(book, title: str, header: list[str], rows: list[list]) -> None:
    sheet = book.create_sheet(title)
    sheet.append([safe_cell(sheet, text) for text in header])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row in rows:
        # Names, questions and titles were typed by users: text stays text.
        sheet.append(
            [safe_cell(sheet, float(v) if hasattr(v, "is_finite") else v) for v in row]
        )
    for column, width in zip("ABCDEFG", [60, 16, 16, 16, 16, 16, 16], strict=False):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "A2"


def monitoring_workbook(result: Monitoring, *, scope: str) -> bytes:
    book = Workbook()
    book.remove(book.active)
    rates = result.rates
    _sheet(
        book,
        "Охват",
        [f"{scope}, {result.period.label} учебный год", "Значение"],
        [
            ["Встреч прошло", rates["meetings"]],
            ["С обратной связью наставника", rates["mentor_feedback"]],
            ["Доля с обратной связью наставника, %", rates["mentor_feedback_rate"]],
            ["С обратной связью наставляемого", rates["mentee_feedback"]],
            ["Доля с обратной связью наставляемого, %", rates["mentee_feedback_rate"]],
            ["Участников в действующих и завершённых парах", rates["asked"]],
            ["Ответили на анкету удовлетворённости", rates["satisfaction_answered"]],
            ["Доля ответивших, %", rates["satisfaction_rate"]],
        ],
    )
    _sheet(
        book,
        "Средние по вопросам",
        ["Вопрос", "Анкета", "Средний балл", "Ответов"],
        [
            [r["text"], r["questionnaire"], r["average"], r["answers"]]
            for r in result.question_averages
        ],
    )
    _sheet(
        book,
        "По формам",
        ["Форма наставничества", "Средний балл", "Удовлетворённость, %", "Ответивших"],
        [
            [r["form"], r["average"], r["percent"], r["respondents"]]
            for r in result.form_averages
        ],
    )
    _sheet(
        book,
        "По месяцам",
        ["Месяц", "Обратная связь после встреч", "Удовлетворённость участием"],
        [
            [label, feedback, satisfaction]
            for label, feedback, satisfaction in zip(
                result.trend["labels"],
                result.trend["feedback"],
                result.trend["satisfaction"],
                strict=True,
            )
        ],
    )
    _sheet(
        book,
        "До и после — вопросы",
        ["Вопрос", "Анкета", "До", "После", "Изменение", "Участников"],
        [
            [
                r["text"],
                r["questionnaire"],
                r["before"],
                r["after"],
                r["delta"],
                r["people"],
            ]
            for r in result.deltas_by_question
        ],
    )
    _sheet(
        book,
        "До и после — участники",
        ["Участник", "До", "После", "Изменение"],
        [
            [r["name"], r["before"], r["after"], r["delta"]]
            for r in result.deltas_by_participant
        ],
    )
    _sheet(
        book,
        "До и после — пары",
        ["Форма наставничества", "Пара/группа №", "До", "После", "Изменение"],
        [
            [r["form"], r["pair"], r["before"], r["after"], r["delta"]]
            for r in result.deltas_by_pair
        ],
    )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
