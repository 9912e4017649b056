"""Admin actions that create logins in bulk (services/logins.py)."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mentoring import documents, services
from mentoring.models import Invitation, Role
from mentoring.pdf import pdf_response

from .base import ScopedAdminMixin, report_errors


def create_logins_for(modeladmin, request, persons, *, role=Role.PARTICIPANT):
    return _answer(
        modeladmin,
        request,
        lambda: services.create_logins(persons=persons, by=request.user, role=role),
    )


def _answer(modeladmin, request, run):
    """Run the service, report, and answer with the slips' PDF if any.

    A code exists in clear only in this response: it is never stored, so the
    slips are printed now (or new codes issued later by a new invitation).
    """
    try:
        result = run()
    except ValidationError as error:
        report_errors(modeladmin, request, error)
        return None
    for _person, why in result.refused:
        modeladmin.message_user(request, why, level=messages.ERROR)
    for _person, why in result.skipped:
        modeladmin.message_user(request, why, level=messages.WARNING)
    if result.invited:
        modeladmin.message_user(
            request,
            _("Приглашения отправлены на эл. почту: %(n)s.")
            % {"n": len(result.invited)},
            level=messages.SUCCESS,
        )
    if not result.slips:
        return None
    modeladmin.message_user(
        request,
        _(
            "Бланки входа — в скачанном PDF: %(n)s. Коды нигде не хранятся: "
            "распечатайте бланки сейчас."
        )
        % {"n": len(result.slips)},
        level=messages.SUCCESS,
    )
    return pdf_response(
        documents.login_slips_pdf(slips=result.slips),
        documents.login_slips_filename(),
        inline=False,
    )


@admin.action(
    description=gettext_lazy("Создать учётные записи (приглашение или бланк входа)"),
    permissions=["change"],
)
def create_participant_logins(modeladmin, request, queryset):
    """From a bank: the selected profiles' people become participants."""
    return create_logins_for(modeladmin, request, _persons(queryset))


@admin.action(
    description=gettext_lazy("Выдать новое приглашение (письмо или бланк входа)"),
    permissions=["change"],
)
def renew_participant_invitations(modeladmin, request, queryset):
    """Lost slip, expired link, forgotten password: a new one-time code."""
    persons = _persons(queryset)
    return _answer(
        modeladmin,
        request,
        lambda: services.renew_invitations(persons=persons, by=request.user),
    )


def _persons(queryset) -> list:
    # The banks list profiles, the persons list persons.
    if queryset.model._meta.model_name == "person":
        return list(queryset)
    return [profile.person for profile in queryset.select_related("person")]


def _staff_action(role: Role, description):
    def action(modeladmin, request, queryset):
        return create_logins_for(modeladmin, request, list(queryset), role=role)

    action.__name__ = f"create_{role.value}_logins"
    return admin.action(description=description, permissions=["change"])(action)


# Only the administrator sees these (PersonAdmin.get_actions); the service
# refuses anyone else too.
STAFF_LOGIN_ACTIONS = [
    _staff_action(Role.CURATOR, gettext_lazy("Создать учётную запись куратора")),
    _staff_action(Role.DIRECTOR, gettext_lazy("Создать учётную запись руководителя")),
    _staff_action(
        Role.PSYCHOLOGIST, gettext_lazy("Создать учётную запись педагога-психолога")
    ),
]


class InvitationStateFilter(admin.SimpleListFilter):
    title = gettext_lazy("состояние")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [
            ("waiting", gettext_lazy("ждёт")),
            ("used", gettext_lazy("использовано")),
            ("expired", gettext_lazy("истекло")),
        ]

    def queryset(self, request, queryset):
        now = timezone.now()
        if self.value() == "waiting":
            return queryset.filter(used_at__isnull=True, expires_at__gt=now)
        if self.value() == "used":
            return queryset.filter(used_at__isnull=False)
        if self.value() == "expired":
            return queryset.filter(used_at__isnull=True, expires_at__lte=now)
        return queryset


@admin.register(Invitation)
class InvitationAdmin(ScopedAdminMixin, admin.ModelAdmin):
    """Who has not set a password yet: a record, never edited (the codes are
    not here); a new one comes by the «new invitation» action."""

    list_display = [
        "person_name",
        "login",
        "channel",
        "created_at",
        "expires_at",
        "used_at",
        "state",
    ]
    list_filter = [InvitationStateFilter, "channel"]
    search_fields = ["user__username", "user__last_name", "user__first_name"]
    list_select_related = ["user"]
    date_hierarchy = "created_at"
    # Its keyed hash opens nothing, but nobody needs to read it either.
    exclude = ["token_hash"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=gettext_lazy("ФИО"), ordering="user__last_name")
    def person_name(self, invitation):
        return invitation.user.get_full_name() or invitation.user.username

    @admin.display(description=gettext_lazy("логин"), ordering="user__username")
    def login(self, invitation):
        return invitation.user.username

    @admin.display(description=gettext_lazy("состояние"))
    def state(self, invitation):
        if invitation.used_at is not None:
            return _("пароль задан")
        if invitation.is_expired():
            return _("истекло")
        return _("ждёт")
