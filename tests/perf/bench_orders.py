"""A pair order with 40 pairs: our rendering against bare WeasyPrint.

The floor, asserted: bare WeasyPrint on the very HTML and stylesheet the app
renders, so the ratio is our overhead (the context's queries, the template,
the call into WeasyPrint). A second floor is printed, not asserted: bare HTML
of the order's whole text (items with a sentence per pair, the
familiarization list, the table) with a minimal stylesheet, which is what our
print stylesheet and markup cost beside plain paragraphs (STACK.md aims at
1.2–1.3× on the same content). The bare renders call weasyprint directly: the
one place besides mentoring/pdf.py allowed to.

Ours and the floors are timed in turn (tests/perf/conftest.py), so load on
the shared machine hits them alike.
"""

from html import escape

import pytest
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration

from mentoring import documents
from mentoring.pdf import STYLESHEET, render_html
from mentoring.services import orders as order_services
from tests.factories import OrganizationFactory, PairFactory, UserFactory
from tests.perf.timing import interleaved_medians

PAIRS = 40
# Ours / bare WeasyPrint on the same HTML and stylesheet: 0.89–1.03× in four
# runs on 2026-12-01 under load; the template and the context cost little.
GOAL = 1.3
# STACK.md's aim against the minimal bare text (1.34× idle; 1.29–1.66× under
# load on 2026-12-01); printed, not asserted.
TARGET_BARE_TEXT = 1.3

BARE_CSS = """
@page { size: A4; margin: 20mm 10mm 20mm 30mm; }
html { font-family: "Times New Roman", "Liberation Serif"; font-size: 12pt; }
table { width: 100%; border-collapse: collapse; }
td, th { border: 1px solid #000; padding: 2pt 4pt; vertical-align: top; }
"""


def _bare_text_html(context: dict) -> str:
    """The order's whole text as plain paragraphs, then the same table."""
    parts = [
        f"<p>{escape(context['org_name'])}</p><p>ПРИКАЗ</p>",
        f"<p>{context['date']} № {context['number']}</p>",
        f"<p>{escape(context['order'].title)}</p>",
        f"<p>{escape(context['order'].preamble)}</p><p>ПРИКАЗЫВАЮ:</p>",
    ]
    for item in context["items"]:
        parts.append(f"<p>{item['number']}. {escape(item['head'])}</p>")
        parts += [f"<p>{escape(sub)}</p>" for sub in item["subs"]]
    parts.append("<p>С приказом ознакомлены:</p>")
    parts += [
        f"<p>______ {escape(a['name'])} ______</p>" for a in context["acquainted"]
    ]
    return _bare_html(context["rows"]).replace("<table>", "".join(parts) + "<table>")


def _bare_html(rows: list[dict]) -> str:
    cells = []
    for row in rows:
        mentors = "<br>".join(escape(f"{n}, {p}") for n, p in row["mentors"])
        mentees = "<br>".join(escape(f"{n}, {p}") for n, p in row["mentees"])
        cells.append(
            f"<tr><td>{row['number']}</td><td>{mentors}</td><td>{mentees}</td>"
            f"<td>{escape(row['form'])}; {escape(row['format'])}</td>"
            f"<td>с {row['starts_on']}<br>по {row['ends_on']}</td></tr>"
        )
    return (
        '<!doctype html><html lang="ru"><meta charset="utf-8"><table>'
        "<thead><tr><th>№</th><th>Наставник</th><th>Наставляемый</th>"
        "<th>Форма</th><th>Срок</th></tr></thead><tbody>"
        + "".join(cells)
        + "</tbody></table></html>"
    )


@pytest.mark.django_db
def test_pair_order_with_40_pairs_costs_little_beside_bare_weasyprint(
    settings, tmp_path, bench_table
):
    settings.MEDIA_ROOT = tmp_path
    school = OrganizationFactory(order_number_suffix="-од")
    curator = UserFactory(curator=True, organization=school)
    pairs = PairFactory.create_batch(PAIRS, organization=school)
    order = order_services.create_pair_order(
        organization=school, pairs=pairs, by=curator
    )
    order_services.submit_order(order=order, by=curator)
    order = order_services.sign_order(
        order=order, director=UserFactory(director=True, organization=school)
    )

    context = documents.order_context(order)
    html = render_html(documents.ORDER_TEMPLATES[order.kind], context)
    fonts = FontConfiguration()
    ours_css = CSS(filename=str(STYLESHEET), font_config=fonts)
    bare_css = CSS(string=BARE_CSS, font_config=fonts)

    def bare(html, stylesheet):
        return lambda: HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(
            stylesheets=[stylesheet], font_config=fonts
        )

    ours, same, whole, table, context_only = interleaved_medians(
        lambda: documents.order_pdf(order=order),
        bare(html, ours_css),
        bare(_bare_text_html(context), bare_css),
        bare(_bare_html(context["rows"]), bare_css),
        lambda: documents.order_context(order),
    )

    print()
    print(f"pair order with {PAIRS} pairs, median of warm renders:")
    for label, seconds in [
        ("ours (context + template + WeasyPrint)", ours),
        ("  of which the context (SQL, names in case)", context_only),
        ("bare WeasyPrint, the same HTML and stylesheet", same),
        ("bare HTML of the same whole text", whole),
        ("bare table of the same rows", table),
    ]:
        print(f"{label:<46}{seconds * 1000:>8.0f} ms{ours / seconds:>7.2f}×")
    bench_table.record(
        f"order PDF, {PAIRS} pairs / bare WeasyPrint, plain text",
        ours=ours,
        floor=whole,
        goal=None,
        target=TARGET_BARE_TEXT,
    )
    ratio = bench_table.record(
        f"order PDF, {PAIRS} pairs / bare WeasyPrint, same HTML+CSS",
        ours=ours,
        floor=same,
        goal=GOAL,
    )
    assert ratio <= GOAL
