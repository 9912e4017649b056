"""Back-office lists download as XLSX: filtered, scoped, in Russian, formula-safe."""

import datetime
import io

import pytest
from django.contrib.admin import helpers
from django.contrib.admin import site as admin_site
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from mentoring.admin.exports import ExportXlsxMixin
from mentoring.models import Consent, Meeting, Pair, Person, Program
from tests.factories import (
    ConsentFactory,
    MeetingFactory,
    MenteeProfileFactory,
    MentorProfileFactory,
    OrganizationFactory,
    PairFactory,
    PersonFactory,
    ProgramFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

# What a user may type that a spreadsheet would run, or turn into a formula
# once the cell is edited.
NASTY = ['=HYPERLINK("http://evil")', "+7 900", "-1", "@SUM(A1)", "\tx"]


@pytest.fixture
def curator(client):
    user = UserFactory(curator=True)
    client.force_login(user)
    return user


@pytest.fixture
def outsider():
    """Another school with rows of every list: none of them may be exported."""
    school = OrganizationFactory()
    PersonFactory(organization=school, last_name="Чужая")
    PersonFactory(organization=school, student=True, last_name="Чужой")
    MentorProfileFactory(person__organization=school, person__last_name="Чужая")
    MenteeProfileFactory(person__organization=school, person__last_name="Чужая")
    ConsentFactory(person__organization=school, person__last_name="Чужая")
    pair = PairFactory(organization=school, active=True)
    ProgramFactory(pair=pair)
    MeetingFactory(pair=pair, topic="Чужая встреча")
    return school


def download(client, model: str, params=None):
    """The «Выгрузить в Excel» button of a list: its rows and its sheet."""
    response = client.get(reverse(f"admin:mentoring_{model}_export"), params or {})
    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert "attachment" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    return list(sheet.iter_rows(values_only=True)), sheet


def column(rows, header):
    index = rows[0].index(header)
    return [row[index] for row in rows[1:]]


def assert_kept_as_text(sheet, texts):
    """Each text is in a cell of its own, stored as text and unchanged."""
    found = {}
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            for text in texts:
                if isinstance(cell.value, str) and cell.value.startswith(text):
                    found[text] = cell
    assert set(found) == set(texts)
    for text, cell in found.items():
        assert cell.data_type == "s", text
        # Excel's «'» mark: it stays text even after the cell is edited.
        assert cell.quotePrefix, text
        assert cell.value.startswith(text)


def test_persons_export_the_filtered_list_of_the_own_school(client, curator, outsider):
    school = curator.organization
    for name in NASTY:
        PersonFactory(organization=school, student=True, last_name=name)
    PersonFactory(organization=school, last_name="Учителева")

    rows, sheet = download(client, "person", {"category": "student"})

    assert rows[0] == (
        "ФИО",
        "Категория",
        "Должность / класс",
        "Согласие ПДн",
        "Передача ПДн",
        "Банки",
    )
    names = column(rows, "ФИО")
    assert sorted(names) == sorted(
        p.full_name for p in Person.objects.filter(last_name__in=NASTY)
    )
    assert set(column(rows, "Категория")) == {"Обучающийся"}
    assert set(column(rows, "Должность / класс")) == {"7Б"}
    assert_kept_as_text(sheet, NASTY)


def test_the_search_of_the_list_is_the_search_of_the_export(client, curator, outsider):
    PersonFactory(organization=curator.organization, last_name="Ромашкина")
    PersonFactory(organization=curator.organization, last_name="Лютикова")

    rows, _sheet = download(client, "person", {"q": "Ромашк"})

    assert [name.split()[0] for name in column(rows, "ФИО")] == ["Ромашкина"]


def test_the_action_exports_only_the_selected_rows(client, curator, outsider):
    chosen = PersonFactory(organization=curator.organization, last_name="Выбранная")
    PersonFactory(organization=curator.organization, last_name="Оставленная")

    response = client.post(
        reverse("admin:mentoring_person_changelist"),
        {
            "action": "export_selected_xlsx",
            helpers.ACTION_CHECKBOX_NAME: [chosen.pk],
            "index": 0,
        },
    )

    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert column(rows, "ФИО") == [chosen.full_name]


def test_the_list_offers_the_button_with_its_filters(client, curator):
    response = client.get(
        reverse("admin:mentoring_person_changelist"), {"category": "student"}
    )

    url = reverse("admin:mentoring_person_export") + "?category=student"
    assert f'href="{url}"' in response.text
    assert "Выгрузить в Excel" in response.text


def test_mentor_bank_exports_in_bank_mentors_of_the_own_school(
    client, curator, outsider
):
    school = curator.organization
    for name in NASTY:
        MentorProfileFactory(person__organization=school, person__last_name=name)
    MentorProfileFactory(
        person__organization=school, person__last_name="Исключённая", status="excluded"
    )

    rows, sheet = download(client, "mentorprofile", {"status__exact": "in_bank"})

    assert rows[0] == (
        "ФИО",
        "Должность",
        "Статус в банке",
        "Нагрузка",
        "Обучен",
        "Формы",
        "Согласие ПДн",
    )
    assert len(rows) == 1 + len(NASTY)
    assert set(column(rows, "Статус в банке")) == {"В банке"}
    assert set(column(rows, "Нагрузка")) == {"0 / 2"}
    assert set(column(rows, "Согласие ПДн")) == {"да"}
    assert_kept_as_text(sheet, NASTY)


def test_mentee_bank_exports_the_filtered_mentees(client, curator, outsider):
    school = curator.organization
    for name in NASTY:
        MenteeProfileFactory(person__organization=school, person__last_name=name)
    PairFactory(organization=school, active=True)  # its mentee is in a pair

    rows, sheet = download(client, "menteeprofile", {"paired": "no"})

    assert rows[0][:4] == (
        "ФИО",
        "Класс / должность",
        "Категория наставляемого",
        "Статус в банке",
    )
    assert len(rows) == 1 + len(NASTY)
    assert set(column(rows, "В паре")) == {"нет"}
    assert_kept_as_text(sheet, NASTY)


def test_consents_export_dates_as_dates(client, curator, outsider):
    school = curator.organization
    given = datetime.date(2025, 9, 1)
    for name in NASTY:
        ConsentFactory(person__organization=school, person__last_name=name)
    withdrawn = ConsentFactory(
        person__organization=school,
        person__last_name="Отозвавшая",
        given_on=given,
        withdrawn_on=given + datetime.timedelta(days=10),
    )

    rows, sheet = download(client, "consent", {"state": "withdrawn"})

    assert rows[0][:3] == ("Участник", "Вид согласия", "Дано")
    assert column(rows, "Участник") == [withdrawn.person.full_name]
    given_cell = sheet.cell(row=2, column=3)
    assert given_cell.value == datetime.datetime(2025, 9, 1)
    assert given_cell.number_format == "DD.MM.YYYY"

    rows, sheet = download(client, "consent", {"q": "Отозвавшая"})
    assert len(rows) == 2
    rows, sheet = download(client, "consent", {"state": "valid"})
    assert_kept_as_text(sheet, NASTY)
    assert len(rows) == 1 + len(NASTY)


def test_pairs_export_their_people_and_term_as_two_dates(client, curator, outsider):
    school = curator.organization
    pairs = [PairFactory(organization=school, active=True) for _ in range(2)]
    PairFactory(organization=school)  # a draft, filtered out
    for pair, name in zip(pairs, NASTY, strict=False):
        mentee = pair.participations.get(role="mentee").person
        mentee.last_name = name
        mentee.save(update_fields=["last_name"])

    rows, sheet = download(client, "pair", {"status__exact": Pair.Status.ACTIVE})

    assert rows[0] == (
        "№",
        "Тип",
        "Форма наставничества",
        "Наставник",
        "Наставляемые",
        "Статус",
        "Начало",
        "Окончание (план)",
    )
    assert sorted(column(rows, "№")) == sorted(p.pk for p in pairs)
    assert set(column(rows, "Тип")) == {"пара"}
    starts = sheet.cell(row=2, column=7)
    assert starts.value.date() == pairs[0].starts_on
    assert starts.number_format == "DD.MM.YYYY"
    assert_kept_as_text(sheet, NASTY[:2])


def test_programs_export_the_filtered_programs(client, curator, outsider):
    school = curator.organization
    approved = ProgramFactory(pair__organization=school)
    ProgramFactory(pair__organization=school, status=Program.Status.DRAFT)

    rows, _sheet = download(
        client, "program", {"status__exact": Program.Status.APPROVED}
    )

    assert rows[0] == (
        "Пара/группа",
        "Статус",
        "Начало",
        "Окончание",
        "Выполнено пунктов",
    )
    assert column(rows, "Пара/группа") == [str(approved.pair)]
    assert column(rows, "Выполнено пунктов") == ["0 / 0"]


def test_meetings_export_topics_as_text_and_times_as_dates(client, curator, outsider):
    pair = PairFactory(organization=curator.organization, active=True)
    at = timezone.make_aware(datetime.datetime(2025, 10, 7, 15, 30))
    for topic in NASTY:
        MeetingFactory(pair=pair, topic=topic, starts_at=at)
    MeetingFactory(pair=pair, topic="Отменённая", status=Meeting.Status.CANCELLED)

    rows, sheet = download(client, "meeting", {"status__exact": Meeting.Status.HELD})

    assert rows[0] == (
        "Дата и время",
        "Пара/группа",
        "Вид встречи",
        "Формат",
        "Тема",
        "Статус",
    )
    assert sorted(column(rows, "Тема")) == sorted(NASTY)
    assert set(column(rows, "Дата и время")) == {datetime.datetime(2025, 10, 7, 15, 30)}
    assert sheet.cell(row=2, column=1).number_format == "DD.MM.YYYY HH:MM"
    assert_kept_as_text(sheet, NASTY)


def _people(school, n):
    for i in range(n):
        PersonFactory(organization=school, student=bool(i % 2), consented=True)


def _mentors(school, n):
    for _i in range(n):
        MentorProfileFactory(person__organization=school)


def _mentees(school, n):
    for _i in range(n):
        MenteeProfileFactory(person__organization=school)


def _consents(school, n):
    for _i in range(n):
        ConsentFactory(person__organization=school, kind=Consent.Kind.PERSONAL_DATA)


def _pairs(school, n):
    for _i in range(n):
        PairFactory(organization=school, active=True)


def _programs(school, n):
    for _i in range(n):
        ProgramFactory(pair__organization=school)


def _meetings(school, n):
    pair = PairFactory(organization=school, active=True)
    for _i in range(n):
        MeetingFactory(pair=pair)


@pytest.mark.parametrize(
    ("model", "make"),
    [
        ("person", _people),
        ("mentorprofile", _mentors),
        ("menteeprofile", _mentees),
        ("consent", _consents),
        ("pair", _pairs),
        ("program", _programs),
        ("meeting", _meetings),
    ],
)
def test_an_export_costs_the_same_queries_for_2_and_20_rows(
    client, curator, django_assert_num_queries, model, make
):
    url = reverse(f"admin:mentoring_{model}_export")
    make(curator.organization, 2)
    client.get(url)  # warm per-process caches
    with CaptureQueriesContext(connection) as two:
        client.get(url)

    make(curator.organization, 18)
    with django_assert_num_queries(len(two)):
        rows, _sheet = download(client, model)
    assert len(rows) > 20


def test_every_list_with_the_button_downloads(client, curator, outsider):
    """Orders, documents, questionnaires, the audit log…: no list fails to export."""
    PairFactory(organization=curator.organization, active=True)
    ProgramFactory(pair__organization=curator.organization)
    exported = []
    for model, model_admin in admin_site._registry.items():
        if not isinstance(model_admin, ExportXlsxMixin):
            continue
        opts = model._meta
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_export")
        response = client.get(url)
        if not model_admin.has_view_permission(_request_of(curator)):
            assert response.status_code == 403, url
            continue
        assert response.status_code == 200, url
        sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
        assert sheet.max_row >= 1
        exported.append(opts.model_name)
    assert {"person", "pair", "order", "activity", "response"} <= set(exported)


def _request_of(user):
    request = RequestFactory().get("/")
    request.user = user
    return request
