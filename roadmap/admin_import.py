"""The admin's roadmap import: upload, a mapping step when a header is not
one schools use, a preview of what is added, changed and removed, confirm.

The uploaded file waits in a temporary directory under a random token kept
in the session, so the confirm reads the very file the preview showed;
the plan is made again at confirm against the roadmap as it is then.
"""

from __future__ import annotations

import secrets
import tempfile
import time
from pathlib import Path

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mentoring.dates import academic_year
from mentoring.imports import check_size
from mentoring.models import Organization

from . import services
from .importing import (
    ROLES,
    SKIP,
    ImportFailed,
    NeedsMapping,
    plan_import,
    read_roadmap_file,
)
from .models import Roadmap

SESSION_KEY = "roadmap_imports"
ALLOWED = (".docx", ".xlsx", ".xls", ".ods", ".csv")


def _upload_dir() -> Path:
    path = Path(tempfile.gettempdir()) / "nastavnik-roadmap-imports"
    path.mkdir(mode=0o700, exist_ok=True)
    return path


def _forget_abandoned() -> None:
    """Uploads never confirmed go after a day, so the directory stays small."""
    stale = time.time() - 24 * 3600
    for path in _upload_dir().iterdir():
        if path.stat().st_mtime < stale:
            path.unlink(missing_ok=True)


class RoadmapFileForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Файл дорожной карты"),
        help_text=gettext_lazy(
            "Документ Word (.docx) с таблицей или таблица XLSX, XLS, ODS, CSV "
            "(UTF-8 или Windows-1251, разделитель «;» или «,»), до 5 МБ."
        ),
    )
    roadmap = forms.ModelChoiceField(
        label=gettext_lazy("Обновить дорожную карту"),
        queryset=Roadmap.objects.none(),
        required=False,
        empty_label=gettext_lazy("— загрузить как новую —"),
    )
    organization = forms.ModelChoiceField(
        label=gettext_lazy("Организация (для новой)"),
        queryset=Organization.objects.none(),
        required=False,
    )
    year = forms.IntegerField(
        label=gettext_lazy("Учебный год (начало, для новой)"),
        required=False,
        min_value=2000,
        max_value=2100,
        help_text=gettext_lazy("Не указан — из заголовка документа («на 2025-2026»)."),
    )

    def __init__(self, *args, user, editable, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["roadmap"].queryset = editable
        organizations = Organization.objects.visible_to(user)
        if not user.is_superuser and user.organization_id:
            organizations = organizations.filter(pk=user.organization_id)
        self.fields["organization"].queryset = organizations

    def clean_file(self):
        file = self.cleaned_data["file"]
        if not file.name.lower().endswith(ALLOWED):
            raise ValidationError(
                _("Загрузите DOCX, XLSX, XLS, ODS или CSV; «%(name)s» не из них.")
                % {"name": file.name}
            )
        # The limit of every import, before the file is kept for the preview.
        check_size(file.size, name=file.name)
        return file

    def clean(self):
        data = super().clean()
        if data.get("roadmap") is None and not (
            data.get("organization")
            or self.user.organization_id
            or self.user.district_id
        ):
            raise ValidationError(
                _("Выберите дорожную карту для обновления или организацию для новой.")
            )
        return data


def _mapping_from(post, count: int) -> dict[int, str] | None:
    if f"column_{0}" not in post:
        return None
    return {i: post.get(f"column_{i}", SKIP) for i in range(count)}


def import_view(model_admin, request, editable):
    """One URL, three steps told apart by the POST's `step`."""
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "title": _("Загрузка дорожной карты из файла"),
        "roles": [(SKIP, _("не загружать")), *[(k, str(v)) for k, v in ROLES.items()]],
    }
    store = request.session.get(SESSION_KEY, {})
    step = request.POST.get("step", "upload") if request.method == "POST" else None
    initial = {"roadmap": request.GET.get("roadmap")}
    if step == "upload":
        form = RoadmapFileForm(
            request.POST, request.FILES, user=request.user, editable=editable
        )
        if not form.is_valid():
            return _render(request, context, form=form)
        _forget_abandoned()
        token = secrets.token_urlsafe(16)
        upload = form.cleaned_data["file"]
        (_upload_dir() / token).write_bytes(upload.read())
        roadmap = form.cleaned_data["roadmap"]
        organization = form.cleaned_data["organization"]
        job = {
            "name": upload.name,
            "roadmap": roadmap.pk if roadmap else None,
            "organization": organization.pk
            if organization
            else (None if roadmap else request.user.organization_id),
            "district": None
            if roadmap or organization or request.user.organization_id
            else request.user.district_id,
            "year": form.cleaned_data["year"],
        }
        store[token] = job
        request.session[SESSION_KEY] = store
        return _preview(request, context, token, job, mapping=None, editable=editable)
    if step in ("mapping", "confirm"):
        token = request.POST.get("token", "")
        job = store.get(token)
        if job is None or not (_upload_dir() / token).is_file():
            messages.error(request, _("Загрузка устарела: выберите файл ещё раз."))
            return HttpResponseRedirect(request.path)
        count = int(request.POST.get("columns", "0") or 0)
        mapping = _mapping_from(request.POST, count)
        return _preview(
            request,
            context,
            token,
            job,
            mapping=mapping,
            editable=editable,
            confirm=step == "confirm",
        )
    form = RoadmapFileForm(initial=initial, user=request.user, editable=editable)
    return _render(request, context, form=form)


def _render(request, context, **extra):
    return TemplateResponse(
        request, "admin/roadmap/roadmap/import.html", {**context, **extra}
    )


def _preview(request, context, token, job, *, mapping, editable, confirm=False):
    content = (_upload_dir() / token).read_bytes()
    roadmap = editable.filter(pk=job["roadmap"]).first() if job["roadmap"] else None
    if job["roadmap"] and roadmap is None:
        messages.error(request, _("Эту дорожную карту вам не изменить."))
        return HttpResponseRedirect(request.path)
    organization = (
        Organization.objects.filter(pk=job["organization"]).first()
        if job["organization"]
        else None
    )
    context = {**context, "token": token, "job": job}
    try:
        parsed = read_roadmap_file(job["name"], content, mapping=mapping)
        year = job["year"] or parsed.year or academic_year()
        organization_id = roadmap.organization_id if roadmap else job["organization"]
        plan = plan_import(
            parsed, roadmap=roadmap, organization_id=organization_id, year=year
        )
        if confirm:
            written = services.import_roadmap(
                by=request.user,
                plan=plan,
                year=year,
                organization=organization,
                district=request.user.district if job["district"] else None,
            )
    except NeedsMapping as error:
        return _render(
            request,
            context,
            needs_mapping=error,
            columns=list(
                zip(range(len(error.headers)), error.headers, error.guess, strict=True)
            ),
        )
    except (ImportFailed, ValidationError) as error:
        return _render(
            request, context, errors=error.messages, mapping=_as_fields(mapping)
        )
    if not confirm:
        return _render(
            request,
            context,
            plan=plan,
            parsed=parsed,
            year=year,
            target=roadmap,
            mapping=_as_fields(mapping),
        )
    (_upload_dir() / token).unlink(missing_ok=True)
    store = request.session.get(SESSION_KEY, {})
    store.pop(token, None)
    request.session[SESSION_KEY] = store
    counts = plan.counts
    messages.success(
        request,
        _(
            "Дорожная карта загружена: добавлено %(added)s, изменено %(changed)s, "
            "удалено %(removed)s."
        )
        % counts,
    )
    return HttpResponseRedirect(
        reverse("admin:roadmap_roadmap_change", args=[written.pk])
    )


def _as_fields(mapping):
    """The mapping, carried to the next step as hidden fields."""
    if mapping is None:
        return None
    return {"count": len(mapping), "items": sorted(mapping.items())}
