"""The information base (stage 8): a completed program's result goes into its
mentor's and mentee's records, and shows where a person's records show."""

import datetime
import io
import json
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from mentoring.dates import short_date
from mentoring.models import (
    MentorAgreement,
    Order,
    Pair,
    Participation,
    Program,
    ProgramResult,
)
from mentoring.services.programs import change_program_status
from mentoring.services.subject_export import export_person_data
from tests.factories import (
    OrderFactory,
    OrganizationFactory,
    ProgramFactory,
    UserFactory,
)

from .orders_helpers import named_pair

pytestmark = pytest.mark.django_db

GOAL = "Адаптация молодого учителя химии"
REPORT = "Наставляемая самостоятельно ведёт уроки в 8–9 классах"


@pytest.fixture
def school():
    return OrganizationFactory()


@pytest.fixture
def curator(school):
    return UserFactory(curator=True, organization=school)


@pytest.fixture
def program(school):
    order = OrderFactory(
        organization=school,
        status=Order.Status.SIGNED,
        year=2026,
        number=63,
        number_suffix="-од",
        signed_on=datetime.date(2026, 9, 1),
        title="О закреплении наставнических пар (групп)",
    )
    pair = named_pair(
        school,
        mentor={"last_name": "Орлова", "first_name": "Вера"},
        mentees=[{"last_name": "Белова", "first_name": "Нина"}],
        status=Pair.Status.ACTIVE,
        order=order,
    )
    mentor = pair.participations.get(role=Participation.Role.MENTOR).person
    MentorAgreement.objects.create(
        pair=pair,
        mentor=mentor,
        content="Планирование уроков",
        starts_on=pair.starts_on,
        ends_on=pair.ends_on,
        concluded_on=datetime.date(2026, 9, 2),
        pay=MentorAgreement.Pay.PERCENT,
        pay_value=10,
    )
    return ProgramFactory(
        pair=pair,
        goal=GOAL,
        status=Program.Status.IN_PROGRESS,
        approved_on=datetime.date(2026, 9, 10),
        final_report=REPORT,
    )


def _people(program):
    people = {p.role: p.person for p in program.pair.participations.all()}
    return people[Participation.Role.MENTOR], people[Participation.Role.MENTEE]


def test_completing_a_program_writes_its_result_to_both_records(program, curator):
    mentor, mentee = _people(program)
    change_program_status(program=program, to=Program.Status.PARTIALLY_DONE, by=curator)

    for person, role in (
        (mentor, Participation.Role.MENTOR),
        (mentee, Participation.Role.MENTEE),
    ):
        result = ProgramResult.objects.get(person=person)
        assert result.role == role
        assert result.program == program
        assert result.completed_on == timezone.localdate()
        assert result.outcome == Program.Status.PARTIALLY_DONE
        assert result.subject == GOAL
        assert result.summary == REPORT
        assert result.form == program.pair.form.name
        assert (
            "Приказ от 01.09.2026 № 63-од «О закреплении наставнических пар (групп)»"
            in result.document_lines
        )
        assert (
            "Персонализированная программа наставничества (утверждена 10.09.2026)"
            in result.document_lines
        )
    # The agreement under ст. 351.8 is the mentor's document, not the mentee's.
    agreement = "Соглашение о наставничестве от 02.09.2026"
    assert agreement in ProgramResult.objects.get(person=mentor).document_lines
    assert agreement not in ProgramResult.objects.get(person=mentee).document_lines


def test_a_program_not_yet_finished_writes_nothing(school, curator):
    program = ProgramFactory(
        pair__organization=school, status=Program.Status.APPROVED, final_report=""
    )
    change_program_status(program=program, to=Program.Status.IN_PROGRESS, by=curator)
    assert not ProgramResult.objects.exists()


def test_a_refused_completion_writes_nothing(program, curator):
    program.final_report = ""
    program.save(update_fields=["final_report"])
    with pytest.raises(ValidationError):
        change_program_status(program=program, to=Program.Status.DONE, by=curator)
    assert not ProgramResult.objects.exists()


def test_another_schools_curator_cannot_complete_it(program):
    outsider = UserFactory(curator=True, organization=OrganizationFactory())
    with pytest.raises(ValidationError):
        change_program_status(program=program, to=Program.Status.DONE, by=outsider)
    assert not ProgramResult.objects.exists()
    program.refresh_from_db()
    assert program.status == Program.Status.IN_PROGRESS


def test_the_result_shows_on_the_persons_admin_page(client, program, curator):
    change_program_status(program=program, to=Program.Status.DONE, by=curator)
    mentor, mentee = _people(program)
    client.force_login(curator)
    page = client.get(reverse("admin:mentoring_person_change", args=[mentee.pk]))
    assert page.status_code == 200
    assert "результаты программ (информационная база)" in page.text.lower()
    assert GOAL in page.text
    assert REPORT in page.text
    # The mentor's card links the portfolio; the mentee's does not.
    portfolio = reverse("mentoring:mentor-portfolio", args=[mentor.pk])
    assert portfolio not in page.text
    page = client.get(reverse("admin:mentoring_person_change", args=[mentor.pk]))
    assert portfolio in page.text


def test_the_result_is_in_the_persons_data_export(program, curator):
    change_program_status(program=program, to=Program.Status.DONE, by=curator)
    _mentor, mentee = _people(program)
    archive = zipfile.ZipFile(io.BytesIO(export_person_data(person=mentee, by=curator)))
    data = json.loads(archive.read("svedeniya.json"))
    (section,) = [
        s
        for s in data["sections"]
        if s["title"] == "Результаты программ наставничества"
    ]
    (row,) = section["rows"]
    assert row["Роль"] == "Наставляемый"
    assert row["Итог"] == "Выполнена"
    assert row["Цель программы"] == GOAL
    assert row["Итоги (самоанализ)"] == REPORT
    assert row["С кем"].startswith("Орлова Вера")
    assert "№ 63-од" in row["Документы"]


def test_a_participant_sees_their_results_on_their_documents_page(
    client, program, curator
):
    change_program_status(program=program, to=Program.Status.DONE, by=curator)
    mentor, mentee = _people(program)
    for person in (mentor, mentee):
        person.user = UserFactory(organization=program.pair.organization)
        person.save(update_fields=["user"])
    client.force_login(mentee.user)
    page = client.get(reverse("mentoring:my-documents")).text
    assert GOAL in page
    assert f"завершена {short_date(timezone.localdate())}" in page
    assert "Портфолио наставника" not in page
    client.force_login(mentor.user)
    page = client.get(reverse("mentoring:my-documents")).text
    assert GOAL in page
    assert reverse("mentoring:mentor-portfolio", args=[mentor.pk]) in page


def test_a_destroyed_mentees_name_leaves_the_mentors_records(
    program, curator, settings, tmp_path
):
    """152-ФЗ ст. 21: the mentor's record names the mentee through the pair,
    so the name goes when the mentee's data are destroyed."""
    from mentoring.services import withdraw_consent
    from mentoring.services.destruction import destroy_expired_personal_data

    settings.MEDIA_ROOT = tmp_path
    change_program_status(program=program, to=Program.Status.DONE, by=curator)
    mentor, mentee = _people(program)
    year_ago = timezone.localdate() - datetime.timedelta(days=365)
    mentee.consents.update(given_on=year_ago)
    for consent in mentee.consents.filter(withdrawn_on__isnull=True):
        withdraw_consent(
            consent=consent,
            by=None,
            withdrawn_on=timezone.localdate() - datetime.timedelta(days=40),
        )
    assert destroy_expired_personal_data().acts
    mentee.refresh_from_db()
    assert mentee.last_name != "Белова"

    def names_in_export(person) -> str:
        archive = zipfile.ZipFile(
            io.BytesIO(export_person_data(person=person, by=curator))
        )
        data = json.loads(archive.read("svedeniya.json"))
        (section,) = [
            s
            for s in data["sections"]
            if s["title"] == "Результаты программ наставничества"
        ]
        return section["rows"][0]["С кем"]

    assert "Белова" not in names_in_export(mentor)
    # The result itself stays: the program was carried out.
    assert ProgramResult.objects.filter(person=mentor).count() == 1
