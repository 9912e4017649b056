"""A 60-activity roadmap exported to PDF, against bare WeasyPrint.

The issue's ceiling is 2 s; the goal is the ratio to the floor: the same
HTML and stylesheet printed by WeasyPrint alone, with nothing of ours
around it (no queries, no template). Both are measured warm in this process.
"""

import statistics
import subprocess
import time

import pytest
from django.conf import settings
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration

from mentoring.pdf import STYLESHEET, render_html
from roadmap.documents import document_context, roadmap_pdf
from tests.factories import ActivityFactory, PersonFactory, RoadmapFactory, StageFactory

ACTIVITIES = 60
STAGES = 9
RUNS = 9
CEILING_S = 2.0

pytestmark = pytest.mark.django_db


def _pages(pdf: bytes) -> int:
    info = subprocess.run(["pdfinfo", "-"], input=pdf, capture_output=True, check=True)
    line = next(x for x in info.stdout.decode().splitlines() if x.startswith("Pages:"))
    return int(line.split()[1])


def _medians(*functions) -> list[float]:
    """Warm each, then time them in turn, so load on the machine hits both."""
    for function in functions:
        function()
    times = [[] for _ in functions]
    for _ in range(RUNS):
        for function, spent in zip(functions, times, strict=True):
            started = time.perf_counter()
            function()
            spent.append(time.perf_counter() - started)
    return [statistics.median(spent) for spent in times]


def test_a_60_activity_roadmap_exports_to_pdf_under_two_seconds():
    roadmap = RoadmapFactory(
        approver_position="Директор ГБОУ гимназии № 513",
        approver_name="С.А. Анисимова",
        approval_order_number="63",
        preamble="Цель — создание условий для профессионального роста педагогов.",
    )
    people = PersonFactory.create_batch(4, organization=roadmap.organization)
    stages = StageFactory.create_batch(STAGES, roadmap=roadmap)
    for index in range(ACTIVITIES):
        ActivityFactory(
            stage=stages[index % STAGES],
            content=(
                f"{index + 1}. Проведение анкетирования среди потенциальных "
                "наставников в образовательной организации, желающих принять "
                "участие в персонализированных программах наставничества."
            ),
            deadline_text=["Сентябрь – октябрь", "Май", "В течение года"][index % 3],
            responsible=people[: 1 + index % 3],
        )

    html = render_html("documents/roadmap.html", document_context(roadmap))
    fonts = FontConfiguration()
    stylesheet = CSS(filename=str(STYLESHEET), font_config=fonts)
    ours, bare = _medians(
        lambda: roadmap_pdf(roadmap),
        lambda: HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(
            stylesheets=[stylesheet], font_config=fonts
        ),
    )
    pdf = roadmap_pdf(roadmap)

    print(
        f"\nroadmap PDF, {ACTIVITIES} activities in {STAGES} stages, "
        f"{_pages(pdf)} pages: "
        f"ours {ours:.3f} s, bare WeasyPrint {bare:.3f} s, ratio {ours / bare:.2f}"
    )
    assert ours < CEILING_S
