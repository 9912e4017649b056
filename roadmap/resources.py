"""Import of a roadmap table (XLSX/CSV) with django-import-export.

The columns are those the roadmap prints: «№ п/п | Наименование этапа |
Содержание деятельности и примерный план мероприятий | Срок исполнения |
Ответственные». A stage's number and name are written on its first row (a
merged cell leaves the rows below it empty). The import is all or nothing:
a missing column, a stage number used twice, a deadline that is not a month
stops it with a Russian message on the row, and nothing is saved.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from import_export import fields, resources

from mentoring.models import Person

from . import services
from .deadlines import parse_deadline
from .models import Activity, Roadmap, Stage

NUMBER = "№ п/п"
STAGE = "Наименование этапа"
CONTENT = "Содержание деятельности и примерный план мероприятий"
DEADLINE = "Срок исполнения"
RESPONSIBLE = "Ответственные"
REQUIRED = [NUMBER, STAGE, CONTENT]


def stage_number(value) -> str:
    """«1.1» typed by LibreOffice arrives as the float 1.1, «5» as 5 or 5.0."""
    if value is None:
        return ""
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value).strip()


def text(value) -> str:
    return "" if value is None else str(value).strip()


class ActivityResource(resources.ModelResource):
    stage_number = fields.Field(column_name=NUMBER, attribute=None)
    stage_name = fields.Field(column_name=STAGE, attribute=None)
    content = fields.Field(attribute="content", column_name=CONTENT)
    deadline_text = fields.Field(attribute="deadline_text", column_name=DEADLINE)
    responsible_roles = fields.Field(
        attribute="responsible_roles", column_name=RESPONSIBLE
    )

    class Meta:
        model = Activity
        fields = [
            "stage_number",
            "stage_name",
            "content",
            "deadline_text",
            "responsible_roles",
        ]
        force_init_instance = True
        use_transactions = True
        skip_diff = False

    def __init__(self, *, roadmap: Roadmap | None = None, user=None, **kwargs):
        super().__init__(**kwargs)
        self.roadmap = roadmap
        self.user = user
        self.stages: dict[str, Stage] = {}
        self.next_position: dict[int, int] = {}
        self.people: dict[str, Person] = {}

    def before_import(self, dataset, **kwargs):
        if self.roadmap is None:
            raise ValidationError(_("Выберите дорожную карту, в которую загружать."))
        # The form offers only editable roadmaps; a forged POST meets this.
        services.ensure_can_edit_roadmap(by=self.user, roadmap=self.roadmap)
        headers = [text(h) for h in dataset.headers or []]
        missing = [column for column in REQUIRED if column not in headers]
        if missing:
            dataset.wipe()
            raise ValidationError(
                _(
                    "В таблице нет столбцов: %(columns)s. Первая строка — заголовки: %(all)s."
                )
                % {
                    "columns": ", ".join(f"«{c}»" for c in missing),
                    "all": " | ".join([*REQUIRED, DEADLINE, RESPONSIBLE]),
                }
            )
        dataset.headers = headers
        self._fill_down_stages(dataset)
        if self.roadmap.organization_id:
            self.people = {
                person.short_name: person
                for person in Person.objects.filter(
                    organization_id=self.roadmap.organization_id
                )
            }

    def _fill_down_stages(self, dataset) -> None:
        """Give every row its stage and create the stages, once each."""
        number_at, name_at = dataset.headers.index(NUMBER), dataset.headers.index(STAGE)
        existing = {
            s.number.rstrip("."): s for s in Stage.objects.filter(roadmap=self.roadmap)
        }
        seen: list[str] = []
        current, current_name = "", ""
        rows = []
        for line, row in enumerate(dataset, start=2):
            row = list(row)
            number, name = stage_number(row[number_at]), text(row[name_at])
            if number or name:
                if not number:
                    raise ValidationError(
                        _("Строка %(line)s: у этапа «%(name)s» нет номера.")
                        % {"line": line, "name": name}
                    )
                key = number.rstrip(".")
                if key in seen:
                    raise ValidationError(
                        _("Строка %(line)s: этап № %(number)s уже был выше в таблице.")
                        % {"line": line, "number": number}
                    )
                seen.append(key)
                current, current_name = number, name
            row[number_at], row[name_at] = current, current_name
            rows.append(row)
        for key_number in seen:
            row = next(r for r in rows if r[number_at].rstrip(".") == key_number)
            stage = existing.get(key_number)
            if stage is None:
                stage = services.add_stage(
                    by=self.user,
                    roadmap=self.roadmap,
                    number=row[number_at],
                    name=row[name_at],
                )
            self.stages[key_number] = stage
            self.next_position[stage.pk] = stage.activities.count()
        headers = dataset.headers
        dataset.wipe()
        dataset.headers = headers
        for row in rows:
            dataset.append(row)

    def _responsible(self, written: str) -> tuple[list[Person], str]:
        """«Косарева А.М., куратор …» on a line of its own is the school's
        person of that name (as the export writes it); other lines are roles."""
        people, roles = [], []
        for line in (part.strip() for part in written.splitlines()):
            name = line.split(",")[0].strip()
            if name in self.people:
                people.append(self.people[name])
            elif line:
                roles.append(line)
        return people, "; ".join(roles)

    def do_instance_save(self, instance, is_create):
        # The rows are read and checked above; the service saves each one as
        # the back office does, with its rights check and audit entry. The
        # preview runs in a transaction rolled back afterwards.
        saved = services.add_activity(
            by=self.user,
            stage=instance.stage,
            content=instance.content,
            deadline_text=instance.deadline_text,
            responsible=instance.imported_people,
            responsible_roles=instance.responsible_roles,
            position=instance.position,
        )
        instance.pk = saved.pk
        instance._state.adding = False

    def import_instance(self, instance, row, **kwargs):
        super().import_instance(instance, row, **kwargs)
        number = stage_number(row.get(NUMBER)).rstrip(".")
        if not number:
            raise ValidationError(
                {
                    "content": _(
                        "Строка до первого этапа: укажите № и наименование этапа."
                    )
                }
            )
        instance.stage = self.stages[number]
        instance.position = self.next_position[instance.stage.pk]
        self.next_position[instance.stage.pk] += 1
        instance.content = (instance.content or "").strip()
        instance.imported_people, instance.responsible_roles = self._responsible(
            instance.responsible_roles or ""
        )
        instance.deadline_text = " ".join((instance.deadline_text or "").split())
        try:
            deadline = parse_deadline(instance.deadline_text, year=self.roadmap.year)
        except ValidationError as error:
            raise ValidationError({"deadline_text": error.messages}) from error
        instance.deadline_kind = deadline.kind
        instance.starts_on, instance.ends_on = deadline.starts_on, deadline.ends_on
