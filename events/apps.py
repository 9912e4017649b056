from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "events"
    verbose_name = _("Мероприятия района")

    def ready(self):
        from mentoring.home import register_panel
        from mentoring.models import Role
        from mentoring.personal_data import register_personal_data_provider

        from .personal_data import registrations_of
        from .selectors import home_panel

        # The core's home page knows no satellite: the panel comes from here.
        register_panel(
            name="events",
            roles=[Role.CURATOR, Role.DIRECTOR, Role.METHODOLOGIST, Role.PARTICIPANT],
            template="mentoring/panels/list.html",
            context=home_panel,
            order=60,
        )
        # A person's data export lists the events they were put down for.
        register_personal_data_provider(registrations_of)
