"""Read a PDF's text the way a reader does, for assertions."""

import html
import re
import subprocess
from collections import Counter


def pdf_text(content: bytes) -> str:
    return subprocess.run(
        ["pdftotext", "-", "-"], input=content, capture_output=True, check=True
    ).stdout.decode("utf-8")


_PAGE = re.compile(r"<page [^>]*>(.*?)</page>", re.S)
_WORD = re.compile(
    r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)"[^>]*>([^<]*)</word>'
)
# Between two words of a cell there is a space (~3 pt at 12 pt); between two
# cells, the cells' padding and border at least (~8 pt).
CELL_GAP = 6.0


def _segments(page: str) -> list[tuple[float, float, str]]:
    """Runs of words on one visual line with no cell border between them."""
    lines: dict[int, list] = {}
    for x, y, x_max, word in _WORD.findall(page):
        lines.setdefault(round(float(y)), []).append(
            (float(x), float(x_max), html.unescape(word))
        )
    segments = []
    for y, words in lines.items():
        words.sort()
        start, previous_end, text = words[0][0], words[0][1], [words[0][2]]
        for x, x_max, word in words[1:]:
            if x - previous_end > CELL_GAP:
                segments.append((start, y, " ".join(text)))
                start, text = x, []
            text.append(word)
            previous_end = x_max
        segments.append((start, y, " ".join(text)))
    return segments


def pdf_table_text(content: bytes) -> str:
    """The text read cell by cell: each column top to bottom, page by page.

    pdftotext reads a table line by line across the row, so a cell's lines
    come interleaved with its neighbours'. A reader reads each cell whole:
    each run of words goes to the column whose left edge (where many runs
    start) it starts at or after.
    """
    layout = subprocess.run(
        ["pdftotext", "-bbox-layout", "-", "-"],
        input=content,
        capture_output=True,
        check=True,
    ).stdout.decode("utf-8")
    pages = [_segments(page) for page in _PAGE.findall(layout)]
    starts = Counter(round(x) for page in pages for x, _y, _t in page)
    edges = sorted(x for x, n in starts.items() if n >= 3)
    text = []
    for page in pages:
        columns: dict[int, list] = {}
        for x, y, segment in page:
            edge = max((e for e in edges if e <= x + 1), default=0)
            columns.setdefault(edge, []).append((y, x, segment))
        for edge in sorted(columns):
            text.append(" ".join(t for _y, _x, t in sorted(columns[edge])))
    return "\n".join(text)


def letters(text: str) -> str:
    """Letters and digits only: line breaks, hyphenation and dashes vanish."""
    return re.sub(r"[^0-9a-zа-яё]", "", text.lower())


def assert_in_order(text: str, expected: list[str]) -> None:
    """Each expected piece occurs in the text, each after the previous one."""
    haystack, position = letters(text), 0
    for piece in expected:
        found = haystack.find(letters(piece), position)
        assert found >= 0, f"not found after position {position}: {piece!r}"
        position = found + len(letters(piece))
