from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from mentoring.imports import read_table, records
from mentoring.imports.people import KINDS, STAFF
from mentoring.models import Organization
from mentoring.services.people_import import import_people, preview_people_import
from mentoring.services.records_import import import_records, preview_records_import


class Command(BaseCommand):
    help = (
        "Load a school's staff or student list, its consents or its bank entries "
        "(XLSX, XLS, ODS, CSV): print the "
        "preview and every row error, then write all rows or none. Exits non-zero "
        "on any invalid row."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--organization", type=int, required=True)
        parser.add_argument("--kind", choices=[*KINDS, *records.KINDS], default=STAFF)
        parser.add_argument(
            "--dry-run", action="store_true", help="Print the preview, write nothing."
        )

    def handle(self, *args, file, organization, kind, dry_run, **options):
        organization = Organization.objects.filter(pk=organization).first()
        if organization is None:
            raise CommandError("Организация с таким номером не найдена.")
        try:
            with open(file, "rb") as opened:
                table = read_table(opened, name=file.name)
        except OSError as error:
            raise CommandError(f"Файл не открывается: {error.strerror}") from error
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        people = kind in KINDS
        read = preview_people_import if people else preview_records_import
        preview = read(organization=organization, kind=kind, table=table)
        if preview.missing:
            raise CommandError(
                "Нет обязательных столбцов: " + ", ".join(preview.missing) + "."
            )
        if preview.unknown_headers:
            raise CommandError(
                "Незнакомые столбцы: "
                + ", ".join(f"«{h}»" for h in preview.unknown_headers)
                + ". Сопоставьте их при загрузке через админку (выбор запоминается) "
                "или переименуйте по шаблону."
            )
        self.stdout.write(preview.summary())
        for error in preview.errors:
            self.stdout.write(
                f"Строка {error.line}, столбец «{error.column or '—'}», "
                f"значение «{error.value}»: {error.message}"
            )
        if preview.invalid:
            raise CommandError("Есть строки с ошибками: ничего не записано.")
        if dry_run:
            self.stdout.write("Пробный запуск: ничего не записано.")
            return
        try:
            (import_people if people else import_records)(
                organization=organization,
                kind=kind,
                table=table,
                by=None,
                file_name=file.name,
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        self.stdout.write("Записано.")
