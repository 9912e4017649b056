"""Third-party apps under the names their admin pages show in Russian."""

from axes.apps import AppConfig as AxesConfig
from django.utils.translation import gettext_lazy as _


class LoginLogConfig(AxesConfig):
    """django-axes: failed logins and lockouts, read by the superuser."""

    verbose_name = _("Журнал входов")
