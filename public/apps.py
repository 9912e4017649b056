from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicConfig(AppConfig):
    name = "public"
    verbose_name = _("Страница наставничества на сайте")

    def ready(self):
        from .receivers import connect

        # The core does not know public pages exist (the layers contract in
        # pyproject.toml): its changes reach the cached pages through Django's
        # model signals.
        connect()
