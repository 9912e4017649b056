"""The methodologist's back office: the district's pilot organizations."""

from django.contrib import admin

from mentoring.admin.base import ScopedAdminMixin

from . import services
from .models import Pilot


@admin.register(Pilot)
class PilotAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ("organization", "since", "basis")
    list_select_related = ("organization",)
    list_filter = ("since",)
    search_fields = ("organization__short_name", "organization__full_name")
    fields = ("organization", "since", "basis")
    ordering = ("organization__short_name",)

    def get_readonly_fields(self, request, obj=None):
        # An organization stays the pilot it is; end it and start another.
        return ("organization",) if obj is not None else ()

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        saved = services.save_pilot(
            by=request.user,
            organization=obj.organization,
            since=data["since"],
            basis=data.get("basis", ""),
        )
        obj.pk, obj._state.adding = saved.pk, False

    def delete_model(self, request, obj):
        services.remove_pilot(by=request.user, pilot=obj)
