from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegionsConfig(AppConfig):
    name = "regions"
    verbose_name = _("Регион")

    def ready(self):
        from mentoring.home import register_panel
        from mentoring.models import Role

        from .views import home_panel

        # The regional centre's home page leads to its one table.
        register_panel(
            name="regions:districts",
            roles=[Role.REGIONAL],
            template="mentoring/panels/list.html",
            context=home_panel,
            order=10,
        )
