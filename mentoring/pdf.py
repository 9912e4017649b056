"""The one place that renders printed documents with WeasyPrint (STYLE.md).

Every document is an HTML template under templates/documents/ extending
documents/base.html, printed with one stylesheet (static/css/documents.css):
A4, Liberation Serif (Times New Roman's metrics, with Cyrillic) 14 pt,
margins 30/10/20/20 mm, page numbers from page 2 (ГОСТ Р 7.0.97-2025).
Nothing else imports weasyprint.

A document may quote what users typed, so WeasyPrint fetches nothing but
our own static files and inline data: no address of another site (it would
learn who prints what, or reach the internal network) and no other local
file (`<link rel="attachment" href="file:///etc/passwd">` would be embedded
in the PDF).
"""

from __future__ import annotations

import io
import logging
from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.http import FileResponse
from django.template.loader import render_to_string
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher

logger = logging.getLogger(__name__)

STYLESHEET = settings.BASE_DIR / "static" / "css" / "documents.css"


def _static_roots() -> list[Path]:
    roots = [Path(d) for d in settings.STATICFILES_DIRS]
    return [root.resolve() for root in [*roots, Path(settings.STATIC_ROOT)]]


class StaticFilesFetcher(URLFetcher):
    """Serves `data:` and files under the static folders; refuses the rest."""

    def __init__(self):
        super().__init__(allowed_protocols={"file", "data"}, allow_redirects=False)

    def fetch(self, url, headers=None):
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        if scheme == "file" and parts.netloc in ("", "localhost"):
            # resolve(): "static/../../etc/passwd" and symlinks lead outside.
            path = Path(unquote(parts.path)).resolve()
            if any(path.is_relative_to(root) for root in _static_roots()):
                return super().fetch(url, headers)
        elif scheme == "data":
            return super().fetch(url, headers)
        logger.warning("A document asked for %s; not fetched", url[:200])
        raise ValueError("Only the site's static files are fetched for documents.")


@lru_cache(maxsize=1)
def _fonts() -> FontConfiguration:
    return FontConfiguration()


@lru_cache(maxsize=1)
def _stylesheet() -> CSS:
    # Parsed once per process: parsing costs more than a one-page order.
    return CSS(
        filename=str(STYLESHEET),
        font_config=_fonts(),
        url_fetcher=StaticFilesFetcher(),
    )


def render_html(template_name: str, context: dict) -> str:
    return render_to_string(template_name, context)


def render_pdf(template_name: str, context: dict) -> bytes:
    html = HTML(
        string=render_html(template_name, context),
        base_url=str(settings.BASE_DIR),
        url_fetcher=StaticFilesFetcher(),
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
