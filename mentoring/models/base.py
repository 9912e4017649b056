"""What every model module shares: roles, the access rule, upload checks."""

from __future__ import annotations

import datetime
import logging
import uuid
from collections.abc import Callable
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)

# Who counts as a minor for consent purposes (152-ФЗ: a legal representative consents).
AGE_OF_MAJORITY = 18


def age_on(birth_date: datetime.date, day: datetime.date) -> int:
    before_birthday = (day.month, day.day) < (birth_date.month, birth_date.day)
    return day.year - birth_date.year - before_birthday


MAX_UPLOAD_BYTES = 10 * 1024 * 1024


def private_upload_path(instance, filename: str) -> str:
    """A random name: the uploader's file name may itself be personal data,
    and a guessable path must never be enough to reach a scan."""
    extension = Path(filename).suffix.lower()[:10]
    folder = instance._meta.model_name + "s"
    return f"{folder}/{timezone.now():%Y}/{uuid.uuid4().hex}{extension}"


def limit_upload_size(file) -> None:
    if file.size > MAX_UPLOAD_BYTES:
        raise ValidationError(
            _("Файл больше 10 МБ: отсканируйте документ с меньшим разрешением."),
            code="file_too_large",
        )


# What a scan may be, told by its first bytes, not by its name: an executable
# renamed .pdf is refused, and a file is served as what it is.
SCAN_SIGNATURES = {
    b"%PDF-": "application/pdf",
    b"\xff\xd8\xff": "image/jpeg",
    b"\x89PNG\r\n\x1a\n": "image/png",
}


def scan_content_type(head: bytes) -> str | None:
    """The content type of a file starting with `head`, if it is a scan we take."""
    for signature, content_type in SCAN_SIGNATURES.items():
        if head.startswith(signature):
            return content_type
    return None


def check_scan_content(file) -> None:
    """A scan is a PDF, JPEG or PNG by its content, whatever its name says."""
    position = file.tell() if hasattr(file, "tell") else 0
    file.seek(0)
    head = file.read(8)
    file.seek(position)
    if scan_content_type(head) is None:
        # The first bytes tell what was tried (MZ: a Windows program), not whose.
        logger.warning("Refused an upload that is no scan; it starts %s", head.hex())
        raise ValidationError(
            _(
                "Файл не похож на скан: по содержимому это не PDF, JPG и не PNG. "
                "Отсканируйте документ заново или сохраните его в одном из этих "
                "форматов."
            ),
            code="not_a_scan",
        )


def scan_field(verbose_name) -> models.FileField:
    """A scanned paper (consent, document, agreement): a PDF, JPEG or PNG by
    its name and its content, at most 10 MB, under a random private name."""
    return models.FileField(
        verbose_name,
        upload_to=private_upload_path,
        blank=True,
        validators=[
            FileExtensionValidator(["pdf", "jpg", "jpeg", "png"]),
            limit_upload_size,
            check_scan_content,
        ],
        help_text=_("PDF, JPG или PNG, не больше 10 МБ."),
    )


class Role(models.TextChoices):
    CURATOR = "curator", _("Куратор")
    DIRECTOR = "director", _("Руководитель")
    PSYCHOLOGIST = "psychologist", _("Педагог-психолог")
    METHODOLOGIST = "methodologist", _("Методист района")
    PARTICIPANT = "participant", _("Участник (наставник, наставляемый)")
    REGIONAL = "regional", _("Региональный центр наставничества")


ORGANIZATION_ROLES = (Role.CURATOR, Role.DIRECTOR, Role.PSYCHOLOGIST)


Where = str | Callable[[int | None], Q]


def scope_by_role(
    qs,
    user,
    *,
    org: Where,
    district: Where,
    participant: Callable | None = None,
):
    """The one place that says who sees what (STYLE.md, «Access scoping»).

    Nobody signed in: nothing; the superuser: everything; a curator, head or
    psychologist: the rows `org` selects for their organization; the
    methodologist: the rows `district` selects for their district; a
    participant: what `participant(user)` returns (nothing if not given).
    The regional centre: nothing. It reads its districts' aggregates only
    (the `regions` app), never a school's records about a person.
    `org` and `district` are a lookup of the organization's or district's id
    (`"pair__organization_id"`), or a function of that id returning a Q
    (a roadmap: the school's own and its district's).
    """
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return qs.none()
    if user.is_superuser:
        return qs
    if user.role in ORGANIZATION_ROLES:
        return qs.filter(_where(org, user.organization_id))
    if user.role == Role.METHODOLOGIST:
        return qs.filter(_where(district, user.district_id))
    if user.role == Role.PARTICIPANT and participant is not None:
        return participant(user)
    return qs.none()


def _where(rule: Where, value: int | None) -> Q:
    return Q(**{rule: value}) if isinstance(rule, str) else rule(value)


class ScopedByOrganizationQuerySet(models.QuerySet):
    """Rows that belong to an organization (STYLE.md, «Access scoping»).

    Participants see what `for_participant` gives them: nothing, unless the
    model says otherwise.
    """

    def for_organization(self, organization_id):
        return self.filter(organization_id=organization_id)

    def for_district(self, district_id):
        return self.filter(organization__district_id=district_id)

    def for_participant(self, user):
        return self.none()

    def visible_to(self, user):
        return scope_by_role(
            self,
            user,
            org="organization_id",
            district="organization__district_id",
            participant=self.for_participant,
        )


class ScopedByPersonQuerySet(models.QuerySet):
    """Rows that belong to a person: seen where the person is seen."""

    def visible_to(self, user):
        return scope_by_role(
            self,
            user,
            org="person__organization_id",
            district="person__organization__district_id",
            participant=lambda u: self.filter(person__user=u),
        )


class ScopedByPairQuerySet(models.QuerySet):
    """Rows that belong to a pair: seen where the pair is seen."""

    def visible_to(self, user):
        # pairs.py builds on this module: find Pair when asked, not at import.
        from .pairs import Pair

        return scope_by_role(
            self,
            user,
            org="pair__organization_id",
            district="pair__organization__district_id",
            participant=lambda u: self.filter(pair__in=Pair.objects.for_participant(u)),
        )
