"""Who acts for which organization, and the audit trail of what they did."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from mentoring.models import (
    AuditEntry,
    Organization,
    Role,
    User,
)


def lower_first(text) -> str:
    """«На возложение … (ст. 351.8 ТК РФ)» → «на возложение … ТК РФ»: abbreviations stay."""
    text = str(text)
    return text[:1].lower() + text[1:]


def ensure_acts_for(*, by: User | None, organization: Organization) -> None:
    """Only the organization's own curator or head changes its records.

    `by=None` is the system itself (commands, demo data). The admin scopes
    what a curator sees; this guards every other way into the services.
    """
    if by is None or by.is_superuser:
        return
    if (
        by.role in (Role.CURATOR, Role.DIRECTOR)
        and by.organization_id == organization.pk
    ):
        return
    raise ValidationError(
        _("Нет прав вносить изменения за организацию «%(org)s».")
        % {"org": organization.short_name},
        code="forbidden",
    )


def record_change(
    *,
    actor: User | None,
    obj,
    action: str,
    message: str,
    organization: Organization | None = None,
    data: dict | None = None,
) -> AuditEntry:
    return AuditEntry.objects.create(
        actor=actor if actor and actor.is_authenticated else None,
        organization=organization,
        action=action,
        content_type=ContentType.objects.get_for_model(obj),
        object_id=obj.pk,
        object_repr=str(obj)[:255],
        message=message[:500],
        data=data or {},
    )
