"""The daily destruction of personal data whose purpose is gone (152-ФЗ ст. 21
ч. 4-5) and its act (Приказ Роскомнадзора от 28.10.2022 № 179)."""

import datetime
import io
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from mentoring import services
from mentoring.models import (
    AuditEntry,
    Consent,
    DestructionAct,
    Meeting,
    Pair,
    Participation,
    Person,
    User,
)
from surveys.models import Answer, Response
from surveys.services import current_version, submit_response
from tests.factories import (
    ConsentFactory,
    MeetingFactory,
    MentorProfileFactory,
    OrganizationFactory,
    PairFactory,
    ParticipationFactory,
    PersonDocumentFactory,
    PersonFactory,
    QuestionnaireFactory,
    UserFactory,
    years_ago,
)
from tests.mentoring.orders_helpers import pdf_text
from tests.pdf_layout import words_past_margins

PDF = b"%PDF-1.4\n% scanned consent\n"


def day(offset: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=offset)


@dataclass
class School:
    curator: User
    anna: Person  # teacher, withdrew 31 days ago: destroyed
    boris: Person  # minor, guardian consent ran out 40 days ago: destroyed
    vera: Person  # withdrew 10 days ago: not yet due
    galina: Person  # withdrew 31 days ago, kept on another legal basis
    dmitry: Person  # withdrew, then consented again: nothing to destroy
    outsider: Person  # another school, withdrew 31 days ago: its own act
    pair: Pair
    scan_path: Path


def consent(person, *, given_on=None, kind=Consent.Kind.PERSONAL_DATA, **fields):
    return services.give_consent(
        person=person, kind=kind, given_on=given_on or years_ago(1), by=None, **fields
    )


@pytest.fixture
def school(settings, tmp_path, django_capture_on_commit_callbacks):
    settings.MEDIA_ROOT = tmp_path
    organization = OrganizationFactory(
        full_name="Государственное бюджетное общеобразовательное учреждение "
        "средняя школа № 5",
        head_name="О.В. Директорова",
    )
    curator = UserFactory(curator=True, organization=organization)
    anna = PersonFactory(
        organization=organization,
        last_name="Анисимова",
        first_name="Анна",
        patronymic="Андреевна",
        email="anna@example.ru",
        phone="+7 900 000-00-01",
        school_id="T-17",
        position="учитель-логопед",
        position_dative="учителю-логопеду",
        user=UserFactory(username="anisimova", email="anna@example.ru"),
    )
    with django_capture_on_commit_callbacks(execute=True):
        anna_consent = consent(
            anna, scan=SimpleUploadedFile("anna.pdf", PDF, "application/pdf")
        )
    consent(anna, kind=Consent.Kind.MENTOR_DUTIES)
    MentorProfileFactory(person=anna, competencies="Подготовка к ОГЭ", notes="Лично")
    PersonDocumentFactory(person=anna, number="77-123", issued_by="ГУ МВД")
    boris = PersonFactory(
        student=True,
        organization=organization,
        last_name="Борисов",
        first_name="Борис",
        patronymic="Борисович",
        gender="male",
    )
    ConsentFactory(
        person=boris,
        kind=Consent.Kind.GUARDIAN,
        given_on=years_ago(1),
        valid_until=day(-41),
    )
    pair = PairFactory(organization=organization, completed=True, people=False)
    ParticipationFactory(pair=pair, person=anna, role=Participation.Role.MENTOR)
    ParticipationFactory(pair=pair, person=boris, role=Participation.Role.MENTEE)
    MeetingFactory(pair=pair, status=Meeting.Status.HELD, starts_at=timezone.now())
    questionnaire = QuestionnaireFactory(organization=organization)
    questions = list(current_version(questionnaire).questions.all())
    submit_response(
        questionnaire=questionnaire,
        respondent=anna,
        raw={questions[0].pk: 4, questions[1].pk: "Всё хорошо"},
        by=None,
    )
    vera = PersonFactory(organization=organization, last_name="Васильева")
    galina = PersonFactory(
        organization=organization,
        last_name="Галкина",
        retention_basis="Запрос прокуратуры района от 01.11.2026 № 12",
        retain_until=day(60),
    )
    dmitry = PersonFactory(organization=organization, last_name="Дмитриев")
    outsider = PersonFactory(last_name="Чужова")
    for person, withdrawn in (
        (vera, day(-10)),
        (galina, day(-31)),
        (dmitry, day(-40)),
        (outsider, day(-31)),
    ):
        given = consent(person)
        services.withdraw_consent(consent=given, by=None, withdrawn_on=withdrawn)
    consent(dmitry, given_on=day(-5))
    services.withdraw_consent(consent=anna_consent, by=curator, withdrawn_on=day(-31))
    return School(
        curator=curator,
        anna=anna,
        boris=boris,
        vera=vera,
        galina=galina,
        dmitry=dmitry,
        outsider=outsider,
        pair=pair,
        scan_path=Path(tmp_path) / anna_consent.scan.name,
    )


def destroy(capture) -> str:
    out = io.StringIO()
    with capture(execute=True):
        call_command("destroy_expired_personal_data", stdout=out)
    return out.getvalue()


def counts() -> dict:
    return {
        "persons": Person.objects.count(),
        "pairs": Pair.objects.count(),
        "participations": Participation.objects.count(),
        "meetings": Meeting.objects.count(),
        "responses": Response.objects.count(),
        "answers": Answer.objects.count(),
        "consents": Consent.objects.count(),
    }


@pytest.mark.django_db
def test_destruction_anonymises_those_due_and_keeps_the_rest(
    school, django_capture_on_commit_callbacks
):
    before = counts()
    assert school.scan_path.exists()

    out = destroy(django_capture_on_commit_callbacks)

    anna = Person.objects.get(pk=school.anna.pk)
    boris = Person.objects.get(pk=school.boris.pk)
    assert anna.full_name == f"Участник № {anna.pk}"
    assert (anna.email, anna.phone, anna.school_id, anna.position) == ("", "", "", "")
    assert anna.position_dative == ""
    assert anna.birth_date is None and anna.teaching_since is None
    assert anna.anonymised_at is not None
    assert anna.mentor_profile.competencies == anna.mentor_profile.notes == ""
    document = anna.documents.get()
    assert (document.number, document.issued_by) == ("", "")
    login = User.objects.get(pk=anna.user_id)
    assert not login.is_active and login.username == f"deleted-{anna.pk}"
    assert login.email == "" and not login.has_usable_password()
    scan_consent = anna.consents.get(kind=Consent.Kind.PERSONAL_DATA)
    assert scan_consent.withdrawn_on == day(-31) and not scan_consent.scan
    assert not school.scan_path.exists()
    assert boris.full_name == f"Участник № {boris.pk}"
    assert boris.birth_date is None and boris.school_class == ""
    assert boris.legal_representative == ""
    assert boris.consents.get().representative_name == "(обезличено)"
    # Who is kept, and why.
    for person in (school.vera, school.galina, school.dmitry):
        kept = Person.objects.get(pk=person.pk)
        assert kept.full_name == person.full_name and kept.anonymised_at is None
    assert f"Kept {school.galina.pk}: Запрос прокуратуры района" in out
    assert "Destroyed: 3; kept on another basis: 1; acts: 2" in out
    # The reports' counts stand: rows stay, pointing at the anonymised people.
    assert counts() == before
    assert set(school.pair.participations.values_list("person_id", flat=True)) == {
        anna.pk,
        boris.pk,
    }
    assert Response.objects.get().respondent_id == anna.pk
    # The trail no longer names them.
    assert not AuditEntry.objects.filter(message__contains="Анисимова Анна").exists()
    assert not AuditEntry.objects.filter(
        object_repr__contains="Анисимова Анна"
    ).exists()
    assert AuditEntry.objects.filter(
        message__contains=f"Участник № {anna.pk}", action="consent.withdrawn"
    ).exists()


@pytest.mark.django_db
def test_each_destruction_leaves_an_audit_entry_and_an_act_per_school(
    school, django_capture_on_commit_callbacks
):
    destroy(django_capture_on_commit_callbacks)

    entries = AuditEntry.objects.filter(action="person.anonymised")
    assert sorted(entries.values_list("object_id", flat=True)) == sorted(
        [school.anna.pk, school.boris.pk, school.outsider.pk]
    )
    act = DestructionAct.objects.get(organization=school.anna.organization)
    assert act.number == 1 and act.destroyed_by is None
    assert {e["person"] for e in act.entries} == {school.anna.pk, school.boris.pk}
    anna_entry = entries.get(object_id=school.anna.pk)
    assert anna_entry.data["act"] == act.pk
    assert "дата рождения" in anna_entry.data["categories"]
    assert anna_entry.data["files"] == 1
    assert AuditEntry.objects.filter(
        action="destruction_act.created", object_id=act.pk
    ).exists()
    other = DestructionAct.objects.get(organization=school.outsider.organization)
    assert other.number == 1 and [e["person"] for e in other.entries] == [
        school.outsider.pk
    ]


@pytest.mark.django_db
def test_destruction_run_twice_changes_nothing_more(
    school, django_capture_on_commit_callbacks
):
    destroy(django_capture_on_commit_callbacks)
    acts, entries = DestructionAct.objects.count(), AuditEntry.objects.count()

    out = destroy(django_capture_on_commit_callbacks)

    assert "Destroyed: 0" in out
    assert DestructionAct.objects.count() == acts
    assert AuditEntry.objects.count() == entries


@pytest.mark.django_db
def test_the_destruction_term_comes_from_the_settings(
    school, settings, django_capture_on_commit_callbacks
):
    settings.PERSONAL_DATA_DESTRUCTION_DAYS = 10

    destroy(django_capture_on_commit_callbacks)

    assert Person.objects.get(pk=school.vera.pk).anonymised_at is not None


@pytest.mark.django_db
def test_a_kept_person_is_destroyed_once_the_other_basis_runs_out(
    school, django_capture_on_commit_callbacks
):
    Person.objects.filter(pk=school.galina.pk).update(retain_until=day(-1))

    destroy(django_capture_on_commit_callbacks)

    assert Person.objects.get(pk=school.galina.pk).anonymised_at is not None


@pytest.mark.django_db
def test_the_act_lists_what_was_destroyed_without_names_ready_to_sign(
    client, school, django_capture_on_commit_callbacks
):
    destroy(django_capture_on_commit_callbacks)
    act = DestructionAct.objects.get(organization=school.anna.organization)
    assert act.pdf  # stored after the run committed
    client.force_login(school.curator)

    response = client.get(reverse("mentoring:destruction-act-pdf", args=[act.pk]))

    assert response.status_code == 200
    content = b"".join(response.streaming_content)
    assert words_past_margins(content) == []
    text = pdf_text(content)
    for expected in [
        "УТВЕРЖДАЮ",
        "об уничтожении персональных данных",
        "№ 1",
        "средняя школа № 5",
        "информационная система «Наставник»",
        "Способ уничтожения: обезличивание",
        f"Участник № {school.anna.pk}",
        f"Участник № {school.boris.pk}",
        "Педагогический работник",
        "Обучающийся",
        "дата рождения",
        "адрес электронной почты, телефон",
        "сканы согласий и документов (файлов: 1)",
        "отзыв согласия на обработку персональных данных",
        "истечение срока согласия",
        "автоматически ежедневной процедурой",
        "Председатель",
        "Члены комиссии",
        "О.В. Директорова",
        "(подпись)",
        "Выгрузка из журнала регистрации событий",
        "приказом Роскомнадзора от 28.10.2022 № 179",
    ]:
        assert expected in text, expected
    for name in ("Анисимова", "Борисов", "Галкина", "Чужова"):
        assert name not in text


@pytest.mark.django_db
def test_the_destruction_page_lists_the_schools_acts_only(
    client, school, django_capture_on_commit_callbacks
):
    destroy(django_capture_on_commit_callbacks)
    own = DestructionAct.objects.get(organization=school.anna.organization)
    foreign = DestructionAct.objects.get(organization=school.outsider.organization)
    client.force_login(school.curator)

    page = client.get(reverse("mentoring:consent-destruction"))

    assert reverse("mentoring:destruction-act-pdf", args=[own.pk]) in page.text
    assert reverse("mentoring:destruction-act-pdf", args=[foreign.pk]) not in page.text
    # Not yet due: still listed with its day; the destroyed ones are gone.
    assert "Васильева" in page.text and "Анисимова" not in page.text
    assert "Запрос прокуратуры района" in page.text
    other = client.get(reverse("mentoring:destruction-act-pdf", args=[foreign.pk]))
    assert other.status_code == 404


@pytest.mark.django_db
def test_participants_and_psychologists_may_not_read_acts(
    client, school, django_capture_on_commit_callbacks
):
    destroy(django_capture_on_commit_callbacks)
    act = DestructionAct.objects.get(organization=school.anna.organization)
    url = reverse("mentoring:destruction-act-pdf", args=[act.pk])

    client.force_login(
        UserFactory(psychologist=True, organization=school.anna.organization)
    )
    assert client.get(url).status_code == 403
    client.force_login(UserFactory(organization=school.anna.organization))
    assert client.get(url).status_code == 403


@pytest.mark.django_db
def test_no_consent_is_recorded_for_an_anonymised_person(
    school, django_capture_on_commit_callbacks
):
    destroy(django_capture_on_commit_callbacks)

    with pytest.raises(Exception) as error:
        consent(Person.objects.get(pk=school.anna.pk), given_on=timezone.localdate())

    assert "обезличены" in str(error.value)
