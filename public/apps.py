from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicConfig(AppConfig):
    name = "public"
    verbose_name = _("Страница наставничества на сайте")

    def ready(self):
        from mentoring.home import register_panel

        from .panels import ROLES, public_page_panel
        from .receivers import connect

        # The core does not know public pages exist (the layers contract in
        # pyproject.toml): its changes reach the cached pages through Django's
        # model signals.
        connect()
        register_panel(
            name="public-page",
            roles=ROLES,
            template="mentoring/panels/list.html",
            context=public_page_panel,
            order=300,
        )
