"""A participant gets an extract (выписка) of the signed order, never the whole.

The order assigns three pairs of minors: Соколова Полина's own pair, the
pair of her brother Соколов Максим and another child, and a second pair of
her own mentor. Her extract must print her pair and nobody of the others.
"""

import datetime

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from mentoring.models import AuditEntry, Participation, Person
from mentoring.services import orders as order_services
from tests.factories import (
    MenteeProfileFactory,
    UserFactory,
    form,
)
from tests.reference_images import assert_matches_reference, pdf_to_png

from .orders_helpers import (
    REFERENCE,
    gymnasium,
    gymnasium_curator,
    kind_heading,
    named_pair,
    pdf_text,
)


@pytest.fixture(autouse=True)
def _fixed_day():
    # The reference rendering prints the order's and the extract's dates.
    with time_machine.travel(
        datetime.datetime(2026, 10, 16, 7, 0, tzinfo=datetime.UTC), tick=False
    ):
        yield


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def school():
    return gymnasium()


@pytest.fixture
def curator(school):
    return gymnasium_curator(school)


def _pupil(last_name, first_name, patronymic, school_class, *, male=False):
    return {
        "last_name": last_name,
        "first_name": first_name,
        "patronymic": patronymic,
        "gender": Person.Gender.MALE if male else Person.Gender.FEMALE,
        "category": Person.Category.STUDENT,
        "school_class": school_class,
        "birth_date": timezone.localdate().replace(year=2012),
        "teaching_since": None,
        "position": "",
    }


# Every person of the pairs that are not Полина's, as the whole order names them.
OTHER_PAIRS = [
    "Иванова",
    "Мария Петровна",
    "Марию Петровну",
    "Глебов",
    "Максим",
    "Лебедев",
]


def _draft_order(school, curator):
    own = named_pair(
        school,
        mentor={
            "last_name": "Ершов",
            "first_name": "Андрей",
            "patronymic": "Николаевич",
            "gender": Person.Gender.MALE,
            "position": "учитель физики",
        },
        mentees=[_pupil("Соколова", "Полина", "Игоревна", "9Б")],
        form=form("teacher-student"),
    )
    others = named_pair(
        school,
        mentor={
            "last_name": "Иванова",
            "first_name": "Мария",
            "patronymic": "Петровна",
            "position": "учитель русского языка и литературы",
        },
        mentees=[
            _pupil("Соколов", "Максим", "Игоревич", "7А", male=True),
            _pupil("Глебов", "Илья", "Романович", "7А", male=True),
        ],
        form=form("teacher-student"),
    )
    # Полина's mentor has a second pupil: his pair, not hers.
    mentor = own.participations.get(role=Participation.Role.MENTOR).person
    second = named_pair(
        school,
        mentees=[_pupil("Лебедев", "Артём", "Олегович", "8В", male=True)],
        form=form("teacher-student"),
    )
    second.participations.filter(role=Participation.Role.MENTOR).update(person=mentor)
    order = order_services.create_pair_order(
        organization=school, pairs=[own, others, second], by=curator
    )
    return order


def _sign(order, curator, school):
    order_services.submit_order(order=order, by=curator)
    director = UserFactory(director=True, organization=school)
    order = order_services.sign_order(order=order, director=director)
    # As the task queued on commit does: the signed PDF is stored.
    return order_services.store_order_pdf(order_id=order.pk)


def _login_as(client, pair_person):
    user = UserFactory()
    pair_person.user = user
    pair_person.save(update_fields=["user"])
    client.force_login(user)
    return user


def _person(order, last_name):
    return Person.objects.get(
        participations__pair__order=order, last_name=last_name, category="student"
    )


@pytest.fixture
def order(school, curator):
    return _sign(_draft_order(school, curator), curator, school)


def _get_pdf(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == "application/pdf"
    return b"".join(response.streaming_content)


@pytest.mark.django_db
def test_a_mentees_extract_has_the_requisites_her_pair_and_the_certification(
    client, school, order
):
    _login_as(client, _person(order, "Соколова"))
    content = _get_pdf(client, reverse("mentoring:order-extract", args=[order.pk]))
    text = pdf_text(content)

    today = timezone.localdate().strftime("%d.%m.%Y")
    for requisite in [
        "ВЫПИСКА ИЗ ПРИКАЗА",
        school.full_name,
        f"{order.signed_on:%d.%m.%Y} № 1-од",
        "г. Санкт-Петербург",
        order.title,
        "В соответствии с Положением о системе наставничества",
        "ПРИКАЗЫВАЮ:",
        "1. Закрепить наставнические пары (группы) согласно приложению",
        # Her own clause keeps the order's own number.
        "1.1. Закрепить наставником Ершова Андрея Николаевича за обучающейся 9Б "
        "класса Соколовой Полиной Игоревной",
        "Наставникам в течение двух недель",
        "Заместителю директора по УВР Корниловой Анне Михайловне, "
        "куратору программы наставничества, обеспечить",
        f"Приложение к приказу от {order.signed_on:%d.%m.%Y} № 1-од",
        "Соколова Полина Игоревна, обучающаяся 9Б класса",
        "Ершов Андрей Николаевич, учитель физики",
        # The signer of the original, without a signature.
        "Директор С.А. Белоусова",
        # The certification, dated the day the extract is given.
        f"Выписка верна Заместитель директора по УВР А.М. Корнилова {today}",
    ]:
        assert requisite in text, requisite
    assert kind_heading(
        text, after=school.full_name, before=f"{order.signed_on:%d.%m.%Y}"
    ), text[:400]
    for name in OTHER_PAIRS:
        assert name not in text, name
    # Nor the other pairs' clauses, nor the familiarization list of everyone.
    assert "1.2." not in text and "1.3." not in text
    assert "С приказом ознакомлены" not in text
    # The whole order does name them: the extract is what leaves them out.
    whole = pdf_text(order_services.stored_order_pdf(order=order))
    assert all(name in whole for name in OTHER_PAIRS)

    # The appendix and the certification keep together on the second sheet.
    assert len(pdf_to_png(content, settings.MEDIA_ROOT / "count", "extract")) == 2
    assert_matches_reference(
        content, REFERENCE, "order_extract", settings.MEDIA_ROOT / "png"
    )


@pytest.mark.django_db
def test_a_mentors_extract_has_both_his_pairs_and_no_other(client, order):
    mentor = Person.objects.get(last_name="Ершов")
    _login_as(client, mentor)
    text = pdf_text(
        _get_pdf(client, reverse("mentoring:order-extract", args=[order.pk]))
    )

    assert "1.1. Закрепить наставником Ершова Андрея Николаевича" in text
    assert "1.3. Закрепить наставником Ершова Андрея Николаевича" in text
    assert "Соколова Полина Игоревна" in text
    assert "Лебедев Артём Олегович" in text
    for name in ["Иванова", "Марию Петровну", "Глебов", "Максим"]:
        assert name not in text, name
    assert "1.2." not in text


@pytest.mark.django_db
def test_what_the_curator_wrote_is_left_out_where_it_names_another_child(
    client, school, curator
):
    draft = _draft_order(school, curator)
    draft.preamble += "\nНа основании заявления родителей Глебова Ильи Романовича"
    order_services.save_order_draft(order=draft, by=curator)
    order_services.set_order_items(
        order=draft,
        texts=[
            "Закрепить пары согласно приложению:\n"
            "Ершову А.Н. вести Соколову П.И.\n"
            "Ивановой М.П. вести Глебова И. и брата Полины, Максима Игоревича.",
            "Классному руководителю 7А класса известить родителей Глебова.",
            "Контроль за исполнением приказа оставляю за собой.",
        ],
        by=curator,
    )
    order = _sign(draft, curator, school)
    _login_as(client, _person(order, "Соколова"))

    text = pdf_text(
        _get_pdf(client, reverse("mentoring:order-extract", args=[order.pk]))
    )

    assert "В соответствии с Положением о системе наставничества" in text
    assert "1.1. Ершову А.Н. вести Соколову П.И." in text
    assert "3. Контроль за исполнением приказа оставляю за собой." in text
    assert "Глебов" not in text and "Максим" not in text
    assert "1.2." not in text and "известить родителей" not in text
    assert "заявления родителей" not in text
    whole = pdf_text(order_services.stored_order_pdf(order=order))
    assert "заявления родителей Глебова" in whole and "известить" in whole


@pytest.mark.django_db
def test_issuing_an_extract_is_recorded(client, order):
    user = _login_as(client, _person(order, "Соколова"))

    _get_pdf(client, reverse("mentoring:order-extract", args=[order.pk]))

    entry = AuditEntry.objects.get(action="order.extract_issued")
    assert entry.actor == user and entry.object_id == order.pk
    assert "Соколова П.И." in entry.message


@pytest.mark.django_db
def test_a_mentee_cannot_get_the_whole_order_by_any_url(client, order):
    _login_as(client, _person(order, "Соколова"))
    assert order.pdf

    for url in [
        reverse("mentoring:order-pdf", args=[order.pk]),
        reverse("mentoring:order-pdf", args=[order.pk]) + "?download=1",
        reverse("private-file", args=[order.pdf.name]),
    ]:
        assert client.get(url).status_code == 404, url
    # The back office is closed to participants: the admin's login page.
    response = client.get(
        reverse("admin:mentoring_order_change", args=[order.pk]), follow=True
    )
    assert "Глебов" not in response.text
    assert response.redirect_chain[-1][0].startswith(reverse("admin:login"))


@pytest.mark.django_db
def test_my_documents_links_a_participant_to_the_extract_and_staff_to_the_order(
    client, order, curator
):
    _login_as(client, _person(order, "Соколова"))
    page = client.get(reverse("mentoring:my-documents")).text
    assert reverse("mentoring:order-extract", args=[order.pk]) in page
    assert "Выписка из приказа от" in page
    assert reverse("mentoring:order-pdf", args=[order.pk]) not in page

    client.force_login(curator)
    page = client.get(reverse("mentoring:my-documents")).text
    assert reverse("mentoring:order-pdf", args=[order.pk]) in page
    assert reverse("mentoring:order-extract", args=[order.pk]) not in page


@pytest.mark.django_db
def test_staff_still_get_the_whole_order(client, school, order, curator):
    director = UserFactory(director=True, organization=school)
    methodologist = UserFactory(methodologist=True, district=school.district)
    stranger = UserFactory(methodologist=True)
    url = reverse("mentoring:order-pdf", args=[order.pk])

    for user in (curator, director, methodologist):
        client.force_login(user)
        text = pdf_text(_get_pdf(client, url))
        assert all(name in text for name in OTHER_PAIRS)
        assert "ВЫПИСКА" not in text
        # The extract is the participant's own document.
        extract = client.get(reverse("mentoring:order-extract", args=[order.pk]))
        assert extract.status_code == 403
    client.force_login(stranger)
    assert client.get(url).status_code == 404


@pytest.mark.django_db
def test_an_unsigned_order_has_no_extract(client, school, curator):
    draft = _draft_order(school, curator)
    order_services.submit_order(order=draft, by=curator)
    _login_as(client, _person(draft, "Соколова"))
    url = reverse("mentoring:order-extract", args=[draft.pk])

    assert client.get(url).status_code == 404

    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    response = client.get(url, follow=True)
    assert "Выписку можно получить только из подписанного приказа." in response.text
    assert not AuditEntry.objects.filter(action="order.extract_issued").exists()


@pytest.mark.django_db
def test_someone_outside_the_orders_pairs_gets_no_extract(client, order, school):
    _login_as(client, MenteeProfileFactory(person__organization=school).person)

    response = client.get(reverse("mentoring:order-extract", args=[order.pk]))

    assert response.status_code == 404
