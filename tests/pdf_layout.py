"""Where a PDF's words stand on its pages: nothing past the printable area.

`pdftotext -bbox` gives each word's box in points; a page's printable area is
the sheet less the margins of static/css/documents.css. A cell that runs off
the sheet shows as a word past the right margin (or, wholly off the sheet, as
a word missing from the text: the tests look for the last column's words).
"""

from __future__ import annotations

import html
import re
import subprocess
from dataclasses import dataclass

MM = 72 / 25.4
# Glyph boxes include the font's ascent and descent, a little taller than
# the line; a point and a half is well under a character's width.
TOLERANCE = 1.5


@dataclass(frozen=True)
class Margins:
    """In millimetres, as in the stylesheet's @page rules."""

    top: float
    right: float
    bottom: float
    left: float


# @page, @page landscape and @page slips of static/css/documents.css.
PORTRAIT = Margins(top=20, right=10, bottom=20, left=30)
LANDSCAPE = Margins(top=20, right=10, bottom=20, left=20)
SLIPS = Margins(top=10, right=12, bottom=10, left=12)


@dataclass(frozen=True)
class Word:
    page: int
    x_min: float
    y_min: float
    x_max: float
    y_max: float
    text: str


_PAGE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', re.S)
_WORD = re.compile(
    r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">'
    r"([^<]*)</word>"
)
# The page number stands in the top margin box (@top-center), as ГОСТ puts it.
_PAGE_NUMBER = re.compile(r"\d{1,3}")


def pages(content: bytes) -> list[tuple[float, float, list[Word]]]:
    """Each page's width, height (points) and words."""
    out = subprocess.run(
        ["pdftotext", "-bbox", "-", "-"], input=content, capture_output=True, check=True
    ).stdout.decode()
    result = []
    for number, (width, height, body) in enumerate(_PAGE.findall(out), start=1):
        words = [
            Word(number, float(x0), float(y0), float(x1), float(y1), html.unescape(t))
            for x0, y0, x1, y1, t in _WORD.findall(body)
        ]
        result.append((float(width), float(height), words))
    return result


def words_past_margins(
    content: bytes, *, portrait: Margins = PORTRAIT, landscape: Margins = LANDSCAPE
) -> list[Word]:
    """The words outside their page's printable area (besides page numbers)."""
    outside = []
    for width, height, words in pages(content):
        margins = landscape if width > height else portrait
        left, right = margins.left * MM, width - margins.right * MM
        top, bottom = margins.top * MM, height - margins.bottom * MM
        for word in words:
            if word.y_max <= top + TOLERANCE and _PAGE_NUMBER.fullmatch(word.text):
                continue
            if (
                word.x_min < left - TOLERANCE
                or word.x_max > right + TOLERANCE
                or word.y_min < top - TOLERANCE
                or word.y_max > bottom + TOLERANCE
            ):
                outside.append(word)
    return outside
