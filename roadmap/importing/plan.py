"""What an import would change in a roadmap already here: the preview.

Stages are matched by number (or name, when unnumbered), activities within a
stage by their text: a second import of the same file matches everything
and changes nothing; an activity's status and evidence stay where its text
stays.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from mentoring.models import Person

from ..deadlines import parse_deadline
from ..models import Activity, Roadmap, Stage
from .errors import ImportFailed, Problem
from .structure import Item, Parsed, StagePart, number_key

ROADMAP_FIELDS = [
    "title",
    "preamble",
    "approver_position",
    "approver_name",
    "approval_order_number",
    "approval_order_on",
    "adoption_protocol_number",
    "adopted_on",
]


def _same_text(text: str) -> str:
    return " ".join(text.split())


@dataclass
class ActivityStep:
    item: Item
    position: int
    activity: Activity | None = None  # None: added
    people: list[Person] = field(default_factory=list)
    roles: str = ""
    changes: list[str] = field(default_factory=list)


@dataclass
class StageStep:
    part: StagePart
    position: int
    stage: Stage | None = None  # None: added
    changed: bool = False
    activities: list[ActivityStep] = field(default_factory=list)


@dataclass
class Plan:
    roadmap: Roadmap | None
    roadmap_fields: dict  # only those that change
    stages: list[StageStep]
    removed_stages: list[Stage]
    removed_activities: list[Activity]

    @property
    def added(self) -> list[str]:
        lines = []
        for step in self.stages:
            if step.stage is None:
                lines.append(_("Этап %(stage)s") % {"stage": _label(step.part)})
            lines += [
                _("Мероприятие «%(text)s»") % {"text": _short(a.item.content)}
                for a in step.activities
                if a.activity is None
            ]
        return lines

    @property
    def changed(self) -> list[str]:
        lines = []
        if self.roadmap is not None and self.roadmap_fields:
            lines.append(
                _("Заголовок дорожной карты: %(fields)s")
                % {
                    "fields": ", ".join(
                        str(Roadmap._meta.get_field(f).verbose_name)
                        for f in self.roadmap_fields
                        if f in ROADMAP_FIELDS
                    )
                    or _("заголовки столбцов")
                }
            )
        for step in self.stages:
            if step.stage is not None and step.changed:
                lines.append(_("Этап %(stage)s") % {"stage": _label(step.part)})
            lines += [
                _("Мероприятие «%(text)s»: %(what)s")
                % {"text": _short(a.item.content), "what": ", ".join(a.changes)}
                for a in step.activities
                if a.activity is not None and a.changes
            ]
        return lines

    @property
    def removed(self) -> list[str]:
        return [
            _("Этап %(stage)s") % {"stage": f"{s.number} {s.name}"}
            for s in self.removed_stages
        ] + [
            _("Мероприятие «%(text)s»") % {"text": _short(a.content)}
            for a in self.removed_activities
        ]

    @property
    def counts(self) -> dict[str, int]:
        return {
            "added": len(self.added),
            "changed": len(self.changed),
            "removed": len(self.removed),
        }

    @property
    def is_empty(self) -> bool:
        return not (self.added or self.changed or self.removed)


def _label(part: StagePart) -> str:
    return f"{part.number} {part.name}".strip()


def _short(text: str) -> str:
    text = _same_text(text)
    return text if len(text) <= 90 else text[:89] + "…"


def split_responsible(
    lines: list[str], people: dict[str, Person]
) -> tuple[list[Person], str]:
    """«Косарева А.М., куратор …» on a line of its own is the school's person
    of that name (as our printed roadmap writes it); other lines are roles."""
    found, roles = [], []
    for line in lines:
        name = line.split(",")[0].strip()
        if name in people and people[name] not in found:
            found.append(people[name])
        elif line:
            roles.append(line)
    return found, "; ".join(roles)


def check_rows(parsed: Parsed, *, year: int) -> None:
    """What the services would refuse, found before the preview: every row's
    problem at once, with its row and column."""
    problems = []
    column = parsed.columns.get

    def too_long(value, limit):
        return len(value) > limit

    for part in parsed.stages:
        if too_long(part.number, 20):
            problems.append(
                Problem(_("номер длиннее 20 знаков."), part.line, column("number", ""))
            )
        for item in part.items:
            try:
                parse_deadline(_same_text(item.deadline), year=year)
            except ValidationError as error:
                problems.append(
                    Problem(" ".join(error.messages), item.line, column("deadline", ""))
                )
            if too_long(item.deadline, 300):
                problems.append(
                    Problem(
                        _("срок длиннее 300 знаков."), item.line, column("deadline", "")
                    )
                )
            if too_long("; ".join(item.responsible), 500):
                problems.append(
                    Problem(
                        _("ответственные длиннее 500 знаков."),
                        item.line,
                        column("responsible", ""),
                    )
                )
            if too_long(item.number, 20) or too_long(item.substage_number, 20):
                problems.append(
                    Problem(
                        _("номер длиннее 20 знаков."), item.line, column("number", "")
                    )
                )
    if problems:
        raise ImportFailed(*problems)


def plan_import(
    parsed: Parsed,
    *,
    roadmap: Roadmap | None,
    organization_id: int | None,
    year: int,
) -> Plan:
    """Raises ImportFailed with every row's problem."""
    check_rows(parsed, year=roadmap.year if roadmap is not None else year)
    people = {}
    if organization_id:
        people = {
            p.short_name: p
            for p in Person.objects.filter(organization_id=organization_id)
        }
    fields = {
        name: parsed.fields[name] for name in ROADMAP_FIELDS if name in parsed.fields
    }
    fields["columns"] = parsed.columns
    fields["layout"] = parsed.layout
    existing_stages: list[Stage] = []
    if roadmap is not None:
        fields = {k: v for k, v in fields.items() if getattr(roadmap, k) != v}
        existing_stages = list(
            roadmap.stages.order_by("position", "pk").prefetch_related(
                "activities__responsible"
            )
        )
    by_key = {(number_key(s.number) or s.name): s for s in existing_stages}
    steps, matched = [], set()
    removed_activities: list[Activity] = []
    for position, part in enumerate(parsed.stages):
        stage = by_key.get(number_key(part.number) or part.name)
        if stage is not None and stage.pk in matched:
            stage = None
        step = StageStep(part=part, position=position, stage=stage)
        old: list[Activity] = []
        if stage is not None:
            matched.add(stage.pk)
            step.changed = (stage.number, stage.name, stage.position) != (
                part.number,
                part.name,
                position,
            )
            old = sorted(stage.activities.all(), key=lambda a: (a.position, a.pk))
        pool: dict[str, list[Activity]] = {}
        for activity in old:
            pool.setdefault(_same_text(activity.content), []).append(activity)
        for index, item in enumerate(part.items):
            found, roles = split_responsible(item.responsible, people)
            candidates = pool.get(_same_text(item.content)) or []
            activity = candidates.pop(0) if candidates else None
            a_step = ActivityStep(
                item=item, position=index, activity=activity, people=found, roles=roles
            )
            if activity is not None:
                a_step.changes = _changes(activity, item, index, found, roles)
            step.activities.append(a_step)
        removed_activities += [a for rest in pool.values() for a in rest]
        steps.append(step)
    return Plan(
        roadmap=roadmap,
        roadmap_fields=fields,
        stages=steps,
        removed_stages=[s for s in existing_stages if s.pk not in matched],
        removed_activities=removed_activities,
    )


def _changes(activity, item, position, people, roles) -> list[str]:
    meta = Activity._meta
    pairs = [
        ("content", activity.content, item.content),
        ("deadline_text", activity.deadline_text, _same_text(item.deadline)),
        ("responsible_roles", activity.responsible_roles, roles),
        ("number", activity.number, item.number),
        ("substage_number", activity.substage_number, item.substage_number),
        ("substage_name", activity.substage_name, item.substage_name),
        ("position", activity.position, position),
    ]
    changes = [
        str(meta.get_field(name).verbose_name) for name, was, now in pairs if was != now
    ]
    if {p.pk for p in activity.responsible.all()} != {p.pk for p in people}:
        changes.append(str(meta.get_field("responsible").verbose_name))
    return changes


def existing_roadmap(parsed: Parsed, *, year: int, organization=None, district=None):
    """The owner's roadmap for the year that the file updates: the one with
    the file's title, else the only one; None makes a new roadmap."""
    roadmaps = list(
        Roadmap.objects.filter(
            organization=organization, district=district, year=year, is_template=False
        ).order_by("pk")
    )
    title = parsed.fields.get("title")
    same = [r for r in roadmaps if title and r.title == title]
    if same:
        return same[0]
    return roadmaps[0] if len(roadmaps) == 1 else None
