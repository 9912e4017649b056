"""The people import in the back office: upload, map columns, preview, confirm."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mentoring.imports import MAX_ROWS, MAX_UPLOAD_BYTES, read_table, records
from mentoring.imports.people import FIELDS, KINDS, template_xlsx
from mentoring.imports.uploads import drop_upload, keep_upload, kept_upload
from mentoring.models import Organization, Role
from mentoring.services import people_import, records_import

SESSION_KEY = "people_imports"
NOT_LOADED = "-"
# People first, then their consents, then the banks that need those consents.
ALL_KINDS = {**KINDS, **records.KINDS}
TEMPLATE_NAMES = {
    "staff": "shablon-rabotniki.xlsx",
    "students": "shablon-obuchayushchiesya.xlsx",
    records.CONSENTS: "shablon-soglasiya.xlsx",
    records.MENTORS: "shablon-bank-nastavnikov.xlsx",
    records.MENTEES: "shablon-bank-nastavlyaemyh.xlsx",
}

PERSONS = "admin:mentoring_person_changelist"
# After confirming, the list the file went into.
AFTER_IMPORT = {
    records.CONSENTS: "admin:mentoring_consent_changelist",
    records.MENTORS: "admin:mentoring_mentorprofile_changelist",
    records.MENTEES: "admin:mentoring_menteeprofile_changelist",
}


def fields_of(kind: str) -> dict:
    return FIELDS if kind in KINDS else records.fields_for(kind)


class UploadForm(forms.Form):
    organization = forms.ModelChoiceField(
        label=gettext_lazy("Организация"), queryset=Organization.objects.none()
    )
    kind = forms.ChoiceField(label=gettext_lazy("Что загружаем"), choices=[])
    file = forms.FileField(
        label=gettext_lazy("Файл"),
        help_text=gettext_lazy("XLSX, XLS, ODS или CSV, до 10 МБ и 50 000 строк."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = Organization.objects.visible_to(user)
        self.fields["kind"].choices = [
            (k, str(v).capitalize()) for k, v in ALL_KINDS.items()
        ]
        if user.organization_id and not user.is_superuser:
            self.fields["organization"].initial = user.organization_id
            self.fields["organization"].widget = forms.HiddenInput()


class MappingForm(forms.Form):
    """One choice per column we could not place."""

    def __init__(self, *args, headers, fields=FIELDS, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", _("— выберите —")), (NOT_LOADED, _("Не загружать"))]
        choices += [(name, label) for name, (label, _aliases) in fields.items()]
        self.headers = headers
        for index, header in enumerate(headers):
            self.fields[f"column_{index}"] = forms.ChoiceField(
                label=header, choices=choices
            )

    def mapping(self) -> dict[str, str]:
        return {
            header: ("" if value == NOT_LOADED else value)
            for header, value in zip(
                self.headers,
                (self.cleaned_data[f"column_{i}"] for i in range(len(self.headers))),
                strict=True,
            )
        }


def _may_import(request) -> bool:
    user = request.user
    return user.is_superuser or user.role in (Role.CURATOR, Role.DIRECTOR)


def import_urls(model_admin) -> list:
    site = model_admin.admin_site

    def wrap(view):
        def wrapped(request, *args, **kwargs):
            if not (model_admin.has_add_permission(request) and _may_import(request)):
                raise PermissionDenied
            return view(model_admin, request, *args, **kwargs)

        return site.admin_view(wrapped)

    return [
        path("import/", wrap(upload_view), name="mentoring_person_import"),
        path(
            "import/template/<str:kind>/",
            wrap(template_view),
            name="mentoring_person_import_template",
        ),
        path(
            "import/<str:token>/",
            wrap(preview_view),
            name="mentoring_person_import_preview",
        ),
    ]


def _context(model_admin, request, **extra):
    return {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "kinds": [(k, str(v)) for k, v in ALL_KINDS.items()],
        "max_rows": MAX_ROWS,
        "max_megabytes": MAX_UPLOAD_BYTES // (1024 * 1024),
        **extra,
    }


def upload_view(model_admin, request):
    form = UploadForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            table = read_table(upload, name=upload.name)
        except ValidationError as error:
            form.add_error("file", error)
        else:
            token = keep_upload(table)
            pending = request.session.get(SESSION_KEY, {})
            pending[token] = {
                "name": upload.name[:200],
                "kind": form.cleaned_data["kind"],
                "organization": form.cleaned_data["organization"].pk,
            }
            request.session[SESSION_KEY] = pending
            return HttpResponseRedirect(
                reverse("admin:mentoring_person_import_preview", args=[token])
            )
    return render(
        request,
        "admin/mentoring/person/import.html",
        _context(model_admin, request, title=_("Загрузка участников"), form=form),
    )


def template_view(model_admin, request, kind):
    if kind not in ALL_KINDS:
        raise Http404
    response = HttpResponse(
        template_xlsx(kind) if kind in KINDS else records.template_xlsx(kind),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    name = TEMPLATE_NAMES[kind]
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def preview_view(model_admin, request, token):
    pending = request.session.get(SESSION_KEY, {}).get(token)
    table = kept_upload(token) if pending else None
    if table is None:
        messages.error(request, _("Файл не найден: загрузите его снова."))
        return HttpResponseRedirect(reverse("admin:mentoring_person_import"))
    organization = (
        Organization.objects.visible_to(request.user)
        .filter(pk=pending["organization"])
        .first()
    )
    if organization is None:
        raise Http404
    kind = pending["kind"]
    action = request.POST.get("action")
    try:
        if request.method == "POST" and action == "confirm":
            write = (
                people_import.import_people
                if kind in KINDS
                else records_import.import_records
            )
            result = write(
                organization=organization,
                kind=kind,
                table=table,
                by=request.user,
                file_name=pending["name"],
            )
            _forget(request, token)
            messages.success(request, _("Список загружен. ") + result.summary())
            return HttpResponseRedirect(reverse(AFTER_IMPORT.get(kind, PERSONS)))
        if request.method == "POST" and action == "cancel":
            _forget(request, token)
            messages.info(request, _("Загрузка отменена, ничего не записано."))
            return HttpResponseRedirect(reverse("admin:mentoring_person_changelist"))
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return HttpResponseRedirect(request.get_full_path())
    read = (
        people_import.preview_people_import
        if kind in KINDS
        else records_import.preview_records_import
    )
    preview = read(organization=organization, kind=kind, table=table)
    mapping_form = None
    unknown = preview.unknown_headers
    if unknown:
        mapping_form = MappingForm(
            request.POST if action == "map" else None,
            headers=unknown,
            fields=fields_of(kind),
        )
        if action == "map" and mapping_form.is_valid():
            try:
                people_import.remember_column_mapping(
                    organization=organization,
                    kind=kind,
                    mapping=mapping_form.mapping(),
                    by=request.user,
                )
            except ValidationError as error:
                for message in error.messages:
                    messages.error(request, message)
            return HttpResponseRedirect(request.get_full_path())
    return render(
        request,
        "admin/mentoring/person/import_preview.html",
        _context(
            model_admin,
            request,
            title=_("Проверка списка перед загрузкой"),
            preview=preview,
            organization=organization,
            kind_label=ALL_KINDS[kind],
            file_name=pending["name"],
            mapping_form=mapping_form,
            errors=preview.errors[:500],
            more_errors=max(len(preview.errors) - 500, 0),
        ),
    )


def _forget(request, token: str) -> None:
    drop_upload(token)
    pending = request.session.get(SESSION_KEY, {})
    pending.pop(token, None)
    request.session[SESSION_KEY] = pending
