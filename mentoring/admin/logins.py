"""Admin actions that create logins in bulk (services/logins.py)."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mentoring import documents, services
from mentoring.models import Role
from mentoring.pdf import pdf_response

from .base import report_errors


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
