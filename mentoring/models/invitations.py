"""One-time invitations to set a password for a login created in bulk."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .base import scope_by_role


class InvitationQuerySet(models.QuerySet):
    def visible_to(self, user):
        return scope_by_role(
            self,
            user,
            org="user__organization_id",
            district="user__organization__district_id",
        )


class Invitation(models.Model):
    """A one-time link (mailed) or code (printed on a login slip).

    Only a keyed hash of the token is stored: a leaked table or backup opens
    no account. A row is spent once (`used_at`) and ends at `expires_at`.
    """

    class Channel(models.TextChoices):
        EMAIL = "email", _("письмо")
        SLIP = "slip", _("бланк входа")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("учётная запись"),
        on_delete=models.CASCADE,
        related_name="invitations",
    )
    token_hash = models.CharField(_("отпечаток кода"), max_length=64, unique=True)
    channel = models.CharField(_("способ"), max_length=10, choices=Channel.choices)
    created_at = models.DateTimeField(_("создано"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("кем создано"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    expires_at = models.DateTimeField(_("действует до"))
    used_at = models.DateTimeField(_("использовано"), null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("приглашение")
        verbose_name_plural = _("приглашения")
        ordering = ["-created_at"]

    def __str__(self):
        return str(self.user)

    def is_expired(self, at=None) -> bool:
        return (at or timezone.now()) >= self.expires_at
