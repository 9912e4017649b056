from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "surveys"
    verbose_name = _("Анкеты и мониторинг")

    def ready(self):
        from mentoring.home import register_panel
        from mentoring.matching.providers import register_answers_provider
        from mentoring.models import Role
        from mentoring.personal_data import register_personal_data_provider
        from mentoring.portfolio import register_portfolio_provider

        from .home import STAFF_ROLES, feedback_missing, participant_week
        from .personal_data import answers_of
        from .portfolio import mentor_feedback
        from .selectors import profile_answers

        # The matching engine reads the bank questionnaires' answers through
        # this provider; the core does not import surveys (pyproject.toml).
        register_answers_provider(profile_answers)
        # A person's data export lists their answers (152-ФЗ ст. 14).
        register_personal_data_provider(answers_of)
        # A mentor's portfolio prints the feedback their mentees gave.
        register_portfolio_provider(mentor_feedback)
        # The home page starts the day with what is owed (issue 14, item 7).
        register_panel(
            name="participant-week",
            roles=[Role.PARTICIPANT],
            template="mentoring/panels/list.html",
            context=participant_week,
            order=10,
        )
        register_panel(
            name="feedback-missing",
            roles=STAFF_ROLES,
            template="mentoring/panels/list.html",
            context=feedback_missing,
            order=60,
        )
