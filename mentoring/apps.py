from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MentoringConfig(AppConfig):
    name = "mentoring"
    verbose_name = _("Наставничество")

    def ready(self):
        from .validators import attach_text_validators

        # Every app's models are loaded by now, ours and the other apps'.
        attach_text_validators()
