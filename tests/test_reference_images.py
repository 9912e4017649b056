"""The pixel comparison of reference renderings: blind to how a font's edges
are rasterised, not to a block that moved."""

import subprocess

import pytest
from PIL import Image, ImageChops

from mentoring.pdf import render_pdf
from tests.reference_images import MAX_DIFFERING, differing_fraction

BODY = (
    '{% extends "documents/base.html" %}{% block content %}'
    '<p class="org-name">Государственное бюджетное общеобразовательное учреждение '
    "гимназия № 517 Невского района Санкт-Петербурга</p>"
    '<p class="doc-kind">ПРИКАЗ</p>'
    "{% for n in rows %}<p>{{ n }}. {% if forloop.first %}{{ extra }}{% endif %}Закрепить наставником Иванову Марию Петровну "
    "за молодым специалистом Петровым Иваном Сергеевичем, срок с 01.09.2026 по "
    "31.05.2027.</p>{% endfor %}{% endblock content %}"
)


@pytest.fixture
def page(settings, tmp_path):
    """Render an order's page and rasterise it as the references are (60 dpi)."""
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}
    ]

    (tmp_path / "sample.html").write_text(BODY)

    def rasterise(*options, extra=""):
        content = render_pdf("sample.html", {"rows": range(1, 13), "extra": extra})
        out = tmp_path / "page"
        subprocess.run(
            ["pdftoppm", "-r", "60", "-png", "-singlefile", *options, "-", str(out)],
            input=content,
            check=True,
        )
        with Image.open(f"{out}.png") as image:
            return image.convert("RGB")

    return rasterise


def test_the_same_page_matches(page):
    assert differing_fraction(page(), page()) == 0


def test_glyph_edges_rasterised_otherwise_still_match(page):
    """Anti-aliasing off, as another poppler or printer driver may do."""
    smooth, jagged = page(), page("-aa", "no", "-aaVector", "no")
    assert ImageChops.difference(smooth, jagged).getbbox() is not None
    assert differing_fraction(smooth, jagged) <= MAX_DIFFERING


def test_a_page_nudged_by_a_pixel_still_matches(page):
    image = page()
    assert differing_fraction(ImageChops.offset(image, 1, 0), image) <= MAX_DIFFERING


def test_a_paragraph_moved_down_by_two_millimetres_fails(page):
    image = page()
    # The third paragraph (one line and a half at 60 dpi) moved down 5 px.
    box = (70, 200, 470, 240)
    moved = image.copy()
    moved.paste((255, 255, 255), box)
    moved.paste(image.crop(box), (box[0], box[1] + 5))
    assert differing_fraction(moved, image) > MAX_DIFFERING


def test_a_changed_date_fails(page):
    image = page()
    changed = page(extra="16.10.2026 ")
    assert differing_fraction(changed, image) > MAX_DIFFERING


def test_a_page_of_another_size_fails(page):
    image = page()
    assert differing_fraction(image.crop((0, 0, 400, 600)), image) == 1.0
