import io

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mentoring.access import EVERYONE, STAFF, deny_unless, has_role, role_required
from mentoring.models import MentorProfile, Role
from mentoring.params import int_param
from mentoring.pdf import pdf_response

from . import documents, selectors, services
from .forms import EventForm
from .models import Event, Registration

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Curators and heads put their school's mentors down; the methodologist any
# of the district's.
REGISTRARS = (Role.CURATOR, Role.DIRECTOR, Role.METHODOLOGIST)


def _event(request, pk) -> Event:
    return get_object_or_404(
        Event.objects.visible_to(request.user).select_related("district"), pk=pk
    )


def _show(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


@role_required(*EVERYONE)
def event_list(request):
    past = request.GET.get("past") == "1"
    return render(
        request,
        "events/list.html",
        {
            "events": selectors.events_for_user(user=request.user, upcoming=not past)[
                :100
            ],
            "past": past,
            "can_create": has_role(request.user, [Role.METHODOLOGIST]),
            "staff": has_role(request.user, STAFF),
        },
    )


@role_required(Role.METHODOLOGIST, seen_by=STAFF)
def event_create(request):
    user = request.user
    form = EventForm(
        request.POST or None,
        choose_district=user.is_superuser,
        submit=_("Создать мероприятие"),
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        district = data.pop("district", None) or user.district
        try:
            event = services.save_event(by=user, district=district, **data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _(
                    "Мероприятие создано. Школы района видят его и записывают "
                    "наставников."
                ),
            )
            return redirect("events:detail", event.pk)
    return render(request, "events/form.html", {"form": form, "event": None})


@role_required(Role.METHODOLOGIST, seen_by=STAFF)
def event_edit(request, pk):
    event = _event(request, pk)
    deny_unless(services.can_manage_event(user=request.user, event=event))
    form = EventForm(
        request.POST or None,
        instance=event,
        choose_district=False,
        submit=_("Сохранить"),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.save_event(
                by=request.user,
                event=event,
                district=event.district,
                **form.cleaned_data,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Мероприятие сохранено."))
            return redirect("events:detail", event.pk)
    return render(request, "events/form.html", {"form": form, "event": event})


@role_required(*EVERYONE)
def event_detail(request, pk):
    user = request.user
    event = _event(request, pk)
    today = timezone.localdate()
    can_manage = services.can_manage_event(user=user, event=event)
    can_register = can_manage or (has_role(user, REGISTRARS) and event.ends_on >= today)
    registrations = list(selectors.registrations_of(event=event, user=user))
    return render(
        request,
        "events/detail.html",
        {
            "event": event,
            "registrations": registrations,
            "can_manage": can_manage,
            "can_register": can_register,
            "candidates": (
                list(selectors.mentors_to_register(event=event, user=user))
                if can_register
                else []
            ),
            "attendance_open": can_manage and event.starts_on <= today,
            "staff": has_role(user, STAFF),
            "attended": sum(r.attended for r in registrations),
        },
    )


@role_required(*REGISTRARS, seen_by=STAFF)
@require_POST
def register(request, pk):
    event = _event(request, pk)
    mentor = get_object_or_404(
        MentorProfile.objects.visible_to(request.user),
        pk=int_param(request.POST.get("mentor")),
    )
    try:
        registration = services.register_mentor(
            event=event, mentor=mentor, by=request.user
        )
    except ValidationError as error:
        _show(request, error)
    else:
        messages.success(
            request,
            _("%(name)s записан(а) на мероприятие.")
            % {"name": registration.mentor.person.full_name},
        )
    return redirect("events:detail", event.pk)


@role_required(*REGISTRARS, seen_by=STAFF)
@require_POST
def unregister(request, pk):
    registration = get_object_or_404(
        Registration.objects.visible_to(request.user).select_related("mentor__person"),
        pk=pk,
    )
    try:
        services.unregister_mentor(registration=registration, by=request.user)
    except ValidationError as error:
        _show(request, error)
    else:
        messages.success(
            request,
            _("%(name)s снят(а) с мероприятия.")
            % {"name": registration.mentor.person.full_name},
        )
    return redirect("events:detail", registration.event_id)


@role_required(Role.METHODOLOGIST, seen_by=STAFF)
@require_POST
def attendance(request, pk):
    event = _event(request, pk)
    deny_unless(services.can_manage_event(user=request.user, event=event))
    present = [int_param(v) for v in request.POST.getlist("present")]
    try:
        marked, unmarked = services.mark_attendance(
            event=event, present=[p for p in present if p is not None], by=request.user
        )
    except ValidationError as error:
        _show(request, error)
    else:
        messages.success(
            request,
            _(
                "Присутствие отмечено: добавлено %(marked)s, снято %(unmarked)s. "
                "Обучение записано в карточки наставников."
            )
            % {"marked": marked, "unmarked": unmarked},
        )
    return redirect("events:detail", event.pk)


@role_required(Role.METHODOLOGIST, seen_by=STAFF)
def sheet_pdf(request, pk):
    event = _event(request, pk)
    return pdf_response(
        documents.sheet_pdf(event), documents.sheet_filename(event, "pdf")
    )


@role_required(Role.METHODOLOGIST, seen_by=STAFF)
def sheet_xlsx(request, pk):
    event = _event(request, pk)
    return FileResponse(
        io.BytesIO(documents.sheet_xlsx(event)),
        as_attachment=True,
        filename=documents.sheet_filename(event, "xlsx"),
        content_type=XLSX,
    )
