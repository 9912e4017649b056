"""The demo school's roadmap for the current academic year (load_demo).

Made from the teachers' template the way a curator would: people put in
charge, what is past done, one activity late and one due within days, so
the roadmap page shows every state.
"""

from __future__ import annotations

import datetime

from django.urls import reverse

from demo import data
from mentoring.models import Order, Organization, Person, User
from roadmap import services
from roadmap.models import Activity, Roadmap

# Who answers for what, by the template's activity codes.
DIRECTOR_CODES = {"adopt_acts", "pair_orders", "final_event_order", "final_event"}
PSYCHOLOGIST_CODES = {"unpaired_support"}
# The curator moved these two deadlines to a day; one slipped, one is near.
LATE_CODE, LATE_BY = "program_template", 6
SOON_CODE, SOON_IN = "programs", 9


def build_demo_roadmap(
    *,
    organization: Organization,
    curator: User,
    director: Person,
    curator_person: Person,
    psychologist: Person,
    today: datetime.date,
) -> Roadmap:
    year = today.year if today.month >= 9 else today.year - 1
    template = Roadmap.objects.get(is_template=True, code="teachers")
    roadmap = services.create_roadmap_from_template(
        template=template, by=curator, year=year, organization=organization
    )
    roadmap.adoption_protocol_number = "1"
    roadmap.adopted_on = datetime.date(year, 8, 30)
    roadmap.approval_order_number = (
        f"{data.ROADMAP_ORDER_NUMBER}{organization.order_number_suffix}"
    )
    roadmap.approval_order_on = datetime.date(year, 9, 1)
    roadmap.save(
        update_fields=[
            "adoption_protocol_number",
            "adopted_on",
            "approval_order_number",
            "approval_order_on",
        ]
    )
    activities = Activity.objects.filter(stage__roadmap=roadmap)
    for activity in activities:
        people = [curator_person]
        if activity.code in DIRECTOR_CODES:
            people = [director, curator_person]
        if activity.code in PSYCHOLOGIST_CODES:
            people = [psychologist]
        activity.responsible.set(people)
        activity.responsible_roles = (
            "наставники" if "Наставники" in activity.responsible_roles else ""
        )
        if activity.code in (LATE_CODE, SOON_CODE):
            offset = -LATE_BY if activity.code == LATE_CODE else SOON_IN
            day = today + datetime.timedelta(days=offset)
            activity.deadline_text = f"до {day:%d.%m.%Y}"
            services.apply_deadline(activity, year=year)
        activity.save()
    for activity in activities.order_by("ends_on"):
        if activity.code in (LATE_CODE, SOON_CODE) or activity.ends_on is None:
            continue
        if activity.ends_on < today:
            services.set_activity_status(
                by=curator,
                activity=activity,
                status=Activity.Status.DONE,
                done_on=activity.ends_on - datetime.timedelta(days=3),
            )
        elif activity.starts_on <= today:
            services.set_activity_status(
                by=curator, activity=activity, status=Activity.Status.IN_PROGRESS
            )
    # The school's signed pair order proves «Формирование наставнических пар»,
    # as signing it does for a real school (roadmap.receivers).
    pairs = activities.filter(code="form_pairs").first()
    order = (
        Order.objects.filter(
            organization=organization, kind=Order.Kind.PAIRS, status=Order.Status.SIGNED
        )
        .order_by("signed_on")
        .first()
    )
    if pairs is not None and order is not None:
        signed_on = order.signed_on
        services.set_activity_status(
            by=curator, activity=pairs, status=Activity.Status.DONE, done_on=signed_on
        )
        services.add_evidence(
            by=curator,
            activity=pairs,
            obj=order,
            title=f"Приказ от {signed_on:%d.%m.%Y} № {order.full_number} «{order.title}»",
            url=reverse("mentoring:order-pdf", args=[order.pk]),
        )
    return roadmap
