from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DistrictConfig(AppConfig):
    name = "district"
    verbose_name = _("Район")

    def ready(self):
        from mentoring.home import register_panel
        from mentoring.models import Role

        from .home import attention_panel

        # The methodologist's day starts with the schools that fell behind;
        # the core's home page does not know the district's table exists.
        register_panel(
            name="district-attention",
            roles=[Role.METHODOLOGIST],
            template="mentoring/panels/list.html",
            context=attention_panel,
            order=10,
        )
