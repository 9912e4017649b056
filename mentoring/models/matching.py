"""Matching runs, their suggestions and the preferences they weigh."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from .banks import MentoringForm
from .base import ScopedByOrganizationQuerySet, scope_by_role
from .pairs import Pair
from .people import Organization, Person


class MatchingRunQuerySet(ScopedByOrganizationQuerySet):
    pass


class MatchingRun(models.Model):
    """One run of the engine, with what it was given, so it can be reviewed later."""

    class Mode(models.TextChoices):
        OPTIMAL = "optimal", _("Оптимальный: наибольшая общая совместимость")
        STABLE = "stable", _("Устойчивый: по выбору обеих сторон")
        GREEDY = "greedy", _("Жадный: лучшие пары по очереди (для сравнения)")

    class Status(models.TextChoices):
        QUEUED = "queued", _("В очереди")
        RUNNING = "running", _("Выполняется")
        FAILED = "failed", _("Не удался")
        REVIEW = "review", _("На рассмотрении")
        DONE = "done", _("Проекты пар созданы")

    GOING = (Status.QUEUED, Status.RUNNING)

    organization = models.ForeignKey(
        Organization,
        verbose_name=_("организация"),
        on_delete=models.CASCADE,
        related_name="matching_runs",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("запустил"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("запущен"), default=timezone.now)
    mode = models.CharField(
        _("способ подбора"), max_length=10, choices=Mode.choices, default=Mode.OPTIMAL
    )
    forms = models.ManyToManyField(
        MentoringForm, verbose_name=_("формы наставничества"), related_name="+"
    )
    make_groups = models.BooleanField(
        _("объединять в группы"),
        default=True,
        help_text=_(
            "Наставляемые одного наставника в одной форме войдут в одну группу."
        ),
    )
    weights = models.JSONField(_("веса признаков"), default=dict)
    inputs = models.JSONField(_("исходные данные"), default=dict)
    status = models.CharField(
        _("статус"), max_length=10, choices=Status.choices, default=Status.REVIEW
    )
    total_score = models.FloatField(_("общая совместимость"), default=0)
    greedy_score = models.FloatField(_("совместимость жадного подбора"), default=0)
    matched_count = models.PositiveIntegerField(_("подобрано"), default=0)
    unmatched_count = models.PositiveIntegerField(_("без наставника"), default=0)
    seconds = models.FloatField(_("время расчёта, с"), default=0)
    # Written by the background task as it goes, in their own transactions,
    # so the curator's page sees them while the run is still computing.
    progress = models.PositiveSmallIntegerField(_("выполнено, %"), default=0)
    stage = models.CharField(_("этап"), max_length=100, blank=True)
    error = models.TextField(_("причина неудачи"), blank=True)

    objects = MatchingRunQuerySet.as_manager()

    class Meta:
        verbose_name = _("подбор наставников")
        verbose_name_plural = _("подборы наставников")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["organization", "-created_at"])]

    def __str__(self):
        local = timezone.localtime(self.created_at)
        return _("Подбор № %(pk)s от %(at)s") % {
            "pk": self.pk,
            "at": date_format(local, "SHORT_DATETIME_FORMAT"),
        }


class SuggestionQuerySet(models.QuerySet):
    def visible_to(self, user):
        return scope_by_role(
            self,
            user,
            org="run__organization_id",
            district="run__organization__district_id",
            participant=lambda u: self.none(),
        )


class Suggestion(models.Model):
    """A mentor suggested for a mentee; nothing changes until the curator accepts."""

    class Decision(models.TextChoices):
        PENDING = "pending", _("Не рассмотрено")
        ACCEPTED = "accepted", _("Принято")
        REJECTED = "rejected", _("Отклонено")

    run = models.ForeignKey(
        MatchingRun,
        verbose_name=_("подбор"),
        on_delete=models.CASCADE,
        related_name="suggestions",
    )
    mentor = models.ForeignKey(
        Person, verbose_name=_("наставник"), on_delete=models.CASCADE, related_name="+"
    )
    mentee = models.ForeignKey(
        Person,
        verbose_name=_("наставляемый"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    form = models.ForeignKey(
        MentoringForm,
        verbose_name=_("форма наставничества"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    score = models.FloatField(_("совместимость"))
    explanation = models.TextField(_("почему"))
    decision = models.CharField(
        _("решение"),
        max_length=10,
        choices=Decision.choices,
        default=Decision.PENDING,
    )
    pinned = models.BooleanField(_("закреплено"), default=False)
    pair = models.ForeignKey(
        Pair,
        verbose_name=_("проект пары/группы"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    refusal = models.CharField(
        _("почему проект не создан"), max_length=1000, blank=True
    )

    objects = SuggestionQuerySet.as_manager()

    class Meta:
        verbose_name = _("предложение подбора")
        verbose_name_plural = _("предложения подбора")
        ordering = ["mentor__last_name", "mentor__first_name", "-score", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["run", "mentee"],
                name="suggestion_one_per_mentee_in_run",
                violation_error_message=_(
                    "Наставляемому в этом подборе уже предложен наставник."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(mentor=models.F("mentee")),
                name="suggestion_not_self",
                violation_error_message=_("Нельзя быть наставником самому себе."),
            ),
        ]

    def __str__(self):
        return f"{self.mentor} — {self.mentee}"


class UnmatchedMentee(models.Model):
    """A mentee the run left without a mentor, and why (for the psychologist)."""

    run = models.ForeignKey(
        MatchingRun,
        verbose_name=_("подбор"),
        on_delete=models.CASCADE,
        related_name="unmatched",
    )
    mentee = models.ForeignKey(
        Person,
        verbose_name=_("наставляемый"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    reason = models.CharField(_("причина"), max_length=1000)

    class Meta:
        verbose_name = _("наставляемый без наставника")
        verbose_name_plural = _("наставляемые без наставника")
        ordering = ["mentee__last_name", "mentee__first_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["run", "mentee"], name="unmatched_once_per_run"
            )
        ]

    def __str__(self):
        return f"{self.mentee}: {self.reason}"


class PreferenceQuerySet(models.QuerySet):
    def visible_to(self, user):
        return scope_by_role(
            self,
            user,
            org="chooser__organization_id",
            district="chooser__organization__district_id",
            participant=lambda u: self.none(),
        )


class Preference(models.Model):
    """Whom a participant chose after the group meeting; the curator enters it."""

    class Side(models.TextChoices):
        MENTEE = "mentee", _("Наставляемый выбирает наставника")
        MENTOR = "mentor", _("Наставник выбирает наставляемого")

    side = models.CharField(_("кто выбирает"), max_length=6, choices=Side.choices)
    chooser = models.ForeignKey(
        Person,
        verbose_name=_("кто выбрал"),
        on_delete=models.CASCADE,
        related_name="preferences_given",
    )
    chosen = models.ForeignKey(
        Person,
        verbose_name=_("кого выбрал"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    rank = models.PositiveSmallIntegerField(
        _("место в списке"), help_text=_("1 — первый выбор.")
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("внесено"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("внесено в систему"), default=timezone.now)

    objects = PreferenceQuerySet.as_manager()

    class Meta:
        verbose_name = _("предпочтение после общей встречи")
        verbose_name_plural = _("предпочтения после общей встречи")
        ordering = ["side", "chooser__last_name", "chooser__first_name", "rank"]
        constraints = [
            models.UniqueConstraint(
                fields=["side", "chooser", "chosen"],
                name="preference_once_per_chosen",
                violation_error_message=_("Этот выбор уже внесён."),
            ),
            models.UniqueConstraint(
                fields=["side", "chooser", "rank"],
                name="preference_rank_unique",
                violation_error_message=_("Это место в списке уже занято."),
            ),
            models.CheckConstraint(
                condition=Q(rank__gte=1) & Q(rank__lte=10),
                name="preference_rank_range",
                violation_error_message=_("Место в списке — от 1 до 10."),
            ),
            models.CheckConstraint(
                condition=~Q(chooser=models.F("chosen")),
                name="preference_not_self",
                violation_error_message=_("Нельзя выбрать самого себя."),
            ),
        ]

    def __str__(self):
        return _("%(chooser)s → %(chosen)s (%(rank)s)") % {
            "chooser": self.chooser,
            "chosen": self.chosen,
            "rank": self.rank,
        }
