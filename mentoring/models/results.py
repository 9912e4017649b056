"""The information base of mentors and mentees (stage 8 of the roadmap).

When a personalized program ends, its result goes into each participant's
record: what the program was, when it ended, how, and on which documents.
The row is a snapshot of the program: a later change of the pair's form or
plan does not rewrite what the information base holds about a finished
program. Who worked with whom is read from the pair's participants, not
copied: a name destroyed under 152-ФЗ ст. 21 must not live on in another
person's record.
"""

from __future__ import annotations

from django.db import models
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from .base import ScopedByPersonQuerySet
from .pairs import Participation, Program
from .people import Person


class ProgramResult(models.Model):
    """A completed program's result in one participant's record."""

    person = models.ForeignKey(
        Person,
        verbose_name=_("участник"),
        on_delete=models.CASCADE,
        related_name="program_results",
    )
    program = models.ForeignKey(
        Program,
        verbose_name=_("программа"),
        on_delete=models.CASCADE,
        related_name="results",
    )
    role = models.CharField(_("роль"), max_length=6, choices=Participation.Role.choices)
    completed_on = models.DateField(_("дата завершения"))
    form = models.CharField(_("форма наставничества"), max_length=255)
    subject = models.TextField(_("что: цель программы"))
    outcome = models.CharField(
        _("итог"),
        max_length=15,
        choices=[
            (value, label)
            for value, label in Program.Status.choices
            if value
            in (
                Program.Status.DONE,
                Program.Status.PARTIALLY_DONE,
                Program.Status.NOT_DONE,
            )
        ],
    )
    summary = models.TextField(_("итоги (самоанализ)"), blank=True)
    documents = models.TextField(
        _("документы"), blank=True, help_text=_("По одному в строке.")
    )
    recorded_at = models.DateTimeField(_("внесено"), auto_now_add=True)

    objects = ScopedByPersonQuerySet.as_manager()

    class Meta:
        verbose_name = _("результат программы наставничества")
        verbose_name_plural = _("информационная база: результаты программ")
        ordering = ["-completed_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "person"],
                name="program_result_once_per_person",
                violation_error_message=_(
                    "Результат этой программы у участника уже записан."
                ),
            )
        ]

    def __str__(self):
        day = date_format(self.completed_on, "SHORT_DATE_FORMAT")
        return f"{self.get_outcome_display()}: {self.subject[:60]} ({day})"

    @property
    def document_lines(self) -> list[str]:
        return [line for line in self.documents.splitlines() if line.strip()]
