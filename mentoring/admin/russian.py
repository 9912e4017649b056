"""A model's name in the case and gender the admin's phrases need.

Django builds «Добавить %(name)s» and «Добавить еще один %(verbose_name)s»
from the nominative verbose name and a masculine «один»: «Добавить
участник», «Добавить еще один Встреча». Russian wants the accusative, and
«ещё одного / одну / одно» by gender and animacy, which no verbose name
carries: every model the admin shows has its two phrases here (a test
fails on a registered model or inline without them).
"""

from django.utils.translation import gettext_lazy as _

# model label → («Добавить …», «Добавить ещё …»)
PHRASES = {
    "mentoring.district": (_("муниципальный район"), _("ещё один район")),
    # Issue 14, regions.
    "mentoring.region": (_("субъект РФ"), _("ещё один субъект РФ")),
    "mentoring.organization": (
        _("образовательную организацию"),
        _("ещё одну организацию"),
    ),
    "mentoring.user": (_("пользователя"), _("ещё одного пользователя")),
    "mentoring.person": (_("участника"), _("ещё одного участника")),
    "mentoring.consent": (_("согласие"), _("ещё одно согласие")),
    "mentoring.auditentry": (_("запись журнала"), _("ещё одну запись")),
    "mentoring.mentoringform": (_("форму наставничества"), _("ещё одну форму")),
    "mentoring.mentorprofile": (_("наставника в банк"), _("ещё одного наставника")),
    "mentoring.mentortraining": (_("обучение"), _("ещё одно обучение")),
    "mentoring.menteeprofile": (
        _("наставляемого в банк"),
        _("ещё одного наставляемого"),
    ),
    "mentoring.documentrequirement": (
        _("требуемый документ"),
        _("ещё один требуемый документ"),
    ),
    "mentoring.persondocument": (_("документ участника"), _("ещё один документ")),
    "mentoring.mentoragreement": (
        _("соглашение наставника"),
        _("ещё одно соглашение наставника"),
    ),
    "mentoring.invitation": (_("приглашение"), _("ещё одно приглашение")),
    "mentoring.pair": (_("пару или группу"), _("ещё одну пару или группу")),
    "mentoring.participation": (_("участника пары"), _("ещё одного участника")),
    "mentoring.program": (_("программу"), _("ещё одну программу")),
    "mentoring.programitem": (_("пункт плана"), _("ещё один пункт плана")),
    "mentoring.meeting": (_("встречу"), _("ещё одну встречу")),
    "mentoring.preference": (_("предпочтение"), _("ещё одно предпочтение")),
    "mentoring.order": (_("приказ"), _("ещё один приказ")),
    "mentoring.orderitem": (_("пункт приказа"), _("ещё один пункт приказа")),
    "mentoring.orderacquaintance": (
        _("отметку об ознакомлении"),
        _("ещё одну отметку об ознакомлении"),
    ),
    "mentoring.orderreward": (_("поощрение"), _("ещё одно поощрение")),
    "roadmap.roadmap": (_("дорожную карту"), _("ещё одну дорожную карту")),
    "roadmap.stage": (_("этап"), _("ещё один этап")),
    "roadmap.activity": (_("мероприятие"), _("ещё одно мероприятие")),
    "roadmap.evidence": (_("подтверждение"), _("ещё одно подтверждение")),
    "roadmap.reminderlog": (_("напоминание"), _("ещё одно напоминание")),
    "surveys.questionnaire": (_("анкету"), _("ещё одну анкету")),
    "surveys.question": (_("вопрос"), _("ещё один вопрос")),
    "surveys.response": (_("ответ на анкету"), _("ещё один ответ")),
    "surveys.answer": (_("ответ на вопрос"), _("ещё один ответ")),
    # Issue 14 (public): the public mentoring page.
    "public.post": (_("публикацию"), _("ещё одну публикацию")),
    "public.publicdocument": (_("документ на страницу"), _("ещё один документ")),
    # Issue 14, district.
    "district.pilot": (_("пилотную площадку"), _("ещё одну пилотную площадку")),
}


def add_phrase(opts) -> str | None:
    """«Добавить участника», or None for a model of another project."""
    phrases = PHRASES.get(opts.label_lower)
    return _("Добавить %(name)s") % {"name": phrases[0]} if phrases else None


def add_another_phrase(opts) -> str | None:
    """«Добавить ещё одну встречу», or None for a model of another project."""
    phrases = PHRASES.get(opts.label_lower)
    return _("Добавить %(name)s") % {"name": phrases[1]} if phrases else None
