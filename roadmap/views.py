import io

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mentoring.access import STAFF, deny_unless, has_role, role_required
from mentoring.models import Role
from mentoring.params import int_param
from mentoring.pdf import pdf_response

from . import documents, selectors, services
from .forms import RoadmapFromTemplateForm
from .models import Activity, Roadmap

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Every staff role reads roadmaps; these keep them (the school's curator and
# head, the district's methodologist: `services.ensure_can_edit_roadmap`).
EDITORS = (Role.CURATOR, Role.DIRECTOR, Role.METHODOLOGIST)


def _roadmap(request, pk) -> Roadmap:
    return get_object_or_404(
        Roadmap.objects.visible_to(request.user).select_related(
            "organization", "district"
        ),
        pk=pk,
    )


@role_required(*STAFF)
def roadmap_list(request):
    return render(
        request,
        "roadmap/list.html",
        {
            "roadmaps": selectors.roadmaps_for_user(user=request.user)[:100],
            "can_create": has_role(request.user, EDITORS),
        },
    )


@role_required(*STAFF)
def roadmap_detail(request, pk):
    roadmap = _roadmap(request, pk)
    person = int_param(request.GET.get("person"))
    overview = selectors.roadmap_overview(
        roadmap=roadmap, today=timezone.localdate(), person_id=person
    )
    return render(
        request,
        "roadmap/detail.html",
        {
            "overview": overview,
            "roadmap": roadmap,
            "person": person,
            "can_edit": services.can_edit_roadmap(user=request.user, roadmap=roadmap),
        },
    )


@role_required(*EDITORS, seen_by=STAFF)
def roadmap_create(request):
    form = RoadmapFromTemplateForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        user = request.user
        owner = (
            {"district": user.district}
            if user.role == Role.METHODOLOGIST
            else {"organization": user.organization}
        )
        try:
            roadmap = services.create_roadmap_from_template(
                template=form.cleaned_data["template"],
                by=user,
                year=form.cleaned_data["year"],
                **owner,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("Дорожная карта создана. Уточните ответственных и сроки."),
            )
            return redirect("roadmap:detail", roadmap.pk)
    return render(request, "roadmap/create.html", {"form": form})


@role_required(*EDITORS, seen_by=STAFF)
@require_POST
def activity_status(request, pk):
    activity = get_object_or_404(
        Activity.objects.visible_to(request.user).select_related("stage__roadmap"),
        pk=pk,
    )
    # A school reads its district's roadmap but does not mark its activities.
    deny_unless(
        services.can_edit_roadmap(user=request.user, roadmap=activity.stage.roadmap)
    )
    status = request.POST.get("status", "")
    if status not in Activity.Status.values:
        raise Http404
    try:
        services.set_activity_status(by=request.user, activity=activity, status=status)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Статус мероприятия изменён."))
    return redirect("roadmap:detail", activity.stage.roadmap_id)


@role_required(*STAFF)
def roadmap_pdf(request, pk):
    roadmap = _roadmap(request, pk)
    return pdf_response(
        documents.roadmap_pdf(roadmap), documents.file_name(roadmap, "pdf")
    )


@role_required(*STAFF)
def roadmap_xlsx(request, pk):
    roadmap = _roadmap(request, pk)
    return FileResponse(
        io.BytesIO(documents.roadmap_xlsx(roadmap)),
        as_attachment=True,
        filename=documents.file_name(roadmap, "xlsx"),
        content_type=XLSX,
    )


@role_required(*STAFF)
def roadmap_print(request, pk):
    roadmap = _roadmap(request, pk)
    return render(request, "roadmap/print.html", documents.document_context(roadmap))
