"""Consents and bank entries from a school's files: the consent rules hold."""

import datetime
import io
import re

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from mentoring.models import (
    AuditEntry,
    Consent,
    MenteeProfile,
    MentoringForm,
    MentorProfile,
)
from tests.factories import PersonFactory, UserFactory

pytestmark = pytest.mark.django_db

UPLOAD = reverse("admin:mentoring_person_import")


def today():
    # At run time, not import: a run may cross midnight in the school's zone.
    return timezone.localdate()


def given():
    return (today() - datetime.timedelta(days=10)).strftime("%d.%m.%Y")


def xlsx(rows) -> bytes:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def curator(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    user = UserFactory(curator=True)
    client.force_login(user)
    return user


def preview(client, curator, data, *, kind, name="файл.xlsx"):
    response = client.post(
        UPLOAD,
        {
            "kind": kind,
            "organization": curator.organization.pk,
            "file": SimpleUploadedFile(name, data),
        },
    )
    assert response.status_code == 302, response.text
    url = response["Location"]
    return url, client.get(url)


def counts(page) -> dict:
    table = re.search(r'id="import-counts">(.*?)</table>', page.text, re.S).group(1)
    return {
        label: int(number)
        for label, number in re.findall(r"<th>(.*?)</th><td>(\d+)</td>", table)
    }


def totals() -> tuple:
    return (
        Consent.objects.count(),
        MentorProfile.objects.count(),
        MenteeProfile.objects.count(),
    )


def test_the_import_page_offers_the_new_kinds_and_their_templates(client, curator):
    page = client.get(UPLOAD)
    for kind, header in (
        ("consents", "Вид согласия"),
        ("mentors", "Компетенции"),
        ("mentees", "Категория наставляемого"),
    ):
        assert f'value="{kind}"' in page.text
        url = reverse("admin:mentoring_person_import_template", args=[kind])
        assert url in page.text
        book = openpyxl.load_workbook(io.BytesIO(client.get(url).content))
        assert header in [c.value for c in book.worksheets[0][1]]


def test_consents_in_the_schools_wording_are_previewed_then_written(client, curator):
    teacher = PersonFactory(organization=curator.organization, school_id="1001")
    minor = PersonFactory(
        organization=curator.organization,
        student=True,
        last_name="Петров",
        first_name="Иван",
        patronymic="Ильич",
    )
    born = minor.birth_date.strftime("%d.%m.%Y")
    rows = [
        ["Таб. номер", "ФИО", "Дата рождения", "Вид согласия", "Дата согласия",
         "Действует до", "Кто дал согласие"],
        [1001.0, teacher.full_name, None, "Согласие на обработку ПДн", given(), None, None],
        [1001.0, teacher.full_name, None, "Согласие наставника (ст. 351.8 ТК РФ)",
         given(), None, None],
        [None, "Петров Иван Ильич", born,
         "Согласие законного представителя на обработку персональных данных",
         given(), "31.08.2099", "Петрова Анна Сергеевна"],
    ]  # fmt: skip
    url, page = preview(client, curator, xlsx(rows), kind="consents")
    assert counts(page) == {
        "Новых": 3,
        "Изменятся": 0,
        "Без изменений": 0,
        "С ошибками": 0,
    }
    assert Consent.objects.count() == 0
    response = client.post(url, {"action": "confirm"})
    assert response["Location"] == reverse("admin:mentoring_consent_changelist")
    assert set(teacher.consents.values_list("kind", flat=True)) == {
        Consent.Kind.PERSONAL_DATA,
        Consent.Kind.MENTOR_DUTIES,
    }
    guardian = minor.consents.get()
    assert guardian.kind == Consent.Kind.GUARDIAN
    assert guardian.representative_name == "Петрова Анна Сергеевна"
    assert guardian.recorded_by == curator
    entry = AuditEntry.objects.get(action="consents.imported")
    assert entry.data["new"] == 3 and entry.actor == curator

    _, page = preview(client, curator, xlsx(rows), kind="consents")
    assert counts(page)["Без изменений"] == 3 and counts(page)["Новых"] == 0


def test_a_consent_row_breaking_the_rules_writes_nothing(client, curator):
    teacher = PersonFactory(organization=curator.organization, school_id="7")
    future = (today() + datetime.timedelta(days=5)).strftime("%d.%m.%Y")
    rows = [
        ["ID", "Вид согласия", "Дата согласия"],
        ["7", "на обработку персональных данных", given()],
        ["7", "согласие наставника ст. 351.8", future],
        ["8", "на обработку персональных данных", given()],
    ]
    url, page = preview(client, curator, xlsx(rows), kind="consents")
    assert counts(page)["С ошибками"] == 2
    assert "Согласие не может быть дано в будущем." in page.text
    assert "Участник не найден в организации" in page.text
    client.post(url, {"action": "confirm"})
    assert totals() == (0, 0, 0)
    assert not teacher.consents.exists()


def test_a_bank_row_without_a_valid_consent_is_refused_with_its_reason(client, curator):
    form = MentoringForm.objects.filter(is_active=True).first()
    with_consent = PersonFactory(organization=curator.organization, school_id="1")
    Consent.objects.create(
        person=with_consent, kind=Consent.Kind.PERSONAL_DATA, given_on=today()
    )
    without = PersonFactory(organization=curator.organization, school_id="2")
    rows = [
        ["ID", "Наставляемых не более", "Компетенции", "Формы наставничества"],
        ["1", 3, "Олимпиадная математика", form.name],
        ["2", 2, "Физика", form.name],
    ]
    before = totals()
    url, page = preview(client, curator, xlsx(rows), kind="mentors")
    assert counts(page)["С ошибками"] == 1
    assert "В банк нельзя без действующего согласия" in page.text
    assert "на обработку персональных данных" in page.text
    client.post(url, {"action": "confirm"})
    assert totals() == before
    assert not MentorProfile.objects.filter(person=without).exists()

    url, page = preview(client, curator, xlsx(rows[:2]), kind="mentors")
    assert counts(page)["Новых"] == 1
    client.post(url, {"action": "confirm"})
    profile = MentorProfile.objects.get(person=with_consent)
    assert (profile.capacity, profile.competencies) == (3, "Олимпиадная математика")
    assert list(profile.forms.all()) == [form]
    _, page = preview(client, curator, xlsx(rows[:2]), kind="mentors")
    assert counts(page)["Без изменений"] == 1 and counts(page)["Изменятся"] == 0


def test_a_minor_enters_the_mentee_bank_only_on_the_representatives_consent(
    client, curator
):
    minor = PersonFactory(organization=curator.organization, student=True)
    # A minor's own consent is not the one the law asks for.
    Consent.objects.create(
        person=minor, kind=Consent.Kind.PERSONAL_DATA, given_on=today()
    )
    rows = [
        ["ФИО", "Дата рождения", "Категория наставляемого", "Запросы"],
        [minor.full_name, minor.birth_date, "Одарённый обучающийся", "Олимпиады"],
    ]
    url, page = preview(client, curator, xlsx(rows), kind="mentees")
    assert counts(page)["С ошибками"] == 1
    assert "законного представителя" in page.text
    client.post(url, {"action": "confirm"})
    assert not MenteeProfile.objects.exists()

    Consent.objects.create(
        person=minor,
        kind=Consent.Kind.GUARDIAN,
        given_on=today(),
        representative_name="Иванов Пётр Сергеевич",
    )
    url, page = preview(client, curator, xlsx(rows), kind="mentees")
    assert counts(page)["Новых"] == 1
    client.post(url, {"action": "confirm"})
    profile = MenteeProfile.objects.get(person=minor)
    assert profile.category == MenteeProfile.Category.GIFTED
    assert profile.requests == "Олимпиады"


def test_a_cp1251_semicolon_csv_of_consents_through_the_command(
    curator, tmp_path, capsys
):
    person = PersonFactory(
        organization=curator.organization,
        last_name="Сёмина",
        first_name="Ольга",
        patronymic="Ивановна",
    )
    born = person.birth_date.strftime("%d.%m.%Y")
    csv = tmp_path / "согласия.csv"
    csv.write_bytes(
        (
            "Фамилия;Имя;Отчество;Дата рождения;Вид согласия;Дата согласия\r\n"
            f"Сёмина;Ольга;Ивановна;{born};На обработку персональных данных;{given()}\r\n"
        ).encode("cp1251")
    )
    args = [str(csv), "--organization", str(curator.organization.pk)]
    call_command("import_people", *args, "--kind", "consents", "--dry-run")
    assert "Новых: 1" in capsys.readouterr().out
    assert not Consent.objects.exists()
    call_command("import_people", *args, "--kind", "consents")
    assert person.consents.get().kind == Consent.Kind.PERSONAL_DATA
    call_command("import_people", *args, "--kind", "consents")
    assert "без изменений: 1" in capsys.readouterr().out.splitlines()[-2]
    assert Consent.objects.count() == 1

    bank = tmp_path / "банк.csv"
    bank.write_bytes(
        (
            "ФИО;Дата рождения;Категория наставляемого\r\n"
            f"Никто Никто Никтович;{born};Молодой специалист\r\n"
        ).encode("cp1251")
    )
    with pytest.raises(CommandError):
        call_command(
            "import_people", str(bank), "--organization",
            str(curator.organization.pk), "--kind", "mentees",
        )  # fmt: skip
    assert not MenteeProfile.objects.exists()


def test_an_unknown_consent_column_is_mapped_once_and_remembered(client, curator):
    PersonFactory(organization=curator.organization, school_id="5")
    rows = [
        ["ID", "Вид согласия", "Когда подписано"],
        ["5", "на обработку персональных данных", given()],
    ]
    url, page = preview(client, curator, xlsx(rows), kind="consents")
    assert "Когда подписано" in page.text and 'id="import-counts"' not in page.text
    client.post(url, {"action": "map", "column_0": "given_on"})
    page = client.get(url)
    assert counts(page)["Новых"] == 1
    client.post(url, {"action": "confirm"})
    assert Consent.objects.count() == 1
    _, page = preview(client, curator, xlsx(rows), kind="consents")
    assert counts(page)["Без изменений"] == 1
