"""The district's writes: which organizations pilot the model."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from mentoring.dates import short_date
from mentoring.models import Organization, Role, User
from mentoring.services import record_change

from .models import Pilot


def ensure_keeps_district(*, by: User | None, organization: Organization) -> None:
    """The district's methodologist chooses its pilots; nobody else but the
    administrator (`by=None` is the system: demo data, commands)."""
    if by is None or by.is_superuser:
        return
    if by.role == Role.METHODOLOGIST and by.district_id == organization.district_id:
        return
    raise ValidationError(
        _("Пилотные площадки района «%(district)s» выбирает его методист.")
        % {"district": organization.district},
        code="forbidden",
    )


@transaction.atomic
def save_pilot(
    *,
    by: User | None,
    organization: Organization,
    since: datetime.date,
    basis: str = "",
) -> Pilot:
    """Make the organization a pilot from `since`, or correct its date and basis."""
    ensure_keeps_district(by=by, organization=organization)
    pilot = Pilot.objects.select_for_update().filter(organization=organization).first()
    created = pilot is None
    if created:
        pilot = Pilot(organization=organization)
    pilot.since, pilot.basis = since, basis
    pilot.full_clean()
    pilot.save()
    message = (
        _("Организация стала пилотной площадкой с %(day)s.")
        if created
        else _("Пилотная площадка: дата или основание изменены (с %(day)s).")
    )
    record_change(
        actor=by,
        obj=pilot,
        action="pilot.saved",
        organization=organization,
        message=message % {"day": short_date(since)},
        data={"since": since.isoformat(), "basis": basis},
    )
    return pilot


@transaction.atomic
def remove_pilot(*, by: User | None, pilot: Pilot) -> None:
    pilot = (
        Pilot.objects.select_for_update()
        .select_related("organization")
        .get(pk=pilot.pk)
    )
    ensure_keeps_district(by=by, organization=pilot.organization)
    record_change(
        actor=by,
        obj=pilot,
        action="pilot.removed",
        organization=pilot.organization,
        message=_("Организация больше не пилотная площадка."),
        data={"since": pilot.since.isoformat()},
    )
    pilot.delete()
