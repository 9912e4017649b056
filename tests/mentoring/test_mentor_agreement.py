"""The mentor's agreement under ТК РФ ст. 351.8 (issue 13 item 6): prefilled
from the pair, filled by the curator, printed for both sides to sign, its
signed scan kept beside the mentor's written consent."""

import datetime
import subprocess
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from mentoring.dates import short_date
from mentoring.models import AuditEntry, MentorAgreement, Participation
from mentoring.services.agreements import save_mentor_agreement
from tests.factories import (
    MenteeProfileFactory,
    OrderFactory,
    OrganizationFactory,
    ProgramFactory,
    UserFactory,
    form,
)
from tests.reference_images import pdf_to_png

from .orders_helpers import named_pair, pdf_text

pytestmark = pytest.mark.django_db

SCAN = b"%PDF-1.4\n% signed agreement\n"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def school():
    return OrganizationFactory(
        full_name="Государственное бюджетное общеобразовательное учреждение "
        "гимназия № 517 Невского района Санкт-Петербурга",
        short_name="ГБОУ гимназия № 517",
        place="г. Санкт-Петербург",
        address="193231, Санкт-Петербург, ул. Латышских Стрелков, д. 5",
        head_position="Директор",
        head_name="С.А. Белоусова",
    )


@pytest.fixture
def curator(client, school):
    user = UserFactory(curator=True, organization=school)
    client.force_login(user)
    return user


@pytest.fixture
def pair(school):
    pair = named_pair(
        school,
        mentor={
            "last_name": "Бонч-Бруевич",
            "first_name": "Ирина",
            "patronymic": "Викторовна",
            "position": "учитель математики",
        },
        mentees=[
            {
                "last_name": "Соколова",
                "first_name": "Анна",
                "patronymic": "Олеговна",
                "position": "учитель информатики",
            }
        ],
        status="active",
    )
    ProgramFactory(
        pair=pair,
        goal="Адаптация молодого специалиста в коллективе и профессии",
        tasks="Освоить планирование уроков\nВыстроить работу с родителями",
    )
    return pair


def mentor_of(pair):
    return pair.participations.get(role=Participation.Role.MENTOR).person


def page_url(pair, mentor):
    return reverse("mentoring:agreement", args=[pair.pk, mentor.pk])


def pdf_url(pair, mentor):
    return reverse("mentoring:agreement-pdf", args=[pair.pk, mentor.pk])


def terms(pair, **changes):
    data = {
        "concluded_on": "",
        "contract_number": "47",
        "contract_date": "2019-08-30",
        "content": "Планирование уроков с наставляемым\nПосещение и анализ уроков",
        "starts_on": pair.starts_on.isoformat(),
        "ends_on": pair.ends_on.isoformat(),
        "pay": "percent",
        "pay_value": "15",
        "other_terms": "",
    }
    data.update(changes)
    return data


def test_the_page_prefills_the_terms_from_the_pair_and_its_program(
    client, curator, pair
):
    response = client.get(page_url(pair, mentor_of(pair)))

    assert response.status_code == 200
    assert "Адаптация молодого специалиста в коллективе и профессии" in response.text
    assert "Освоить планирование уроков" in response.text
    assert f'value="{pair.starts_on.isoformat()}"' in response.text
    assert f'value="{pair.ends_on.isoformat()}"' in response.text
    assert not MentorAgreement.objects.exists()


def test_the_term_comes_from_the_order_when_the_pair_has_no_dates(
    client, curator, school
):
    order = OrderFactory(
        organization=school,
        status="signed",
        year=2026,
        number=112,
        number_suffix="-од",
        signed_on=datetime.date(2026, 9, 1),
    )
    pair = named_pair(school, starts_on=None, ends_on=None, order=order)

    response = client.get(page_url(pair, mentor_of(pair)))

    assert 'value="2026-09-01"' in response.text


def test_the_curator_saves_the_terms_and_prints_the_agreement(client, curator, pair):
    mentor = mentor_of(pair)

    response = client.post(page_url(pair, mentor), terms(pair), follow=True)

    assert "Соглашение сохранено." in response.text
    agreement = MentorAgreement.objects.get(pair=pair, mentor=mentor)
    assert agreement.pay_value == Decimal("15")
    entry = AuditEntry.objects.get(action="agreement.created")
    assert "доплата 15 %" in entry.message
    assert entry.actor == curator

    pdf = client.get(pdf_url(pair, mentor))
    assert pdf["Content-Type"] == "application/pdf"
    text = pdf_text(pdf.getvalue())
    assert "ДОПОЛНИТЕЛЬНОЕ СОГЛАШЕНИЕ" in text
    assert "статья 351.8 Трудового кодекса" in text
    assert "к трудовому договору от 30.08.2019 № 47" in text
    assert "гимназия № 517 Невского района Санкт-Петербурга (далее — Работодатель)" in (
        text
    )
    assert "Бонч-Бруевич Ирина Викторовна, учитель математики (далее — Работник)" in (
        text
    )
    assert (
        "в отношении наставляемого: Соколова Анна Олеговна, учитель информатики."
        in text
    )
    assert f"Форма наставничества: {pair.form.name}" in text
    assert "— Посещение и анализ уроков" in text
    assert (
        f"Срок наставничества: с {short_date(pair.starts_on)} по "
        f"{short_date(pair.ends_on)}." in text
    )
    assert "доплата в размере 15 % должностного оклада" in text
    assert "не позднее чем за три рабочих дня" in text
    assert "____________ / С.А. Белоусова" in text
    assert "____________ / И.В. Бонч-Бруевич" in text
    assert "Экземпляр соглашения получил(а): И.В. Бонч-Бруевич" in text
    # The mentor's written consent (the factory records one) is cited.
    consent = mentor.consents.get(kind="mentor_duties")
    assert f"с письменного согласия Работника от {short_date(consent.given_on)}" in (
        text
    )


def test_the_agreement_without_pay_prints_the_other_terms(client, curator, pair):
    mentor = mentor_of(pair)
    client.post(
        page_url(pair, mentor),
        terms(
            pair,
            pay="none",
            pay_value="",
            other_terms="Снижение учебной нагрузки на 2 часа в неделю",
        ),
    )

    text = pdf_text(client.get(pdf_url(pair, mentor)).getvalue())

    assert (
        "Обязанности наставника выполняются без доплаты, на иных условиях: "
        "Снижение учебной нагрузки на 2 часа в неделю" in text
    )
    assert "доплата в размере" not in text


def test_the_pdf_names_the_signed_order_as_the_basis(client, curator, pair):
    order = OrderFactory(
        organization=pair.organization,
        status="signed",
        year=2026,
        number=112,
        number_suffix="-од",
        signed_on=datetime.date(2026, 9, 1),
    )
    pair.order = order
    pair.save(update_fields=["order"])
    mentor = mentor_of(pair)
    client.post(page_url(pair, mentor), terms(pair, pay="amount", pay_value="2500"))

    text = pdf_text(client.get(pdf_url(pair, mentor)).getvalue())

    assert f"Основание: приказ от 01.09.2026 № 112-од «{order.title}»" in text
    assert "доплата в размере 2500 руб. в месяц" in text


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"pay": "percent", "pay_value": ""}, "Укажите размер доплаты."),
        ({"pay": "percent", "pay_value": "150"}, "не больше 100 %"),
        ({"pay": "amount", "pay_value": "-10"}, "должен быть больше 0"),
        ({"pay": "amount", "pay_value": "много"}, "Введите число."),
        ({"pay": "none", "pay_value": "", "other_terms": ""}, "укажите иные условия"),
        ({"ends_on": "2020-01-01", "starts_on": "2021-01-01"}, "позже начала"),
        ({"content": ""}, "Обязательное поле"),
        ({"content": "Планы\x1bуроков"}, "управляющие символы"),
    ],
)
def test_bad_terms_are_refused_with_a_message_and_nothing_saved(
    client, curator, pair, changes, message
):
    response = client.post(page_url(pair, mentor_of(pair)), terms(pair, **changes))

    assert response.status_code == 200
    assert message in response.text
    assert not MentorAgreement.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="agreement.").exists()


def test_a_scan_that_is_no_scan_is_refused(client, curator, pair):
    data = terms(pair, scan=SimpleUploadedFile("agreement.pdf", b"MZ\x90\x00"))

    response = client.post(page_url(pair, mentor_of(pair)), data)

    assert "Файл не похож на скан" in response.text
    assert not MentorAgreement.objects.exists()


def test_the_signed_scan_is_kept_and_served_to_the_office(client, curator, pair):
    mentor = mentor_of(pair)
    client.post(page_url(pair, mentor), terms(pair))
    data = terms(pair, scan=SimpleUploadedFile("подписано.pdf", SCAN))

    client.post(page_url(pair, mentor), data)

    agreement = MentorAgreement.objects.get()
    assert agreement.scan.name.startswith("mentoragreements/")
    assert AuditEntry.objects.filter(
        action="agreement.changed", message__contains="скан подписанного"
    ).exists()
    served = client.get(agreement.scan.url)
    assert b"".join(served.streaming_content) == SCAN
    # The mentee of the pair does not see the mentor's pay.
    mentee = pair.participations.get(role=Participation.Role.MENTEE).person
    mentee.user = UserFactory(organization=pair.organization)
    mentee.save(update_fields=["user"])
    client.force_login(mentee.user)
    assert client.get(agreement.scan.url).status_code == 404


def test_a_student_mentor_has_no_agreement(client, curator, school):
    pair = named_pair(
        school,
        mentor={"category": "student", "birth_date": datetime.date(2009, 5, 1)},
        form=form("student-student"),
    )
    mentor = mentor_of(pair)

    assert client.get(page_url(pair, mentor)).status_code == 404
    assert client.post(page_url(pair, mentor), terms(pair)).status_code == 404
    listing = client.get(reverse("mentoring:agreements"))
    assert mentor.full_name not in listing.text
    assert not MentorAgreement.objects.exists()


def test_the_database_refuses_a_percentage_over_100_whatever_the_way_in(pair):
    agreement = MentorAgreement(
        pair=pair,
        mentor=mentor_of(pair),
        content="Помощь",
        starts_on=pair.starts_on,
        ends_on=pair.ends_on,
        pay=MentorAgreement.Pay.PERCENT,
        pay_value=Decimal("150"),
    )

    with pytest.raises(ValidationError) as error:
        agreement.full_clean()

    assert "не больше 100" in str(error.value)


def test_the_service_refuses_a_mentor_who_is_no_employee(school):
    pair = named_pair(school, mentor={"category": "university_student"})
    mentor = mentor_of(pair)

    with pytest.raises(ValidationError) as error:
        save_mentor_agreement(
            pair=pair,
            mentor=mentor,
            by=None,
            terms={
                "content": "Помощь",
                "starts_on": pair.starts_on,
                "ends_on": pair.ends_on,
                "pay": "none",
                "other_terms": "Без доплаты",
            },
        )

    assert "не работник" in error.value.messages[0]
    assert not MentorAgreement.objects.exists()


def test_a_closed_pair_keeps_its_agreement_unchanged(client, curator, pair):
    mentor = mentor_of(pair)
    client.post(page_url(pair, mentor), terms(pair))
    pair.status = "completed"
    pair.closed_on = timezone.localdate()
    pair.save(update_fields=["status", "closed_on"])

    response = client.post(page_url(pair, mentor), terms(pair, pay_value="30"))

    assert "уже закрыта" in response.text
    assert MentorAgreement.objects.get().pay_value == Decimal("15")


def test_the_pdf_waits_for_the_terms(client, curator, pair):
    response = client.get(pdf_url(pair, mentor_of(pair)), follow=True)

    assert "Сначала заполните и сохраните условия соглашения." in response.text


def test_another_schools_curator_does_not_find_the_pair(client, pair):
    client.force_login(UserFactory(curator=True, organization=OrganizationFactory()))

    assert client.get(page_url(pair, mentor_of(pair))).status_code == 404


def test_a_short_agreement_is_one_page(client, curator, pair, tmp_path):
    mentor = mentor_of(pair)
    client.post(
        page_url(pair, mentor),
        terms(pair, other_terms="Один дополнительный день отдыха в каникулы"),
    )

    pages = pdf_to_png(
        client.get(pdf_url(pair, mentor)).getvalue(), tmp_path, "agreement"
    )

    assert len(pages) == 1


def page_texts(content: bytes) -> list[str]:
    """Each page's text, spaces collapsed (pdftotext ends a page with \\f)."""
    text = subprocess.run(
        ["pdftotext", "-raw", "-", "-"], input=content, capture_output=True, check=True
    ).stdout.decode()
    return [" ".join(page.split()) for page in text.split("\f") if page.strip()]


def test_the_signatures_stay_with_the_last_clause_of_a_long_agreement(
    client, curator, pair
):
    mentor = mentor_of(pair)
    for _ in range(3):
        Participation.objects.create(
            pair=pair,
            person=MenteeProfileFactory(
                person__organization=pair.organization,
                person__position="учитель изобразительного искусства и мировой "
                "художественной культуры",
            ).person,
            role=Participation.Role.MENTEE,
        )
    content = "\n".join(
        ["Совместное планирование уроков и внеурочной деятельности по ФОП"] * 8
    )
    client.post(page_url(pair, mentor), terms(pair, content=content))

    pages = page_texts(client.get(pdf_url(pair, mentor)).getvalue())

    assert len(pages) == 2
    # Numbered on from the clauses above (no order here: no «Основание»).
    assert "7. Соглашение вступает в силу" in pages[1]
    assert "Работодатель ГБОУ гимназия № 517" in pages[1]
    assert "Экземпляр соглашения получил(а)" in pages[1]


def test_the_mentors_card_shows_the_agreement_beside_the_consents(
    client, curator, pair
):
    mentor = mentor_of(pair)
    client.post(page_url(pair, mentor), terms(pair, pay="amount", pay_value="2500"))
    mentee = pair.participations.get(role=Participation.Role.MENTEE).person

    card = client.get(reverse("admin:mentoring_person_change", args=[mentor.pk]))
    pupil_card = client.get(reverse("admin:mentoring_person_change", args=[mentee.pk]))

    assert "Соглашения о наставничестве (ст. 351.8 ТК РФ)" in card.text
    assert "доплата 2500 руб. в месяц" in card.text
    assert page_url(pair, mentor) in card.text
    # The mentee is a teacher too: her card has the table, without the row.
    assert "Соглашения о наставничестве (ст. 351.8 ТК РФ)" in pupil_card.text
    assert "доплата 2500" not in pupil_card.text


def test_a_pupils_card_has_no_agreements_table(client, curator, school):
    pair = named_pair(
        school,
        mentor={"category": "student", "birth_date": datetime.date(2009, 5, 1)},
        form=form("student-student"),
    )

    card = client.get(
        reverse("admin:mentoring_person_change", args=[mentor_of(pair).pk])
    )

    assert card.status_code == 200
    assert "Соглашения о наставничестве" not in card.text
