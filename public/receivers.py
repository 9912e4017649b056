"""What changes a public page: the rows it shows, and the consents that
decide whose name it may show. Each save or delete raises the version of
the organizations concerned (public.cache) once the change commits."""

from __future__ import annotations

from django.db.models.signals import m2m_changed, post_delete, post_save

from mentoring.models import (
    Consent,
    District,
    Order,
    OrderItem,
    OrderReward,
    Organization,
    Pair,
    Person,
)
from roadmap.models import Activity, Roadmap, Stage

from .cache import raise_version
from .models import Post, PublicDocument


def _roadmap_organizations(roadmap_id) -> list[int]:
    roadmap = Roadmap.objects.filter(pk=roadmap_id).values(
        "organization_id", "district_id"
    )
    row = roadmap.first()
    if row is None:
        return []
    if row["organization_id"]:
        return [row["organization_id"]]
    # A district's roadmap is shown on none of the schools' pages today, but
    # its name is on the district page: raise them all.
    return list(
        Organization.objects.filter(district_id=row["district_id"]).values_list(
            "pk", flat=True
        )
    )


def _person_organization(person_id) -> list[int]:
    return list(
        Person.objects.filter(pk=person_id).values_list("organization_id", flat=True)
    )


def _order_organization(order_id) -> list[int]:
    return list(
        Order.objects.filter(pk=order_id).values_list("organization_id", flat=True)
    )


# model → the organizations a saved or deleted row of it concerns
CONCERNS = {
    Organization: lambda row: [row.pk],
    District: lambda row: list(
        Organization.objects.filter(district_id=row.pk).values_list("pk", flat=True)
    ),
    Person: lambda row: [row.organization_id],
    Consent: lambda row: _person_organization(row.person_id),
    Order: lambda row: [row.organization_id],
    OrderItem: lambda row: _order_organization(row.order_id),
    OrderReward: lambda row: _order_organization(row.order_id),
    Pair: lambda row: [row.organization_id],
    Roadmap: lambda row: (
        [row.organization_id] if row.organization_id else _roadmap_organizations(row.pk)
    ),
    Stage: lambda row: _roadmap_organizations(row.roadmap_id),
    Activity: lambda row: _roadmap_organizations(
        Stage.objects.filter(pk=row.stage_id).values("roadmap_id")[:1]
    ),
    Post: lambda row: [row.organization_id],
    PublicDocument: lambda row: [row.organization_id],
}


def page_content_changed(sender, instance, raw=False, **kwargs) -> None:
    if raw:  # loaddata: no cache to keep in step
        return
    raise_version(CONCERNS[sender](instance))


def responsible_changed(sender, instance, action, **kwargs) -> None:
    if action in ("post_add", "post_remove", "post_clear") and isinstance(
        instance, Activity
    ):
        page_content_changed(Activity, instance)


def connect() -> None:
    for model in CONCERNS:
        uid = f"public.page_content_changed.{model._meta.label_lower}"
        post_save.connect(page_content_changed, sender=model, dispatch_uid=uid)
        post_delete.connect(page_content_changed, sender=model, dispatch_uid=uid)
    m2m_changed.connect(
        responsible_changed,
        sender=Activity.responsible.through,
        dispatch_uid="public.responsible_changed",
    )
