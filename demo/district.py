"""The demo district around the gymnasium (load_demo): neighbouring schools,
pilots and the district's roadmap, so the methodologist's table has rows.

The neighbours are generated in bulk like `generate_district`'s schools, then
given a roadmap and feedback the way their curators would: one on track, one
late with its roadmap, one whose participants fill no forms, so the table
and the home panel «Школы, которым нужно внимание» show every state.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass

from django.utils import timezone

from demo.management.commands.generate_district import Generator
from demo.surveys import fill_demo_surveys
from district.services import save_pilot
from mentoring.dates import academic_year, short_date
from mentoring.models import District, MentoringForm, Organization, User
from roadmap import services as roadmaps
from roadmap.models import Activity, Roadmap

SEED = 204


@dataclass(frozen=True)
class Neighbour:
    short_name: str
    full_name: str
    kind: str
    head_name: str
    # Pilot since this many days before 1 September, or not a pilot.
    pilot_days_before: int | None
    # Activities past their deadline left open (the rest are done).
    late: int
    # Whether its people fill the forms after meetings and the surveys.
    answers: bool


NEIGHBOURS = [
    Neighbour(
        "ГБОУ СОШ № 204",
        "Государственное бюджетное общеобразовательное учреждение средняя "
        "общеобразовательная школа № 204 Невского района Санкт-Петербурга",
        Organization.Kind.SCHOOL,
        "Т.В. Соколова",
        pilot_days_before=365,
        late=0,
        answers=True,
    ),
    Neighbour(
        "ГБОУ лицей № 339",
        "Государственное бюджетное общеобразовательное учреждение лицей № 339 "
        "Невского района Санкт-Петербурга",
        Organization.Kind.SCHOOL,
        "А.Н. Морозов",
        pilot_days_before=None,
        late=3,
        answers=True,
    ),
    Neighbour(
        "ГБУ ДО ЦВР «Невский»",
        "Государственное бюджетное учреждение дополнительного образования центр "
        "внешкольной работы «Невский» Санкт-Петербурга",
        Organization.Kind.ADDITIONAL,
        "Е.С. Белова",
        pilot_days_before=None,
        late=0,
        answers=False,
    ),
]


def build_demo_district(
    *,
    district: District,
    gymnasium: Organization,
    methodologist: User,
    today: datetime.date,
) -> Roadmap:
    year = academic_year(today)
    first_september = datetime.date(year, 9, 1)
    save_pilot(
        by=methodologist,
        organization=gymnasium,
        since=first_september,
        basis=f"Распоряжение ИМЦ от {short_date(first_september)} № 27",
    )
    generator = Generator(
        rng=random.Random(SEED),
        forms={f.code: f for f in MentoringForm.objects.all()},
        today=today,
        staff=24,
        students=60,
        pairs=6,
        meetings=4,
    )
    schools = [gymnasium]
    for plan in NEIGHBOURS:
        school = Organization.objects.create(
            district=district,
            kind=plan.kind,
            full_name=plan.full_name,
            short_name=plan.short_name,
            place="г. Санкт-Петербург",
            head_name=plan.head_name,
            order_number_suffix="-од",
        )
        generator.organization(school)
        if plan.answers:
            fill_demo_surveys(organization=school, now=timezone.now())
        _school_roadmap(school, year=year, today=today, late=plan.late)
        if plan.pilot_days_before is not None:
            since = first_september - datetime.timedelta(days=plan.pilot_days_before)
            save_pilot(
                by=methodologist,
                organization=school,
                since=since,
                basis=f"Распоряжение ИМЦ от {short_date(since)} № 41",
            )
            schools.append(school)
    return _district_roadmap(
        district=district,
        pilots=schools,
        methodologist=methodologist,
        year=year,
        today=today,
    )


def _close_past(roadmap: Roadmap, *, today: datetime.date, by, late: int = 0) -> None:
    """Past activities done, running ones in progress; the last `late` of
    the past ones left open, so they are overdue."""
    activities = list(
        Activity.objects.filter(stage__roadmap=roadmap, ends_on__isnull=False)
        .select_related("stage")
        .order_by("ends_on", "pk")
    )
    past = [a for a in activities if a.ends_on < today]
    kept_open = past[len(past) - late :] if late else []
    for activity in activities:
        if activity in kept_open:
            continue
        if activity.ends_on < today:
            roadmaps.set_activity_status(
                by=by,
                activity=activity,
                status=Activity.Status.DONE,
                done_on=activity.ends_on - datetime.timedelta(days=3),
            )
        elif activity.starts_on and activity.starts_on <= today:
            roadmaps.set_activity_status(
                by=by, activity=activity, status=Activity.Status.IN_PROGRESS
            )


def _school_roadmap(school, *, year: int, today: datetime.date, late: int) -> None:
    template = Roadmap.objects.get(is_template=True, code="teachers")
    roadmap = roadmaps.create_roadmap_from_template(
        template=template, by=None, year=year, organization=school
    )
    _close_past(roadmap, today=today, by=None, late=late)


def _district_roadmap(
    *,
    district: District,
    pilots: list[Organization],
    methodologist: User,
    year: int,
    today: datetime.date,
) -> Roadmap:
    """Seed 004's roadmap for the pilot schools: «ИМЦ» answers for the
    district's events, «ОУ» — each pilot school, named — for its own steps."""
    template = Roadmap.objects.get(is_template=True, code="district")
    roadmap = roadmaps.create_roadmap_from_template(
        template=template, by=methodologist, year=year, district=district
    )
    names = ", ".join(school.short_name for school in pilots)
    for activity in Activity.objects.filter(stage__roadmap=roadmap).order_by("pk"):
        roles = [r.strip() for r in activity.responsible_roles.split(",")]
        if "ОУ" not in roles:
            continue
        parties = [r if r != "ОУ" else f"ОУ ({names})" for r in roles]
        roadmaps.edit_activity(
            by=methodologist,
            activity=activity,
            content=activity.content,
            deadline_text=activity.deadline_text,
            responsible_roles=", ".join(parties),
            code=activity.code,
        )
    _close_past(roadmap, today=today, by=methodologist)
    return roadmap
