"""Preferences after the group meeting, entered by the curator."""

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from mentoring.models import Preference
from mentoring.services.matching import save_preference

from .base import ScopedAdminMixin


@admin.register(Preference)
class PreferenceAdmin(ScopedAdminMixin, admin.ModelAdmin):
    add_title = _("Новый выбор после общей встречи")
    list_display = ["chooser", "side", "rank", "chosen"]
    list_filter = ["side"]
    list_select_related = ["chooser", "chosen"]
    search_fields = ["chooser__last_name", "chosen__last_name"]
    autocomplete_fields = ["chooser", "chosen"]
    fields = ["side", "chooser", "rank", "chosen"]

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)

        class ServiceChecked(form):
            def clean(self):
                cleaned = super().clean()
                chooser, chosen = cleaned.get("chooser"), cleaned.get("chosen")
                if (
                    chooser
                    and chosen
                    and chooser.organization_id != chosen.organization_id
                ):
                    raise ValidationError(
                        _("%(name)s — из другой организации.")
                        % {"name": chosen.full_name}
                    )
                return cleaned

        return ServiceChecked

    def save_model(self, request, obj, form, change):
        save_preference(preference=obj, by=request.user)
