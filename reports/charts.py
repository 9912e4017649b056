"""The report's charts, drawn by surveys' SVG charts from the same figures."""

from __future__ import annotations

from django.utils.safestring import SafeString

from surveys.charts import bar_chart

from .figures import forms_table
from .indicators import Indicators

# Narrower than the monitoring's: on a phone the drawing shrinks to about
# 300 px, and its 12 px labels must stay readable.
WIDTH, LABELS = 400, 170


def report_charts(ind: Indicators) -> dict[str, SafeString]:
    charts = {}
    forms = forms_table(ind)
    if forms:
        charts["forms"] = bar_chart(
            [(form, pairs + groups) for form, pairs, groups in forms],
            max_value=max(max(p + g for _f, p, g in forms), 1),
            title="Пары и группы по формам наставничества",
            width=WIDTH,
            label_width=LABELS,
        )
    shares = [
        ("Молодые специалисты", ind.young_share),
        ("Педагоги до 35 лет", ind.under_35_share),
        ("Педагоги-наставники", ind.mentor_share),
        ("Полнота обратной связи", ind.feedback_rate),
        ("Завершённые программы", ind.completion_rate),
        ("Удовлетв. наставляемых", ind.mentee_satisfaction),
        ("Удовлетв. наставников", ind.mentor_satisfaction),
    ]
    if any(value is not None for _label, value in shares):
        charts["shares"] = bar_chart(
            shares,
            max_value=100,
            title="Показатели, %",
            width=WIDTH,
            label_width=LABELS,
        )
    return charts
