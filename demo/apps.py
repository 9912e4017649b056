from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """The demo school (`load_demo`) and district-scale data (`generate_district`).

    The top layer under `config`: it may use every app, and none uses it.
    """

    name = "demo"
    verbose_name = _("Демонстрационные данные")
