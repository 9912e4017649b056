"""The one place that renders printed documents with WeasyPrint (STYLE.md).

Every document is an HTML template under templates/documents/ extending
documents/base.html, printed with one stylesheet (static/css/documents.css):
A4, Liberation Serif (Times New Roman's metrics, with Cyrillic) 14 pt,
margins 30/10/20/20 mm, page numbers from page 2 (ГОСТ Р 7.0.97-2025).
Nothing else imports weasyprint.
"""

from __future__ import annotations

import io
from functools import lru_cache

from django.conf import settings
from django.http import FileResponse
from django.template.loader import render_to_string
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration

STYLESHEET = settings.BASE_DIR / "static" / "css" / "documents.css"


@lru_cache(maxsize=1)
def _fonts() -> FontConfiguration:
    return FontConfiguration()


@lru_cache(maxsize=1)
def _stylesheet() -> CSS:
    # Parsed once per process: parsing costs more than a one-page order.
    return CSS(filename=str(STYLESHEET), font_config=_fonts())


def render_html(template_name: str, context: dict) -> str:
    return render_to_string(template_name, context)


def render_pdf(template_name: str, context: dict) -> bytes:
    html = HTML(
        string=render_html(template_name, context), base_url=str(settings.BASE_DIR)
    )
    return html.write_pdf(stylesheets=[_stylesheet()], font_config=_fonts())


def pdf_response(content: bytes, filename: str, *, inline: bool = True):
    """An HTTP answer carrying the document under its own file name."""
    return FileResponse(
        io.BytesIO(content),
        as_attachment=not inline,
        filename=filename,
        content_type="application/pdf",
    )
