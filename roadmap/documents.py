"""The printed roadmap: its table, the PDF, the XLSX and the print page.

One `roadmap_table` builds the rows every format prints, so the PDF, the
spreadsheet and the browser's print view show the same document. A stage's
cell spans its activities; a deadline or responsible cell spans consecutive
activities that share it, as schools write them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Prefetch

from mentoring.models import Person
from mentoring.pdf import render_pdf

from .models import Activity, Roadmap, Stage
from .spreadsheet import table_workbook

SCHOOL_COLUMNS = [
    "№ п/п",
    "Наименование этапа",
    "Содержание деятельности и примерный план мероприятий",
    "Срок исполнения",
    "Ответственные",
]
DISTRICT_COLUMNS = ["№ п/п", "Мероприятие", "Дата проведения", "Ответственный"]
SUBSTAGE_COLUMN = "Подэтап"


@dataclass
class Row:
    activity: Activity | None
    content: str
    stage_span: int = 0  # > 0 on the stage's first row
    number: str = ""  # the item's own number, as the source wrote it
    substage: str = ""  # «1.1. Наименование подэтапа»
    substage_span: int = 0
    deadline: str = ""
    deadline_span: int = 0
    responsible: list[str] = field(default_factory=list)
    responsible_span: int = 0


@dataclass
class StageRows:
    stage: Stage
    rows: list[Row]


@dataclass
class Table:
    roadmap: Roadmap
    stages: list[StageRows]
    show_deadline: bool
    show_responsible: bool
    show_substage: bool = False

    @property
    def columns(self) -> list[str]:
        """The source's own headers where the roadmap was imported."""
        own = self.roadmap.columns or {}
        if self.roadmap.layout == Roadmap.Layout.DISTRICT:
            roles = ["number", "content", "deadline", "responsible"]
            return [own.get(r, d) for r, d in zip(roles, DISTRICT_COLUMNS, strict=True)]
        shown = [
            own.get("number", SCHOOL_COLUMNS[0]),
            own.get("stage", SCHOOL_COLUMNS[1]),
        ]
        if self.show_substage:
            shown.append(own.get("substage", SUBSTAGE_COLUMN))
        shown.append(own.get("content", SCHOOL_COLUMNS[2]))
        if self.show_deadline:
            shown.append(own.get("deadline", SCHOOL_COLUMNS[3]))
        if self.show_responsible:
            shown.append(own.get("responsible", SCHOOL_COLUMNS[4]))
        return shown


def responsible_lines(activity: Activity) -> list[str]:
    """«Косарева А.М., куратор …» per person, then the roles as written."""
    lines = [
        f"{p.short_name}, {p.position}" if p.position else p.short_name
        for p in activity.responsible.all()
    ]
    if activity.responsible_roles:
        lines.append(activity.responsible_roles)
    return lines


def _merge(rows: list[Row], key, span) -> None:
    """Give the first of each run of equal values the run's length."""
    start = 0
    for index in range(1, len(rows) + 1):
        if index == len(rows) or key(rows[index]) != key(rows[start]):
            setattr(rows[start], span, index - start)
            start = index


def roadmap_table(roadmap: Roadmap) -> Table:
    """Three queries whatever the size: stages, activities, their people."""
    stages = roadmap.stages.order_by("position", "pk").prefetch_related(
        Prefetch(
            "activities",
            queryset=Activity.objects.order_by("position", "pk").prefetch_related(
                Prefetch(
                    "responsible",
                    queryset=Person.objects.order_by("last_name", "first_name"),
                )
            ),
        )
    )
    result = []
    for stage in stages:
        rows = [
            Row(
                activity=a,
                content=a.content,
                number=a.number,
                substage=f"{a.substage_number} {a.substage_name}".strip(),
                deadline=a.deadline_text,
                responsible=responsible_lines(a),
            )
            for a in stage.activities.all()
        ] or [Row(activity=None, content="")]
        rows[0].stage_span = len(rows)
        _merge(rows, lambda r: r.substage, "substage_span")
        _merge(rows, lambda r: r.deadline, "deadline_span")
        _merge(rows, lambda r: r.responsible, "responsible_span")
        result.append(StageRows(stage, rows))
    all_rows = [row for s in result for row in s.rows]
    return Table(
        roadmap=roadmap,
        stages=result,
        show_deadline=any(r.deadline for r in all_rows),
        show_responsible=any(r.responsible for r in all_rows),
        show_substage=any(r.substage for r in all_rows),
    )


def document_context(roadmap: Roadmap) -> dict:
    return {
        "roadmap": roadmap,
        # Each line of «цель и задачи» is a paragraph, as schools type them.
        "preamble": [line for line in roadmap.preamble.splitlines() if line.strip()],
        "table": roadmap_table(roadmap),
    }


def file_name(roadmap: Roadmap, extension: str) -> str:
    owner = roadmap.owner.short_name if roadmap.organization_id else "район"
    if roadmap.is_template:
        owner = "шаблон"
    return f"Дорожная карта {roadmap.year}-{roadmap.year + 1} {owner}.{extension}"


def roadmap_pdf(roadmap: Roadmap) -> bytes:
    return render_pdf("documents/roadmap.html", document_context(roadmap))


def roadmap_xlsx(roadmap: Roadmap) -> bytes:
    """The same document as a spreadsheet, set up to print as the PDF does."""
    context = document_context(roadmap)
    return table_workbook(context["table"], preamble=context["preamble"])
