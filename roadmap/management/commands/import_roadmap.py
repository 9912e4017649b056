"""`manage.py import_roadmap FILE (--organization ID | --district ID)
[--year 2025] [--dry-run]`: a school's roadmap from its own document.

The same reading, preview and checks as the admin's import; a roadmap of the
same owner and year is updated, not copied. Any invalid row: nothing is
written and the exit status is 1.
"""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from mentoring.dates import academic_year
from mentoring.models import District, Organization
from roadmap import services
from roadmap.importing import (
    ROLES,
    SKIP,
    ImportFailed,
    NeedsMapping,
    existing_roadmap,
    plan_import,
    read_roadmap_file,
)


class Command(BaseCommand):
    help = _(
        "Загрузить дорожную карту из документа школы (DOCX, XLSX, XLS, ODS, CSV): "
        "показать, что будет добавлено, изменено и удалено, и записать всё или ничего."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        owner = parser.add_mutually_exclusive_group(required=True)
        owner.add_argument("--organization", type=int)
        owner.add_argument("--district", type=int)
        parser.add_argument("--year", type=int, help=_("2025 — это 2025/2026 год."))
        parser.add_argument("--dry-run", action="store_true")
        parser.add_argument(
            "--columns",
            help=_(
                "Что в каждом столбце, если заголовки не распознаны, через запятую: "
                "number, stage, substage, content, deadline, responsible или skip."
            ),
        )

    def handle(
        self, *args, file, organization, district, year, dry_run, columns, **options
    ):
        path = Path(file)
        if not path.is_file():
            raise CommandError(_("Файл не найден: %(path)s") % {"path": file})
        owner = {}
        if organization is not None:
            owner["organization"] = Organization.objects.filter(pk=organization).first()
            if owner["organization"] is None:
                raise CommandError(
                    _("Нет организации с id %(id)s.") % {"id": organization}
                )
        else:
            owner["district"] = District.objects.filter(pk=district).first()
            if owner["district"] is None:
                raise CommandError(_("Нет района с id %(id)s.") % {"id": district})
        mapping = None
        if columns:
            mapping = dict(enumerate(c.strip() for c in columns.split(",")))
            wrong = sorted(set(mapping.values()) - {*ROLES, SKIP})
            if wrong:
                raise CommandError(
                    _("Неизвестные значения --columns: %(wrong)s.")
                    % {"wrong": ", ".join(wrong)}
                )
        try:
            parsed = read_roadmap_file(path.name, path.read_bytes(), mapping=mapping)
            year = year or parsed.year or academic_year()
            roadmap = existing_roadmap(parsed, year=year, **owner)
            plan = plan_import(
                parsed, roadmap=roadmap, organization_id=organization, year=year
            )
        except NeedsMapping as error:
            raise CommandError(
                _(
                    "%(message)s Заголовки: %(headers)s. Укажите столбцы в --columns, "
                    "например --columns %(guess)s"
                )
                % {
                    "message": error.message,
                    "headers": " | ".join(error.headers),
                    "guess": ",".join(error.guess),
                }
            ) from error
        except ImportFailed as error:
            for message in error.messages:
                self.stderr.write(message)
            raise CommandError(
                _("Ничего не записано: ошибок — %(n)s.") % {"n": len(error.messages)}
            ) from error
        self._preview(plan, roadmap)
        if dry_run:
            self.stdout.write(_("Пробный прогон (--dry-run): ничего не записано."))
            return
        try:
            roadmap = services.import_roadmap(by=None, plan=plan, year=year, **owner)
        except (ImportFailed, ValidationError) as error:
            for message in error.messages:
                self.stderr.write(message)
            raise CommandError(_("Ничего не записано.")) from error
        self.stdout.write(_("Записана дорожная карта id %(id)s.") % {"id": roadmap.pk})

    def _preview(self, plan, roadmap):
        if roadmap is None:
            self.stdout.write(_("Новая дорожная карта."))
        else:
            self.stdout.write(
                _("Обновляется дорожная карта id %(id)s: %(title)s")
                % {"id": roadmap.pk, "title": roadmap}
            )
        for label, lines in (
            (_("Добавлено"), plan.added),
            (_("Изменено"), plan.changed),
            (_("Удалено"), plan.removed),
        ):
            self.stdout.write(f"{label}: {len(lines)}")
            for line in lines:
                self.stdout.write(f"  {line}")
