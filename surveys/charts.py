"""Charts as inline SVG, drawn on the server from the numbers on the page.

No chart library and no CDN: the same markup shows in the browser, on a
phone (it scales with its viewBox) and in the PDF report (WeasyPrint draws
inline SVG).
"""

from __future__ import annotations

import html
from decimal import Decimal

from django.utils.safestring import SafeString, mark_safe

PALETTE = ("#0d6efd", "#fd7e14", "#198754", "#6f42c1")
FONT = 'font-family="Liberation Sans, Arial, sans-serif"'


def escape(text) -> str:
    """django.utils.html.escape's text, without its checks for lazy strings
    and its SafeString: a third of the monitoring's charts' time."""
    return html.escape(str(text))


def _num(value) -> str:
    """«7,5» as Russians write it; whole numbers without a comma."""
    value = Decimal(str(value)).quantize(Decimal("0.1"))
    if value == value.to_integral_value():
        return str(int(value))
    return f"{value:f}".replace(".", ",")


def _screen_size(width: int, height: int) -> str:
    """At most 1.4 times the drawing's size on a wide screen; site.css and
    documents.css shrink it to the column (max-width: 100%). No style=""
    attribute: the Content-Security-Policy forbids inline styles."""
    return f'width="{round(width * 1.4)}" height="{round(height * 1.4)}"'


def bar_chart(
    rows: list[tuple[str, Decimal | float | None]],
    *,
    max_value: float,
    min_value: float = 0,
    title: str = "",
    width: int = 520,
    label_width: int = 220,
) -> SafeString:
    """Horizontal bars, one per (label, value); bars start at `min_value`,
    so negative deltas grow to the left of zero."""
    label_w, bar_h, gap, top = label_width, 18, 8, 28 if title else 8
    # Characters of a label that fit its column at 12 px (about 7 px each).
    fits = label_w // 7
    plot_w = width - label_w - 50
    span = (max_value - min_value) or 1
    zero_x = label_w + plot_w * (0 - min_value) / span if min_value < 0 else label_w
    height = top + len(rows) * (bar_h + gap) + 8
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'aria-label="{escape(title or "Диаграмма")}" viewBox="0 0 {width} {height}" {_screen_size(width, height)} '
        f'{FONT} font-size="12">'
    ]
    if title:
        parts.append(
            f'<text x="0" y="16" font-size="14" font-weight="bold">{escape(title)}</text>'
        )
    for i, (label, value) in enumerate(rows):
        y = top + i * (bar_h + gap)
        short = label if len(label) <= fits else label[: fits - 1] + "…"
        parts.append(
            f'<text x="{label_w - 8}" y="{y + 13}" text-anchor="end">'
            f"<title>{escape(label)}</title>{escape(short)}</text>"
        )
        if value is None:
            parts.append(
                f'<text x="{zero_x + 4}" y="{y + 13}" fill="#6c757d">нет данных</text>'
            )
            continue
        x_value = label_w + plot_w * (float(value) - min_value) / span
        left, right = sorted((zero_x, x_value))
        color = PALETTE[0] if float(value) >= 0 else "#dc3545"
        parts.append(
            f'<rect x="{left:.1f}" y="{y}" width="{max(right - left, 1):.1f}" '
            f'height="{bar_h}" fill="{color}" data-value="{escape(str(value))}"/>'
        )
        parts.append(f'<text x="{right + 4:.1f}" y="{y + 13}">{_num(value)}</text>')
    if min_value < 0:
        parts.append(
            f'<line x1="{zero_x:.1f}" y1="{top - 4}" x2="{zero_x:.1f}" '
            f'y2="{height - 4}" stroke="#495057"/>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))


def line_chart(
    labels: list[str],
    series: list[tuple[str, list[Decimal | float | None]]],
    *,
    max_value: float,
    min_value: float = 0,
    title: str = "",
    width: int = 520,
    height: int = 250,
) -> SafeString:
    """Lines over labelled points (months); a gap where a month has no data."""
    left, right, top, bottom = 36, 24, 28 if title else 10, 54
    plot_w, plot_h = width - left - right, height - top - bottom
    span = (max_value - min_value) or 1
    step = plot_w / max(len(labels) - 1, 1)

    def xy(i, value):
        return left + i * step, top + plot_h * (1 - (float(value) - min_value) / span)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'aria-label="{escape(title or "Диаграмма")}" viewBox="0 0 {width} {height}" {_screen_size(width, height)} '
        f'{FONT} font-size="12">'
    ]
    if title:
        parts.append(
            f'<text x="0" y="16" font-size="14" font-weight="bold">{escape(title)}</text>'
        )
    for tick in range(int(min_value), int(max_value) + 1, max(int(span) // 5, 1)):
        _x, y = xy(0, tick)
        parts.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" '
            f'stroke="#dee2e6"/><text x="{left - 6}" y="{y + 4:.1f}" '
            f'text-anchor="end">{tick}</text>'
        )
    for i, label in enumerate(labels):
        x, _y = xy(i, min_value)
        parts.append(
            f'<text x="{x:.1f}" y="{top + plot_h + 16}" text-anchor="middle">'
            f"{escape(label)}</text>"
        )
    for n, (name, values) in enumerate(series):
        color = PALETTE[n % len(PALETTE)]
        run: list[str] = []
        runs = [run]
        for i, value in enumerate(values):
            if value is None:
                run = []
                runs.append(run)
                continue
            x, y = xy(i, value)
            run.append(f"{x:.1f},{y:.1f}")
            parts.append(
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{color}" '
                f'data-value="{escape(str(value))}"><title>{escape(labels[i])}: '
                f"{_num(value)}</title></circle>"
            )
        for points in runs:
            if len(points) > 1:
                parts.append(
                    f'<polyline points="{" ".join(points)}" fill="none" '
                    f'stroke="{color}" stroke-width="2"/>'
                )
        legend_x = left + n * 220
        legend_y = height - 12
        parts.append(
            f'<rect x="{legend_x}" y="{legend_y - 9}" width="12" height="10" '
            f'fill="{color}"/><text x="{legend_x + 16}" y="{legend_y}">'
            f"{escape(name)}</text>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))


def monitoring_charts(result) -> dict[str, SafeString]:
    """The monitoring page's and report's charts from its numbers."""
    charts = {}
    if result.form_averages:
        charts["forms"] = bar_chart(
            [(r["form"], r["percent"]) for r in result.form_averages],
            max_value=100,
            title="Удовлетворённость по формам наставничества, %",
        )
    if any(
        v is not None for v in result.trend["feedback"] + result.trend["satisfaction"]
    ):
        charts["trend"] = line_chart(
            result.trend["labels"],
            [
                ("Обратная связь после встреч", result.trend["feedback"]),
                ("Удовлетворённость участием", result.trend["satisfaction"]),
            ],
            min_value=0,
            max_value=10,
            title="Средний балл по месяцам учебного года (из 10)",
        )
    if result.deltas_by_question:
        deltas = [(r["text"], r["delta"]) for r in result.deltas_by_question]
        known = [abs(float(d)) for _label, d in deltas if d is not None] or [1]
        bound = max(max(known), 1)
        falls = any(d is not None and d < 0 for _label, d in deltas)
        charts["deltas"] = bar_chart(
            deltas,
            min_value=-bound if falls else 0,
            max_value=bound,
            width=680,
            label_width=320,
            title="Изменение «после» минус «до» по вопросам",
        )
    return charts
