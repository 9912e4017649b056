from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MentoringConfig(AppConfig):
    name = "mentoring"
    verbose_name = _("Наставничество")

    def ready(self):
        from .home import register_panel
        from .models import Role
        from .selectors.batches import batches_panel
        from .validators import attach_text_validators

        # Every app's models are loaded by now, ours and the other apps'.
        attach_text_validators()
        register_panel(
            name="document-batches",
            roles=[Role.CURATOR, Role.DIRECTOR],
            template="mentoring/panels/list.html",
            context=batches_panel,
            order=90,
        )
