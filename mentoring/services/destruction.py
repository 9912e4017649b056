"""Destroying personal data when their purpose is gone (152-ФЗ ст. 21 ч. 4-5).

Once a person's consent to processing has been withdrawn or has run out and
`PERSONAL_DATA_DESTRUCTION_DAYS` have passed with no new consent, the daily
pass destroys their data by anonymising the row: the name becomes «Участник
№ N», contacts, dates, class, notes and requests are cleared, the login is
closed, scans are deleted after commit, and the audit trail stops naming
them. The row itself stays, so pairs, meetings, answers and the reports'
counts stay right. Each organization's destruction is written into an act
(Приказ Роскомнадзора от 28.10.2022 № 179), stored as a PDF.

What is kept, and why:
- a person with a valid consent to processing again: nothing to destroy;
- a person whose curator recorded another legal basis with a term
  (`Person.retention_basis`, `retain_until`): kept until that day;
- signed orders: archive documents kept for the terms of the school's
  номенклатура дел (125-ФЗ); their stored PDFs are not touched, only the
  person's own record is anonymised.
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from mentoring import documents
from mentoring.dates import short_date
from mentoring.models import (
    AuditEntry,
    Consent,
    DestructionAct,
    MenteeProfile,
    MentorProfile,
    MentorTraining,
    Organization,
    Person,
    PersonDocument,
    User,
)
from mentoring.selectors.consents import ToDestroy, persons_to_destroy

from .audit import record_change
from .consents import missing_consents

logger = logging.getLogger(__name__)


@dataclass
class Kept:
    person: Person
    reason: str


@dataclass
class DestructionRun:
    destroyed: list[int] = field(default_factory=list)  # person ids
    kept: list[Kept] = field(default_factory=list)
    acts: list[DestructionAct] = field(default_factory=list)


def pseudonym(person: Person) -> str:
    return _("Участник № %(pk)s") % {"pk": person.pk}


def _retention_reason(person: Person, day: datetime.date) -> str | None:
    if person.retain_until is not None and person.retain_until >= day:
        return _("%(basis)s (хранить до %(day)s)") % {
            "basis": person.retention_basis or _("иное законное основание"),
            "day": short_date(person.retain_until),
        }
    return None


def destroy_expired_personal_data(
    *, on: datetime.date | None = None, by: User | None = None
) -> DestructionRun:
    """The daily pass over every organization. Idempotent: a person destroyed
    once is not found again, and a run that destroys nobody writes no act."""
    day = on or timezone.localdate()
    run = DestructionRun()
    due: dict[int, list[ToDestroy]] = {}
    for row in persons_to_destroy(user=None, on=day):
        if row.destroy_by > day:
            continue
        reason = _retention_reason(row.person, day)
        if reason:
            run.kept.append(Kept(person=row.person, reason=reason))
            continue
        due.setdefault(row.person.organization_id, []).append(row)
    for organization_id, rows in sorted(due.items()):
        act = destroy_for_organization(
            organization_id=organization_id, rows=rows, by=by
        )
        if act is not None:
            run.acts.append(act)
            run.destroyed += [entry["person"] for entry in act.entries]
    return run


@transaction.atomic
def destroy_for_organization(
    *,
    organization_id: int,
    rows: list[ToDestroy],
    by: User | None,
) -> DestructionAct | None:
    """Anonymise the people of one organization and write their act."""
    # Acts are numbered per organization: concurrent runs queue here.
    organization = Organization.objects.select_for_update().get(pk=organization_id)
    number = (
        DestructionAct.objects.filter(organization=organization).aggregate(
            n=Max("number")
        )["n"]
        or 0
    ) + 1
    act = DestructionAct.objects.create(
        organization=organization,
        number=number,
        destroyed_by=by if by and by.is_authenticated else None,
    )
    files: list[tuple] = []
    entries = []
    for row in rows:
        entry = _anonymise(row=row, act=act, by=by, files=files)
        if entry is not None:
            entries.append(entry)
    if not entries:
        act.delete()  # another run destroyed them first
        return None
    act.entries = entries
    act.save(update_fields=["entries"])
    record_change(
        actor=by,
        obj=act,
        action="destruction_act.created",
        organization=organization,
        message=_(
            "Составлен акт № %(number)s об уничтожении персональных данных "
            "(участников: %(count)s)"
        )
        % {"number": number, "count": len(entries)},
        data={"persons": [e["person"] for e in entries]},
    )
    # Scans go only once the anonymised rows are committed: a rolled-back
    # run must not leave records pointing at deleted files.
    for storage, name in files:
        transaction.on_commit(lambda s=storage, n=name: s.delete(n))
    transaction.on_commit(
        lambda: store_destruction_act_pdf.enqueue(act_id=act.pk), robust=True
    )
    return act


def _anonymise(
    *, row: ToDestroy, act: DestructionAct, by: User | None, files: list
) -> dict | None:
    person = Person.objects.select_for_update().filter(pk=row.person.pk).first()
    if person is None or person.anonymised_at is not None:
        return None  # another run got here first
    if not missing_consents(person=person, as_mentor=False):
        return None  # a new consent was recorded since the list was read
    # The full name only: a namesake's «Фамилия И.О.» must stay in the trail.
    old_name = person.full_name
    destroyed: list[str] = [_("фамилия, имя, отчество")]

    def clear(label: str, obj, **blank) -> None:
        """Blank the fields; name the category if any held something."""
        held = any(getattr(obj, name) not in (None, "") for name in blank)
        if held and label not in destroyed:
            destroyed.append(label)
        for name, value in blank.items():
            setattr(obj, name, value)

    clear(_("дата рождения"), person, birth_date=None)
    clear(
        _("должность, предметы"),
        person,
        position="",
        subjects="",
        position_genitive="",
        position_dative="",
        position_accusative="",
        position_instrumental="",
    )
    clear(
        _("педагогический стаж, квалификационная категория"),
        person,
        teaching_since=None,
        qualification="",
    )
    clear(_("класс (группа) обучения"), person, school_class="")
    clear(_("ФИО законного представителя"), person, legal_representative="")
    clear(_("адрес электронной почты, телефон"), person, email="", phone="")
    clear(_("идентификатор в школе"), person, school_id="")
    person.name_genitive = person.name_dative = person.name_accusative = ""
    person.name_instrumental = person.name_prepositional = ""
    person.last_name = pseudonym(person)
    person.first_name = person.patronymic = ""
    person.retention_basis = ""
    person.retain_until = None
    person.anonymised_at = timezone.now()
    person.save()

    if person.user_id:
        user = User.objects.select_for_update().get(pk=person.user_id)
        user.username = f"deleted-{person.pk}"
        user.first_name = user.last_name = user.email = ""
        user.password = make_password(None)
        user.is_active = False
        user.save()
        destroyed.append(_("учётная запись (логин, адрес электронной почты)"))

    for profile in MentorProfile.objects.select_for_update().filter(person=person):
        clear(
            _("компетенции и примечания (банк наставников)"),
            profile,
            competencies="",
            notes="",
        )
        profile.save(update_fields=["competencies", "notes"])
        trainings = MentorTraining.objects.filter(mentor=profile).exclude(
            certificate=""
        )
        if trainings.update(certificate=""):
            destroyed.append(_("реквизиты документов об обучении"))
    for profile in MenteeProfile.objects.select_for_update().filter(person=person):
        clear(
            _("запросы, затруднения и примечания (банк наставляемых)"),
            profile,
            requests="",
            difficulties="",
            notes="",
        )
        profile.save(update_fields=["requests", "difficulties", "notes"])

    scans = 0
    for document in PersonDocument.objects.select_for_update().filter(person=person):
        clear(_("реквизиты документов участника"), document, number="", issued_by="")
        if document.scan:
            files.append((document.scan.storage, document.scan.name))
            document.scan = ""
            scans += 1
        document.save(update_fields=["number", "issued_by", "scan"])
    for consent in Consent.objects.select_for_update().filter(person=person):
        # The consent and its withdrawal stay as the record that processing
        # was lawful (152-ФЗ ст. 9 ч. 3); the representative's name goes.
        if consent.representative_name:
            consent.representative_name = _("(обезличено)")
            label = _("ФИО законного представителя")
            if label not in destroyed:
                destroyed.append(label)
        if consent.scan:
            files.append((consent.scan.storage, consent.scan.name))
            consent.scan = ""
            scans += 1
        consent.save(update_fields=["representative_name", "scan"])
    if scans:
        destroyed.append(
            _("сканы согласий и документов (файлов: %(n)s)") % {"n": scans}
        )

    # The trail keeps what was done, no longer to whom by name.
    new_name = pseudonym(person)
    journal = AuditEntry.objects.filter(organization_id=person.organization_id)
    named = Q(message__contains=old_name) | Q(object_repr__contains=old_name)
    scrubbed = 0
    for entry in journal.filter(named).select_for_update():
        entry.message = entry.message.replace(old_name, new_name)
        entry.object_repr = entry.object_repr.replace(old_name, new_name)
        entry.save(update_fields=["message", "object_repr"])
        scrubbed += 1
    if scrubbed:
        destroyed.append(
            _("ФИО в журнале изменений (записей: %(n)s)") % {"n": scrubbed}
        )

    reason = (
        _("отзыв согласия на обработку персональных данных %(day)s")
        if row.withdrawn
        else _("истечение срока согласия (достижение цели обработки) %(day)s")
    ) % {"day": short_date(row.ended_on)}
    entry = record_change(
        actor=by,
        obj=person,
        action="person.anonymised",
        organization=person.organization,
        message=_("Персональные данные уничтожены (обезличены): %(who)s — %(reason)s")
        % {"who": new_name, "reason": reason},
        data={
            "act": act.pk,
            "reason": reason,
            "categories": destroyed,
            "files": scans,
            "ended_on": row.ended_on.isoformat(),
        },
    )
    return {
        "person": person.pk,
        "category": person.get_category_display(),
        "reason": reason,
        "ended_on": row.ended_on.isoformat(),
        "data": destroyed,
        "files": scans,
        "kept": [str(order) for order in row.kept_in],
        "journal": [[entry.at.isoformat(), entry.action]],
    }


# ---------------------------------------------------------------- the act's PDF


def store_act_pdf(*, act_id: int) -> DestructionAct:
    """Render the act once, after its run committed; as `store_order_pdf`."""
    written = ""
    try:
        with transaction.atomic():
            act = (
                DestructionAct.objects.select_for_update(of=("self",))
                .select_related("organization", "destroyed_by")
                .get(pk=act_id)
            )
            if act.pdf:
                return act
            content = documents.destruction_act_pdf(act=act)
            act.pdf.save(
                documents.destruction_act_filename(act),
                ContentFile(content),
                save=False,
            )
            written = act.pdf.name
            act.save(update_fields=["pdf"])
    except BaseException:
        if written:
            act.pdf.storage.delete(written)
        raise
    return act


@task()
def store_destruction_act_pdf(*, act_id: int) -> None:
    store_act_pdf(act_id=act_id)


def stored_act_pdf(*, act: DestructionAct) -> bytes:
    if not act.pdf:
        act = store_act_pdf(act_id=act.pk)
    with act.pdf.open("rb") as stored:
        return stored.read()
