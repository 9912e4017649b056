"""Reads of the public pages: what an anonymous visitor may see of an
organization's mentoring, with names only of people who consented."""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mentoring.dates import short_date
from mentoring.documents import person_post
from mentoring.models import (
    District,
    Order,
    OrderReward,
    Organization,
    Pair,
    Participation,
    Person,
)
from roadmap.models import Activity, Roadmap, Stage

from .models import Post, PublicDocument
from .names import Censor, consented

# A person without a consent to publication, in the order's appendix.
HIDDEN_NAME = _("ФИО не публикуется")


def public_organization(*, pk: int) -> Organization:
    return get_object_or_404(Organization.objects.select_related("district"), pk=pk)


def public_district(*, pk: int) -> District:
    return get_object_or_404(District, pk=pk)


def district_organizations(*, district: District) -> list[Organization]:
    """The district's organizations with what each has published."""
    return list(
        Organization.objects.filter(district=district)
        .annotate(
            documents=Count(
                "public_documents",
                filter=Q(public_documents__is_published=True),
                distinct=True,
            ),
            posts=Count(
                "public_posts",
                filter=Q(public_posts__status=Post.Status.PUBLISHED),
                distinct=True,
            ),
        )
        .order_by("short_name")
    )


def current_roadmap(*, organization: Organization) -> Roadmap | None:
    """The organization's own roadmap of the latest school year begun, its
    stages and activities; responsible people only if they consented."""
    today = timezone.localdate()
    school_year = today.year if today.month >= 9 else today.year - 1
    people = consented(Person.objects.all(), on=today).order_by("last_name")
    activities = Activity.objects.order_by("position", "pk").prefetch_related(
        Prefetch("responsible", queryset=people)
    )
    roadmap = (
        Roadmap.objects.filter(
            organization=organization, is_template=False, year__lte=school_year
        )
        .order_by("-year", "-pk")
        .prefetch_related(
            Prefetch(
                "stages",
                queryset=Stage.objects.order_by("position", "pk").prefetch_related(
                    Prefetch("activities", queryset=activities)
                ),
            )
        )
        .first()
    )
    for stage in roadmap.stages.all() if roadmap else ():
        for activity in stage.activities.all():
            # The roles as written, then the people who consented.
            activity.public_responsible = "; ".join(
                part
                for part in (
                    activity.responsible_roles,
                    ", ".join(
                        p.short_name
                        for p in activity.responsible.all()
                        if p.may_publish
                    ),
                )
                if part
            )
    return roadmap


def published_documents(*, organization: Organization) -> QuerySet[PublicDocument]:
    return (
        PublicDocument.objects.published()
        .filter(organization=organization)
        .select_related("order")
    )


def published_posts(*, organization: Organization, kind: str) -> QuerySet[Post]:
    return Post.objects.published().filter(organization=organization, kind=kind)


def published_document(*, organization: Organization, pk: int) -> PublicDocument:
    """404 for a document not published, whatever its address says."""
    return get_object_or_404(published_documents(organization=organization), pk=pk)


def published_post(*, organization: Organization, pk: int) -> Post:
    return get_object_or_404(
        Post.objects.published().filter(organization=organization), pk=pk
    )


def order_extract(*, order: Order) -> dict:
    """The signed order as the public page shows it: its requisites, the
    preamble and items less every line that names a person without a
    consent to publication, and the appendix with such people unnamed."""
    censor = Censor(organization=order.organization, on=timezone.localdate())
    preamble = [
        paragraph.strip()
        for paragraph in order.preamble.splitlines()
        if paragraph.strip() and not censor.names_hidden(paragraph)
    ]
    items, left_out = [], 0
    for number, item in enumerate(order.items.order_by("position", "pk"), start=1):
        head, *subs = item.lines or [""]
        if censor.names_hidden(head):
            left_out += 1
            continue
        kept = [
            (f"{number}.{position}", sub)
            for position, sub in enumerate(subs, start=1)
            if not censor.names_hidden(sub)
        ]
        left_out += len(subs) - len(kept)
        items.append({"number": number, "head": head, "subs": kept})

    def named(person: Person) -> dict:
        if person.pk in censor.may_publish:
            return {"name": person.full_name, "post": person_post(person)}
        return {"name": HIDDEN_NAME, "post": ""}

    pairs = (
        order.pairs.select_related("form")
        .prefetch_related(
            Prefetch(
                "participations",
                queryset=Participation.objects.select_related("person").order_by(
                    "role", "person__last_name", "person__first_name"
                ),
            )
        )
        .order_by("pk")
    )
    pair_rows = [
        {
            "number": number,
            "mentors": [
                named(p.person)
                for p in pair.participations.all()
                if p.role == Participation.Role.MENTOR
            ],
            "mentees": [
                named(p.person)
                for p in pair.participations.all()
                if p.role == Participation.Role.MENTEE
            ],
            "form": pair.form.name,
            "format": pair.get_format_display(),
            "term": " — ".join(
                short_date(day) for day in (pair.starts_on, pair.ends_on) if day
            ),
        }
        for number, pair in enumerate(pairs, start=1)
    ]
    rewards = [
        {
            "number": number,
            **named(reward.person),
            "kind": reward.get_kind_display(),
        }
        for number, reward in enumerate(
            OrderReward.objects.filter(order=order)
            .select_related("person")
            .order_by("position", "pk"),
            start=1,
        )
    ]
    return {
        "order": order,
        "date": short_date(order.signed_on),
        "number": order.full_number,
        "place": order.place or order.organization.place,
        "preamble": preamble,
        "items": items,
        "left_out": left_out,
        "pair_rows": pair_rows if order.kind == Order.Kind.PAIRS else [],
        "rewards": rewards,
    }


def pairs_by_form(*, organization: Organization) -> list[dict]:
    """How many pairs and groups work now, by form: numbers, no names."""
    return list(
        Pair.objects.filter(organization=organization, status=Pair.Status.ACTIVE)
        .values("form__name")
        .annotate(count=Count("pk"))
        .order_by("form__name")
    )


def districts() -> list[District]:
    return list(
        District.objects.annotate(organization_count=Count("organizations")).order_by(
            "name"
        )
    )
