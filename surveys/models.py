"""Questionnaires with versioned questions, responses and their answers.

A response points at the version it answered: editing a questionnaire that has
responses creates a new version (surveys.services.save_questions), so old
answers keep the wording they were given to.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mentoring.models import (
    Meeting,
    Organization,
    Pair,
    Person,
    Program,
    ScopedByOrganizationQuerySet,
    scope_by_role,
)


class QuestionnaireQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Standard questionnaires are everyone's; an organization's own are its."""
        shared = Q(organization__isnull=True)

        def participant(user):
            if not hasattr(user, "person"):  # a login without a card
                return self.filter(shared)
            return self.filter(shared | Q(organization_id=user.person.organization_id))

        return scope_by_role(
            self,
            user,
            org=lambda pk: shared | Q(organization_id=pk),
            district=lambda pk: shared | Q(organization__district_id=pk),
            participant=participant,
        )


class Questionnaire(models.Model):
    class Kind(models.TextChoices):
        MENTOR_CANDIDATE = "mentor_candidate", _("Анкета потенциального наставника")
        MENTEE_REQUEST = "mentee_request", _("Анкета наставляемого (запросы)")
        MEETING_FEEDBACK = "meeting_feedback", _("Форма обратной связи после встречи")
        SATISFACTION = "satisfaction", _("Удовлетворённость участием")
        PROGRAM_QUALITY = "program_quality", _("Качество реализации программы")
        IMPACT = "impact", _("Оценка влияния «до/после»")
        CUSTOM = "custom", _("Другая анкета")

    class Audience(models.TextChoices):
        MENTOR = "mentor", _("Наставник")
        MENTEE = "mentee", _("Наставляемый")
        CANDIDATE = "candidate", _("Кандидат в наставники")
        CURATOR = "curator", _("Куратор")

    code = models.SlugField(
        _("код"),
        max_length=60,
        unique=True,
        null=True,
        blank=True,
        help_text=_("У стандартных анкет: по нему их находит программа."),
    )
    kind = models.CharField(_("вид анкеты"), max_length=20, choices=Kind.choices)
    audience = models.CharField(
        _("кто заполняет"), max_length=10, choices=Audience.choices
    )
    title = models.CharField(_("название"), max_length=255)
    description = models.TextField(_("пояснение для отвечающих"), blank=True)
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("организация"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="questionnaires",
        help_text=_("Пусто у стандартных анкет, общих для всех организаций."),
    )
    is_standard = models.BooleanField(_("стандартная"), default=False)
    is_active = models.BooleanField(_("используется"), default=True)
    created_at = models.DateTimeField(_("создана"), auto_now_add=True)

    objects = QuestionnaireQuerySet.as_manager()

    class Meta:
        verbose_name = _("анкета")
        verbose_name_plural = _("анкеты")
        ordering = ["kind", "audience", "title"]

    def __str__(self):
        return self.title


class QuestionnaireVersion(models.Model):
    """The questions as they were asked: frozen once anyone has answered."""

    questionnaire = models.ForeignKey(
        Questionnaire,
        verbose_name=_("анкета"),
        on_delete=models.CASCADE,
        related_name="versions",
    )
    number = models.PositiveSmallIntegerField(_("версия"))
    created_at = models.DateTimeField(_("создана"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("создал"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("версия анкеты")
        verbose_name_plural = _("версии анкет")
        ordering = ["questionnaire", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["questionnaire", "number"],
                name="questionnaire_version_number_unique",
                violation_error_message=_("Такая версия анкеты уже есть."),
            )
        ]

    def __str__(self):
        return _("%(title)s, версия %(number)s") % {
            "title": self.questionnaire.title,
            "number": self.number,
        }


class Question(models.Model):
    class Kind(models.TextChoices):
        SCALE = "scale", _("Шкала")
        SINGLE = "single", _("Один вариант")
        MULTIPLE = "multiple", _("Несколько вариантов")
        NUMBER = "number", _("Число")
        SHORT_TEXT = "short_text", _("Короткий текст")
        LONG_TEXT = "long_text", _("Развёрнутый текст")

    NUMERIC_KINDS = (Kind.SCALE, Kind.NUMBER)
    CHOICE_KINDS = (Kind.SINGLE, Kind.MULTIPLE)

    questionnaire = models.ForeignKey(
        Questionnaire,
        verbose_name=_("анкета"),
        on_delete=models.CASCADE,
        related_name="questions",
    )
    version = models.ForeignKey(
        QuestionnaireVersion,
        verbose_name=_("версия"),
        on_delete=models.CASCADE,
        related_name="questions",
    )
    position = models.PositiveSmallIntegerField(_("порядок"), default=0)
    code = models.SlugField(
        _("код"),
        max_length=60,
        blank=True,
        help_text=_("Постоянное имя вопроса для подбора пар и отчётов."),
    )
    text = models.CharField(_("вопрос"), max_length=500)
    kind = models.CharField(_("тип ответа"), max_length=10, choices=Kind.choices)
    is_required = models.BooleanField(_("обязательный"), default=True)
    scale_min = models.SmallIntegerField(_("шкала от"), default=1)
    scale_max = models.SmallIntegerField(_("шкала до"), default=10)
    min_label = models.CharField(_("подпись минимума"), max_length=60, blank=True)
    max_label = models.CharField(_("подпись максимума"), max_length=60, blank=True)
    choices = ArrayField(
        models.CharField(max_length=200),
        verbose_name=_("варианты ответа"),
        default=list,
        blank=True,
        help_text=_("Через запятую, для вопросов с выбором."),
    )

    class Meta:
        verbose_name = _("вопрос")
        verbose_name_plural = _("вопросы")
        ordering = ["version", "position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(scale_min__lt=models.F("scale_max")),
                name="question_scale_range",
                violation_error_message=_("Начало шкалы должно быть меньше её конца."),
            ),
        ]

    def __str__(self):
        return self.text


class ResponseQuerySet(ScopedByOrganizationQuerySet):
    def for_participant(self, user):
        return self.filter(respondent__user=user)


class Response(models.Model):
    """One filled questionnaire: who, which version, about what, when."""

    class Moment(models.TextChoices):
        BEFORE = "before", _("Входное (до)")
        AFTER = "after", _("Итоговое (после)")

    questionnaire = models.ForeignKey(
        Questionnaire,
        verbose_name=_("анкета"),
        on_delete=models.PROTECT,
        related_name="responses",
    )
    version = models.ForeignKey(
        QuestionnaireVersion,
        verbose_name=_("версия"),
        on_delete=models.PROTECT,
        related_name="responses",
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("организация"),
        on_delete=models.PROTECT,
        related_name="survey_responses",
    )
    respondent = models.ForeignKey(
        Person,
        verbose_name=_("кто ответил"),
        on_delete=models.PROTECT,
        related_name="survey_responses",
    )
    meeting = models.ForeignKey(
        Meeting,
        verbose_name=_("встреча"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="survey_responses",
    )
    pair = models.ForeignKey(
        Pair,
        verbose_name=_("пара/группа"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="survey_responses",
    )
    program = models.ForeignKey(
        Program,
        verbose_name=_("программа"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="survey_responses",
    )
    moment = models.CharField(
        _("этап"), max_length=6, choices=Moment.choices, blank=True
    )
    submitted_at = models.DateTimeField(_("заполнена"), default=timezone.now)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("внёс"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = ResponseQuerySet.as_manager()

    class Meta:
        verbose_name = _("ответ на анкету")
        verbose_name_plural = _("ответы на анкеты")
        ordering = ["-submitted_at", "-pk"]
        indexes = [
            models.Index(fields=["organization", "questionnaire", "submitted_at"]),
            models.Index(fields=["respondent", "questionnaire"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["questionnaire", "respondent", "meeting"],
                condition=Q(meeting__isnull=False),
                name="response_once_per_meeting",
                violation_error_message=_(
                    "Обратная связь по этой встрече уже заполнена."
                ),
            ),
            models.UniqueConstraint(
                fields=["questionnaire", "respondent", "pair", "moment"],
                condition=~Q(moment="") & Q(pair__isnull=False),
                name="response_once_per_pair_and_moment",
                violation_error_message=_(
                    "Эта анкета по паре на этом этапе уже заполнена."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.questionnaire} — {self.respondent}"


class Answer(models.Model):
    """An answer in a typed column, so averages are computed in SQL."""

    response = models.ForeignKey(
        Response,
        verbose_name=_("ответ на анкету"),
        on_delete=models.CASCADE,
        related_name="answers",
    )
    question = models.ForeignKey(
        Question,
        verbose_name=_("вопрос"),
        on_delete=models.PROTECT,
        related_name="answers",
    )
    number_value = models.DecimalField(
        _("число"), max_digits=9, decimal_places=2, null=True, blank=True
    )
    text_value = models.TextField(_("текст"), blank=True)
    choice_values = ArrayField(
        models.CharField(max_length=200),
        verbose_name=_("выбранные варианты"),
        default=list,
        blank=True,
    )

    class Meta:
        verbose_name = _("ответ на вопрос")
        verbose_name_plural = _("ответы на вопросы")
        ordering = ["question__position"]
        indexes = [models.Index(fields=["question", "response"])]
        constraints = [
            models.UniqueConstraint(
                fields=["response", "question"],
                name="answer_once_per_question",
                violation_error_message=_("На вопрос уже дан ответ."),
            )
        ]

    def __str__(self):
        return str(self.value)

    @property
    def value(self):
        if self.number_value is not None:
            number = self.number_value.normalize()
            return int(number) if number == number.to_integral_value() else number
        if self.choice_values:
            return ", ".join(self.choice_values)
        return self.text_value


class FeedbackReminder(models.Model):
    """A reminder sent about a meeting's missing feedback, once per threshold."""

    meeting = models.ForeignKey(
        Meeting,
        verbose_name=_("встреча"),
        on_delete=models.CASCADE,
        related_name="feedback_reminders",
    )
    person = models.ForeignKey(
        Person,
        verbose_name=_("кому"),
        on_delete=models.CASCADE,
        related_name="feedback_reminders",
    )
    after_days = models.PositiveSmallIntegerField(_("через дней после встречи"))
    sent_at = models.DateTimeField(_("отправлено"), default=timezone.now)

    class Meta:
        verbose_name = _("напоминание об обратной связи")
        verbose_name_plural = _("напоминания об обратной связи")
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "person", "after_days"],
                name="feedback_reminder_once_per_threshold",
            )
        ]

    def __str__(self):
        return f"{self.meeting} — {self.person} ({self.after_days})"


class RolledAnswers(models.Model):
    """What every roll-up of the answers holds: a school's month of one
    questionnaire's answers at one moment, counted and summed."""

    organization = models.ForeignKey(
        Organization, on_delete=models.DO_NOTHING, related_name="+"
    )
    month = models.DateField()
    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.DO_NOTHING, related_name="+"
    )
    moment = models.CharField(max_length=6, blank=True)
    # Answers given, those holding a number, and the numbers' sum.
    answers = models.IntegerField(default=0)
    numbers = models.IntegerField(default=0)
    total = models.DecimalField(max_digits=16, decimal_places=2, default=0)

    objects = ScopedByOrganizationQuerySet.as_manager()

    class Meta:
        abstract = True


class AnswerRollup(RolledAnswers):
    """Counts and sums of the numeric answers, kept by the database.

    The monitoring pages, the reports and the district's and the region's
    tables read these rows instead of aggregating every answer. Triggers on
    the answers and responses keep them in the writing transaction
    (surveys.rollups); `manage.py rebuild_survey_rollups` builds them anew.
    A row per organization, month, question and, for answers not about a
    meeting (satisfaction, before/after), pair, respondent and moment: the
    figures that count people or compare pairs need those, and there are a
    few such answers per person, while feedback after each meeting, most of
    the answers, folds into a row per school, month and question.
    """

    question = models.ForeignKey(
        Question, on_delete=models.DO_NOTHING, related_name="+"
    )
    pair = models.ForeignKey(
        Pair, on_delete=models.DO_NOTHING, null=True, related_name="+"
    )
    respondent = models.ForeignKey(
        Person, on_delete=models.DO_NOTHING, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("свод ответов")
        verbose_name_plural = _("своды ответов")
        constraints = [
            # The triggers' ON CONFLICT target: one row per key, NULL included.
            models.UniqueConstraint(
                fields=[
                    "organization",
                    "month",
                    "question",
                    "pair",
                    "respondent",
                    "moment",
                ],
                name="answer_rollup_key",
                nulls_distinct=False,
            )
        ]
        indexes = [
            # The triggers drop emptied rows through it.
            models.Index(
                fields=["id"], condition=Q(answers=0), name="answer_rollup_empty"
            )
        ]

    def __str__(self):
        return f"{self.organization_id} {self.month} {self.question_id}"


class MeetingFeedback(models.Model):
    """The feedback forms received after a meeting, kept by the database.

    «Meetings with the mentor's (the mentee's) form» is a join with these
    rows instead of a look-up of the responses for every meeting; the
    triggers of surveys.rollups keep the counts as responses come and go.
    """

    meeting = models.OneToOneField(
        Meeting,
        on_delete=models.DO_NOTHING,
        primary_key=True,
        related_name="feedback_rollup",
    )
    # Responses to the mentors' and the mentees' feedback forms.
    by_mentor = models.IntegerField(default=0)
    by_mentee = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("обратная связь по встрече (свод)")
        verbose_name_plural = _("обратная связь по встречам (свод)")
        indexes = [
            # The triggers drop emptied rows through it.
            models.Index(
                fields=["meeting"],
                condition=Q(by_mentor=0, by_mentee=0),
                name="meeting_feedback_empty",
            )
        ]

    def __str__(self):
        return f"{self.meeting_id}: {self.by_mentor}/{self.by_mentee}"


class MeetingRollup(models.Model):
    """Meetings and those with feedback forms per school and month, kept by
    the database.

    Counting a year's meetings joined with their forms per meeting was the
    largest part of the district's monitoring (issue 15); these rows hold
    the counts per organization, month in settings.TIME_ZONE, meeting status
    and whether the pair is suspended (the district's table leaves those
    out). Triggers on the meetings, the pairs and MeetingFeedback keep them
    in the writing transaction (surveys.rollups); a month not yet over is
    read from the meetings themselves (`meeting_counts`).
    """

    organization = models.ForeignKey(
        Organization, on_delete=models.DO_NOTHING, related_name="+"
    )
    month = models.DateField()
    status = models.CharField(max_length=10)
    pair_suspended = models.BooleanField()
    # Meetings, those with the mentor's form, the mentee's, and both.
    meetings = models.IntegerField(default=0)
    by_mentor = models.IntegerField(default=0)
    by_mentee = models.IntegerField(default=0)
    by_both = models.IntegerField(default=0)

    objects = ScopedByOrganizationQuerySet.as_manager()

    class Meta:
        verbose_name = _("свод встреч")
        verbose_name_plural = _("своды встреч")
        constraints = [
            # The triggers' ON CONFLICT target.
            models.UniqueConstraint(
                fields=["organization", "month", "status", "pair_suspended"],
                name="meeting_rollup_key",
            )
        ]
        indexes = [
            # The triggers drop emptied rows through it.
            models.Index(
                fields=["id"], condition=Q(meetings=0), name="meeting_rollup_empty"
            )
        ]

    def __str__(self):
        return f"{self.organization_id} {self.month} {self.status}"


class QuestionRollup(RolledAnswers):
    """The answers' roll-up summed over pairs and people: a row per
    organization, month, question and moment, kept by the database.

    The averages per question, their monthly trend and the before/after
    means per question read these few hundred rows of a district's year
    instead of the roll-up's row per person (issue 15). Triggers on
    AnswerRollup keep them in the same transaction (surveys.rollups).
    """

    question = models.ForeignKey(
        Question, on_delete=models.DO_NOTHING, related_name="+"
    )

    class Meta:
        verbose_name = _("свод ответов по вопросам")
        verbose_name_plural = _("своды ответов по вопросам")
        constraints = [
            # The triggers' ON CONFLICT target.
            models.UniqueConstraint(
                fields=["organization", "month", "question", "moment"],
                name="question_rollup_key",
            )
        ]
        indexes = [
            # The triggers drop emptied rows through it.
            models.Index(
                fields=["id"], condition=Q(answers=0), name="question_rollup_empty"
            )
        ]

    def __str__(self):
        return f"{self.organization_id} {self.month} {self.question_id}"


class RespondentRollup(RolledAnswers):
    """The answers' roll-up of the scale questions summed over the
    questions: a row per organization, month, questionnaire, pair,
    respondent and moment, kept by the database.

    People and pairs compare on their scale answers taken together (the
    before/after means per participant and per pair, the satisfaction per
    form of mentoring): a row per questionnaire a person answered, not one
    per question (issue 15). Triggers on AnswerRollup keep them in the same
    transaction (surveys.rollups). Its sums are of the scale answers only.
    """

    pair = models.ForeignKey(
        Pair, on_delete=models.DO_NOTHING, null=True, related_name="+"
    )
    respondent = models.ForeignKey(
        Person, on_delete=models.DO_NOTHING, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("свод ответов по участникам")
        verbose_name_plural = _("своды ответов по участникам")
        constraints = [
            # The triggers' ON CONFLICT target: one row per key, NULL included.
            models.UniqueConstraint(
                fields=[
                    "organization",
                    "month",
                    "questionnaire",
                    "pair",
                    "respondent",
                    "moment",
                ],
                name="respondent_rollup_key",
                nulls_distinct=False,
            )
        ]
        indexes = [
            # The triggers drop emptied rows through it.
            models.Index(
                fields=["id"], condition=Q(answers=0), name="respondent_rollup_empty"
            )
        ]

    def __str__(self):
        return f"{self.organization_id} {self.month} {self.respondent_id}"
