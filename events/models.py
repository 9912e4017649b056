"""District events for mentors (seminars, trainings, consultations) and who
came: the methodologist's register of them (DOMAIN.md, stage 4 «обучение
наставников»: ИМЦ)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from mentoring.models import District, MentorProfile, MentorTraining
from mentoring.models.base import scope_by_role


class EventQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The district's staff see its events; a participant those they are
        registered for."""
        return scope_by_role(
            self,
            user,
            org=lambda organization_id: Q(district__organizations=organization_id),
            district="district_id",
            participant=lambda u: self.filter(registrations__mentor__person__user=u),
        )


class Event(models.Model):
    # An attended event becomes a line of the mentor's training record: the
    # same kinds.
    Kind = MentorTraining.Kind

    district = models.ForeignKey(
        District,
        verbose_name=_("район"),
        on_delete=models.PROTECT,
        related_name="events",
    )
    kind = models.CharField(
        _("вид"), max_length=15, choices=MentorTraining.Kind.choices
    )
    title = models.CharField(_("тема"), max_length=300)
    starts_on = models.DateField(_("дата начала"))
    ends_on = models.DateField(_("дата окончания"))
    time = models.CharField(
        _("время"), max_length=50, blank=True, help_text=_("Например, 14:00–16:30.")
    )
    place = models.CharField(_("место проведения"), max_length=300)
    programme = models.TextField(
        _("программа"), blank=True, help_text=_("Вопросы, выступающие, регламент.")
    )
    hours = models.PositiveSmallIntegerField(_("часов"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("создал"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("создано"), auto_now_add=True)

    objects = EventQuerySet.as_manager()

    class Meta:
        verbose_name = _("мероприятие района")
        verbose_name_plural = _("мероприятия района")
        ordering = ["starts_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")),
                name="event_ends_after_start",
                violation_error_message=_(
                    "Мероприятие не может закончиться раньше, чем началось."
                ),
            ),
            models.CheckConstraint(
                condition=Q(hours__isnull=True) | Q(hours__gte=1, hours__lte=500),
                name="event_hours_range",
                violation_error_message=_("Часов может быть от 1 до 500."),
            ),
        ]

    def __str__(self):
        day = date_format(self.starts_on, "SHORT_DATE_FORMAT")
        return f"{self.title} ({day})"

    @property
    def dates(self) -> str:
        start = date_format(self.starts_on, "SHORT_DATE_FORMAT")
        if self.ends_on == self.starts_on:
            return start
        return f"{start}–{date_format(self.ends_on, 'SHORT_DATE_FORMAT')}"


class RegistrationQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A school sees its own mentors' registrations; the district all of
        its events'; a mentor their own."""
        return scope_by_role(
            self,
            user,
            org="mentor__person__organization_id",
            district="event__district_id",
            participant=lambda u: self.filter(mentor__person__user=u),
        )


class Registration(models.Model):
    """A mentor put down for an event; after it, whether they came."""

    event = models.ForeignKey(
        Event,
        verbose_name=_("мероприятие"),
        on_delete=models.CASCADE,
        related_name="registrations",
    )
    mentor = models.ForeignKey(
        MentorProfile,
        verbose_name=_("наставник"),
        on_delete=models.CASCADE,
        related_name="event_registrations",
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("записал"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    registered_at = models.DateTimeField(_("записан"), auto_now_add=True)
    attended = models.BooleanField(_("присутствовал"), default=False)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("отметил"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    marked_at = models.DateTimeField(_("отмечено"), null=True, blank=True)
    # The line this attendance wrote in the mentor's training record: an
    # unmarked attendance removes exactly it, a second mark writes no other.
    training = models.OneToOneField(
        MentorTraining,
        verbose_name=_("запись об обучении"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="event_registration",
    )

    objects = RegistrationQuerySet.as_manager()

    class Meta:
        verbose_name = _("участник мероприятия")
        verbose_name_plural = _("участники мероприятий")
        ordering = [
            "mentor__person__organization__short_name",
            "mentor__person__last_name",
            "mentor__person__first_name",
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "mentor"],
                name="registration_once_per_event",
                violation_error_message=_("Наставник уже записан на это мероприятие."),
            ),
            models.CheckConstraint(
                condition=Q(attended=True) | Q(training__isnull=True),
                name="registration_training_only_if_attended",
                violation_error_message=_(
                    "Запись об обучении есть только у присутствовавшего."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.mentor.person.full_name} — {self.event}"
