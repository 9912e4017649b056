from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewsConfig(AppConfig):
    name = "reviews"
    verbose_name = _("Экспертиза программ")

    def ready(self):
        from mentoring.home import register_panel
        from mentoring.models import Role

        from .selectors import awaiting_decision_panel, school_reviews_panel

        # The home page is the core's; what waits for a decision is ours.
        register_panel(
            name="reviews-awaiting",
            roles=[Role.METHODOLOGIST],
            template="mentoring/panels/list.html",
            context=awaiting_decision_panel,
            order=60,
        )
        register_panel(
            name="reviews-school",
            roles=[Role.CURATOR, Role.DIRECTOR],
            template="mentoring/panels/list.html",
            context=school_reviews_panel,
            order=60,
        )
