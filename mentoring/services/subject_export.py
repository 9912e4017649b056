"""Everything the app holds about a person, as one file (152-ФЗ ст. 14).

A person (or a minor's representative) asks the school what it processes
about them; the curator hands over one ZIP: the records as a spreadsheet a
person can read (svedeniya.xlsx), the same as JSON a machine can
(svedeniya.json), and the scans of their consents, documents and mentor's
agreements (files/).
Signed orders are not included as files: they name other people too; the
list says which orders name the person.
"""

from __future__ import annotations

import datetime
import io
import json
import zipfile
from decimal import Decimal
from pathlib import Path

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from mentoring.dates import short_date
from mentoring.exports import safe_cell
from mentoring.models import (
    AuditEntry,
    Meeting,
    MenteeProfile,
    MentorProfile,
    OrderAcquaintance,
    OrderReward,
    Participation,
    Person,
    ProgramResult,
    User,
)
from mentoring.personal_data import Section, personal_data_providers

from .audit import ensure_acts_for, record_change

# Person fields that are the app's own bookkeeping, not data about the person.
_SKIPPED_FIELDS = {"id", "organization", "user"}


def _value(obj, field):
    if field.choices:
        return getattr(obj, f"get_{field.name}_display")()
    return getattr(obj, field.attname)


def _person_section(person: Person) -> Section:
    section = Section(
        title=_("Сведения об участнике"), columns=[_("Поле"), _("Значение")]
    )
    section.rows.append([_("Номер записи"), person.pk])
    section.rows.append([_("Организация"), person.organization.full_name])
    for field in Person._meta.concrete_fields:
        if field.name in _SKIPPED_FIELDS:
            continue
        value = _value(person, field)
        if value not in (None, ""):
            section.rows.append([str(field.verbose_name), value])
    return section


def _account_section(person: Person) -> Section:
    section = Section(title=_("Учётная запись"), columns=[_("Поле"), _("Значение")])
    user: User | None = person.user
    if user is not None:
        section.rows += [
            [_("Логин"), user.username],
            [_("Адрес электронной почты"), user.email],
            [_("Создана"), user.date_joined],
            [_("Последний вход"), user.last_login],
            [_("Действует"), _("да") if user.is_active else _("нет")],
        ]
    return section


def _consents_section(person: Person) -> Section:
    section = Section(
        title=_("Согласия"),
        columns=[
            _("Вид согласия"),
            _("Цель"),
            _("Дано"),
            _("Редакция текста"),
            _("Форма"),
            _("Законный представитель"),
            _("Действует до"),
            _("Отозвано"),
            _("Скан"),
        ],
    )
    for consent in person.consents.order_by("given_at", "pk"):
        section.rows.append(
            [
                consent.get_kind_display(),
                str(consent.Purpose(consent.purpose).label),
                consent.given_at,
                consent.text_version,
                consent.get_medium_display(),
                consent.representative_name,
                consent.valid_until,
                consent.withdrawn_on,
                _scan_name("soglasie", consent.pk, consent.scan),
            ]
        )
    return section


def _documents_section(person: Person) -> Section:
    section = Section(
        title=_("Документы участника"),
        columns=[
            _("Документ"),
            _("Номер"),
            _("Дата выдачи"),
            _("Кем выдан"),
            _("Действует до"),
            _("Заменён"),
            _("Скан"),
        ],
    )
    for document in person.documents.order_by("issued_on", "pk"):
        section.rows.append(
            [
                document.get_kind_display(),
                document.number,
                document.issued_on,
                document.issued_by,
                document.valid_until,
                document.replaced_at,
                _scan_name("dokument", document.pk, document.scan),
            ]
        )
    return section


def _agreements_section(person: Person) -> Section:
    """The mentor's agreements (ТК РФ ст. 351.8): their terms and pay are
    data about the employee too."""
    section = Section(
        title=_("Соглашения о наставничестве"),
        columns=[
            _("Дата соглашения"),
            _("Трудовой договор"),
            _("Начало"),
            _("Окончание"),
            _("Содержание"),
            _("Оплата"),
            _("Размер"),
            _("Иные условия"),
            _("Скан"),
        ],
    )
    for agreement in person.mentor_agreements.order_by("starts_on", "pk"):
        section.rows.append(
            [
                agreement.concluded_on,
                _contract(agreement),
                agreement.starts_on,
                agreement.ends_on,
                agreement.content,
                agreement.get_pay_display(),
                agreement.pay_value,
                agreement.other_terms,
                _scan_name("soglashenie", agreement.pk, agreement.scan),
            ]
        )
    return section


def _contract(agreement) -> str:
    parts = []
    if agreement.contract_number:
        parts.append(_("№ %(number)s") % {"number": agreement.contract_number})
    if agreement.contract_date:
        parts.append(_("от %(day)s") % {"day": short_date(agreement.contract_date)})
    return " ".join(parts)


def _banks_section(person: Person) -> Section:
    section = Section(
        title=_("Банки наставников и наставляемых"),
        columns=[_("Банк"), _("Поле"), _("Значение")],
    )
    for model, bank in (
        (MentorProfile, _("Банк наставников")),
        (MenteeProfile, _("Банк наставляемых")),
    ):
        profile = model.objects.filter(person=person).first()
        if profile is None:
            continue
        for field in model._meta.concrete_fields:
            if field.name in {"id", "person"}:
                continue
            value = _value(profile, field)
            if value not in (None, ""):
                section.rows.append([bank, str(field.verbose_name), value])
        for related in model._meta.many_to_many:
            names = ", ".join(str(o) for o in getattr(profile, related.name).all())
            if names:
                section.rows.append([bank, str(related.verbose_name), names])
        if model is MentorProfile:
            for training in profile.trainings.all():
                section.rows.append([bank, _("Обучение"), str(training)])
    return section


def _pairs_section(person: Person) -> Section:
    section = Section(
        title=_("Пары и группы"),
        columns=[_("Пара/группа"), _("Роль"), _("Форма"), _("Статус"), _("Начало")],
    )
    participations = Participation.objects.filter(person=person).select_related(
        "pair__form"
    )
    for participation in participations.order_by("pair_id"):
        pair = participation.pair
        section.rows.append(
            [
                _("№ %(pk)s") % {"pk": pair.pk},
                participation.get_role_display(),
                pair.form.name,
                pair.get_status_display(),
                pair.starts_on,
            ]
        )
    return section


def _meetings_section(person: Person) -> Section:
    section = Section(
        title=_("Встречи"),
        columns=[
            _("Пара/группа"),
            _("Дата и время"),
            _("Тема"),
            _("Статус"),
            _("Итог"),
        ],
    )
    meetings = Meeting.objects.filter(pair__participations__person=person).distinct()
    for meeting in meetings.order_by("starts_at"):
        section.rows.append(
            [
                _("№ %(pk)s") % {"pk": meeting.pair_id},
                meeting.starts_at,
                meeting.topic,
                meeting.get_status_display(),
                meeting.outcome,
            ]
        )
    return section


def _results_section(person: Person) -> Section:
    """The information base (stage 8): results of the completed programs."""
    section = Section(
        title=_("Результаты программ наставничества"),
        columns=[
            _("Пара/группа"),
            _("Роль"),
            _("Завершена"),
            _("Форма"),
            _("С кем"),
            _("Цель программы"),
            _("Итог"),
            _("Итоги (самоанализ)"),
            _("Документы"),
        ],
    )
    results = ProgramResult.objects.filter(person=person).prefetch_related(
        Prefetch(
            "program__pair__participations",
            queryset=Participation.objects.select_related("person"),
        )
    )
    for result in results.order_by("completed_on", "pk"):
        partners = [
            p.person.full_name
            for p in result.program.pair.participations.all()
            if p.person_id != person.pk and p.role != result.role
        ]
        section.rows.append(
            [
                _("№ %(pk)s") % {"pk": result.program.pair_id},
                result.get_role_display(),
                result.completed_on,
                result.form,
                "; ".join(partners),
                result.subject,
                result.get_outcome_display(),
                result.summary,
                "; ".join(result.document_lines),
            ]
        )
    return section


def _orders_section(person: Person) -> Section:
    section = Section(title=_("Приказы"), columns=[_("Приказ"), _("Где назван(а)")])
    for participation in Participation.objects.filter(
        person=person, pair__order__isnull=False
    ).select_related("pair__order"):
        section.rows.append(
            [str(participation.pair.order), participation.get_role_display()]
        )
    for reward in OrderReward.objects.filter(person=person).select_related("order"):
        section.rows.append([str(reward.order), _("поощрение")])
    for row in OrderAcquaintance.objects.filter(person=person).select_related("order"):
        section.rows.append([str(row.order), _("лист ознакомления")])
    return section


def _journal_section(person: Person) -> Section:
    section = Section(
        title=_("Журнал изменений"), columns=[_("Когда"), _("Действие"), _("Описание")]
    )
    entries = AuditEntry.objects.filter(
        Q(content_type=ContentType.objects.get_for_model(Person), object_id=person.pk)
        | Q(data__person=person.pk)
    )
    for entry in entries.order_by("at", "pk"):
        section.rows.append([entry.at, entry.action, entry.message])
    return section


def _scan_name(prefix: str, pk: int, scan) -> str:
    if not scan:
        return ""
    return f"files/{prefix}_{pk}{Path(scan.name).suffix.lower()}"


def person_sections(person: Person) -> list[Section]:
    sections = [
        _person_section(person),
        _account_section(person),
        _consents_section(person),
        _documents_section(person),
        _agreements_section(person),
        _banks_section(person),
        _pairs_section(person),
        _meetings_section(person),
        _results_section(person),
        _orders_section(person),
    ]
    for provider in personal_data_providers():
        sections += provider(person=person)
    sections.append(_journal_section(person))
    return sections


def _json_value(value):
    if isinstance(value, datetime.datetime):
        return (
            timezone.localtime(value).isoformat()
            if timezone.is_aware(value)
            else (value.isoformat())
        )
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if value is None or isinstance(value, (int, float, bool, list)):
        return value
    return str(value)


def _as_json(person: Person, sections: list[Section]) -> bytes:
    data = {
        "person": person.pk,
        "organization": person.organization.full_name,
        "exported_at": timezone.localtime().isoformat(),
        "sections": [
            {
                "title": section.title,
                "rows": [
                    {
                        str(column): _json_value(value)
                        for column, value in zip(section.columns, row, strict=True)
                    }
                    for row in section.rows
                ],
            }
            for section in sections
        ],
    }
    return json.dumps(data, ensure_ascii=False, indent=2).encode()


def _as_xlsx(sections: list[Section]) -> bytes:
    book = Workbook()
    book.remove(book.active)
    used: set[str] = set()
    for number, section in enumerate(sections, start=1):
        title = section.title
        for char in "[]:*?/\\":  # Excel refuses these in a sheet's name
            title = title.replace(char, " ")
        title = " ".join(title.split())[:28]
        if title in used:
            title = f"{title[:25]} {number}"
        used.add(title)
        sheet = book.create_sheet(title)
        sheet.append([str(column) for column in section.columns])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in section.rows:
            sheet.append([safe_cell(sheet, _cell(value)) for value in row])
        for column in sheet.columns:
            sheet.column_dimensions[column[0].column_letter].width = 30
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _cell(value):
    if isinstance(value, (int, float, Decimal, datetime.date)) or value is None:
        return value
    return str(value)


@transaction.atomic
def export_person_data(*, person: Person, by: User) -> bytes:
    """The ZIP a person gets on request; the export is recorded in the trail."""
    ensure_acts_for(by=by, organization=person.organization)
    person = Person.objects.select_related("organization", "user").get(pk=person.pk)
    sections = person_sections(person)
    out = io.BytesIO()
    files = 0
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("svedeniya.xlsx", _as_xlsx(sections))
        archive.writestr("svedeniya.json", _as_json(person, sections))
        scans = [("soglasie", c.pk, c.scan) for c in person.consents.all()]
        scans += [("dokument", d.pk, d.scan) for d in person.documents.all()]
        scans += [("soglashenie", a.pk, a.scan) for a in person.mentor_agreements.all()]
        for prefix, pk, scan in scans:
            if not scan:
                continue
            try:
                with scan.open("rb") as stored:
                    archive.writestr(_scan_name(prefix, pk, scan), stored.read())
                files += 1
            except OSError:
                # A missing file is named in the list; the rest still goes out.
                continue
    record_change(
        actor=by,
        obj=person,
        action="person.data_exported",
        organization=person.organization,
        message=_("Выгружены сведения об участнике по его запросу: %(name)s")
        % {"name": person.full_name},
        data={"person": person.pk, "sections": len(sections), "files": files},
    )
    return out.getvalue()
