"""Reference renderings of the printed documents, compared pixel by pixel.

Each document's pages are rasterised as a person looks at them
(`pdftoppm -r 60 -png`) and compared with the PNGs kept next to the tests.
Fonts may rasterise a little differently on another machine (hinting,
anti-aliasing of glyph edges, a glyph a pixel to the side): both images are
blurred by two pixels, which spreads such differences thin, and a pixel
counts as different only if a channel then differs by more than
`CHANNEL_THRESHOLD`; a page fails when more than `MAX_DIFFERING` of its
pixels differ. A paragraph moved by 2 mm (5 px at 60 dpi) differs over all
its ink and fails; so do a changed word or date (tests/test_reference_images.py
measures both sides).

`UPDATE_REFERENCE=1 pytest ...` rewrites the references instead; look at
them (and at `git diff --stat`) before committing.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from PIL import Image, ImageChops, ImageFilter

CHANNEL_THRESHOLD = 48
MAX_DIFFERING = 0.001
BLUR_RADIUS = 2


def updating() -> bool:
    return os.environ.get("UPDATE_REFERENCE") == "1"


def pdf_to_png(content: bytes, directory: Path, stem: str) -> list[Path]:
    """Every page at 60 dpi, as a person would look at it (pdftoppm)."""
    directory.mkdir(parents=True, exist_ok=True)
    for old in directory.glob(f"{stem}-*.png"):
        old.unlink()
    subprocess.run(
        ["pdftoppm", "-r", "60", "-png", "-", str(directory / stem)],
        input=content,
        check=True,
    )
    return sorted(directory.glob(f"{stem}-*.png"))


def differing_fraction(image: Image.Image, reference: Image.Image) -> float:
    """The share of pixels that differ beyond anti-aliasing noise; 1.0 when
    the pages are not even the same size."""
    if image.size != reference.size:
        return 1.0
    blur = ImageFilter.GaussianBlur(BLUR_RADIUS)
    a = image.convert("RGB").filter(blur)
    b = reference.convert("RGB").filter(blur)
    red, green, blue = ImageChops.difference(a, b).split()
    strongest = ImageChops.lighter(ImageChops.lighter(red, green), blue)
    differing = strongest.point(lambda v: 255 if v > CHANNEL_THRESHOLD else 0)
    return differing.histogram()[255] / (image.width * image.height)


def assert_matches_reference(
    content: bytes, reference: Path, stem: str, scratch: Path
) -> None:
    """The PDF's pages look as `reference/<stem>-N.png` (or rewrite them)."""
    pages = pdf_to_png(content, scratch, stem)
    assert pages, "pdftoppm rendered no page"
    if updating():
        reference.mkdir(parents=True, exist_ok=True)
        for old in reference.glob(f"{stem}-*.png"):
            old.unlink()
        for page in pages:
            shutil.copyfile(page, reference / page.name)
        return
    kept = sorted(reference.glob(f"{stem}-*.png"))
    assert [p.name for p in pages] == [k.name for k in kept], (
        f"{stem}: pages {[p.name for p in pages]}, reference {[k.name for k in kept]}"
        " (UPDATE_REFERENCE=1 rewrites the reference)"
    )
    for page, kept_page in zip(pages, kept, strict=True):
        with Image.open(page) as image, Image.open(kept_page) as expected:
            fraction = differing_fraction(image, expected)
        assert fraction <= MAX_DIFFERING, (
            f"{page.name}: {fraction:.2%} of pixels differ from the reference "
            f"(at most {MAX_DIFFERING:.2%}); see {page}"
        )
