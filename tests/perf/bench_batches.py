"""A batch of 20 programs printed into one ZIP against bare WeasyPrint.

The floor: bare WeasyPrint on the very HTML and stylesheet of each program,
one after another, so the ratio is what the batch adds (the contexts'
queries, the templates, the ZIP, counting progress on the batch row). The
bare renders call weasyprint directly: the one place besides mentoring/pdf.py
allowed to. Timed in turn with ours (tests/perf/conftest.py).
"""

import pytest
from django.conf import settings
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration

from mentoring import documents
from mentoring.models import DocumentBatch, Program
from mentoring.pdf import STYLESHEET, render_html
from mentoring.services.batches import build_batch
from tests.factories import OrganizationFactory, ProgramFactory, ProgramItemFactory
from tests.perf.timing import interleaved_medians

PROGRAMS = 20
ITEMS = 12
# Ours / bare WeasyPrint on the same HTML and stylesheet, set beside the
# single order's goal (bench_orders.py): a batch adds a ZIP and a row update
# per document, little beside rendering. Issue 15 aims at 1.02–1.10×.
GOAL = 1.3
TARGET = 1.1


@pytest.mark.django_db
def test_a_batch_of_programs_costs_little_beside_bare_weasyprint(
    settings_override, bench_table
):
    school = OrganizationFactory()
    for _ in range(PROGRAMS):
        ProgramItemFactory.create_batch(
            ITEMS, program=ProgramFactory(pair__organization=school)
        )
    ids = list(Program.objects.order_by("pk").values_list("pk", flat=True))
    programs = Program.objects.filter(pk__in=ids).select_related(
        "pair__form", "pair__organization", "pair__order"
    )
    pages = [
        render_html("documents/program.html", documents.program_context(p))
        for p in programs
    ]
    fonts = FontConfiguration()
    stylesheet = CSS(filename=str(STYLESHEET), font_config=fonts)

    def ours():
        batch = DocumentBatch.objects.create(
            organization=school,
            kind=DocumentBatch.Kind.PROGRAMS,
            object_ids=ids,
            total=len(ids),
        )
        assert build_batch(batch_id=batch.pk).done == PROGRAMS

    def bare():
        for html in pages:
            HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(
                stylesheets=[stylesheet], font_config=fonts
            )

    ours_s, bare_s = interleaved_medians(ours, bare, runs=3)
    print()
    print(f"batch of {PROGRAMS} programs: ours {ours_s:.2f} s, bare {bare_s:.2f} s")
    ratio = bench_table.record(
        f"batch ZIP, {PROGRAMS} programs / bare WeasyPrint, same HTML+CSS",
        ours=ours_s,
        floor=bare_s,
        goal=GOAL,
        target=TARGET,
    )
    assert ratio <= GOAL


@pytest.fixture
def settings_override(settings, tmp_path):
    # The ZIPs of the timed runs go to a folder thrown away after the test.
    settings.MEDIA_ROOT = tmp_path
