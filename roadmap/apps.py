from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RoadmapConfig(AppConfig):
    name = "roadmap"
    verbose_name = _("Дорожная карта")

    def ready(self):
        from mentoring.home import register_panel
        from mentoring.personal_data import register_personal_data_provider
        from mentoring.signals import order_signed

        from .home import ROLES, roadmap_tasks
        from .personal_data import activities_of
        from .receivers import close_activities_of_signed_order

        # A signed order closes its roadmap activity; the core does not know
        # the roadmap exists (the layers contract in pyproject.toml).
        order_signed.connect(
            close_activities_of_signed_order,
            dispatch_uid="roadmap.close_activities_of_signed_order",
        )
        # A person's data export lists what they answer for (152-ФЗ ст. 14).
        register_personal_data_provider(activities_of)
        # The home page lists what the user answers for (issue 14, item 7).
        register_panel(
            name="roadmap-tasks",
            roles=ROLES,
            template="mentoring/panels/list.html",
            context=roadmap_tasks,
            order=50,
        )
