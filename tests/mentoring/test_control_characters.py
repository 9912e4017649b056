"""Control characters in typed text: refused with a Russian message on every
form, titles and mail subjects stay one line (issue 12)."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from mentoring.models import Meeting, Order, Person
from mentoring.services import orders as order_services
from mentoring.services.orders.signing import notify_order_submitted
from tests.factories import OrderFactory, PersonFactory, UserFactory
from tests.mentoring.admin_helpers import admin_form_data
from tests.mentoring.test_people_import import preview
from tests.surveys.conftest import PairWithLogins

pytestmark = pytest.mark.django_db

ONE_LINE = "Текст должен быть одной строкой"
CONTROL = "Текст содержит управляющие символы"


@pytest.fixture
def curator(client):
    user = UserFactory(curator=True)
    client.force_login(user)
    return user


def _order_form(**fields):
    return {
        "kind": Order.Kind.FINAL_EVENT,
        "title": "",
        "preamble": "",
        "place": "г. Санкт-Петербург",
        "items-TOTAL_FORMS": "1",
        "items-INITIAL_FORMS": "0",
        "items-MIN_NUM_FORMS": "0",
        "items-MAX_NUM_FORMS": "1000",
        "items-0-text": "",
        "acquaintances-TOTAL_FORMS": "0",
        "acquaintances-INITIAL_FORMS": "0",
        "acquaintances-MIN_NUM_FORMS": "0",
        "acquaintances-MAX_NUM_FORMS": "1000",
        **fields,
    }


@pytest.mark.parametrize("line_break", ["\n", "\r", "\r\n", "\u2028", "\x1b"])
def test_an_order_title_with_a_line_break_is_refused_in_the_admin(
    client, curator, line_break
):
    title = f"О проведении{line_break}итогового мероприятия"

    response = client.post(
        reverse("admin:mentoring_order_add"), _order_form(title=title)
    )

    assert response.status_code == 200
    assert ONE_LINE in response.text
    assert not Order.objects.exists()


def test_the_order_service_refuses_a_title_with_a_line_break(curator, caplog):
    with pytest.raises(ValidationError) as error:
        order_services.create_order(
            organization=curator.organization,
            kind=Order.Kind.FINAL_EVENT,
            title="О проведении\rBcc: all@example.ru",
            by=curator,
        )

    assert ONE_LINE in str(error.value)
    assert not Order.objects.exists()
    assert "Refused text with control characters U+000D" in caplog.text


def test_a_multi_line_preamble_is_accepted_in_the_admin(client, curator):
    response = client.post(
        reverse("admin:mentoring_order_add"),
        _order_form(preamble="В целях развития наставничества\r\n\tПРИКАЗЫВАЮ:"),
    )

    assert response.status_code == 302
    assert "\r\n\tПРИКАЗЫВАЮ" in Order.objects.get().preamble


def test_the_preamble_refuses_a_lone_carriage_return(client, curator):
    response = client.post(
        reverse("admin:mentoring_order_add"),
        _order_form(preamble="В целях развития\rнаставничества"),
    )

    assert response.status_code == 200
    assert CONTROL in response.text
    assert not Order.objects.exists()


def test_the_order_mail_subject_is_one_line_whatever_the_title(
    django_capture_on_commit_callbacks,
):
    order = OrderFactory()
    UserFactory(director=True, organization=order.organization, email="d@example.ru")
    # A title stored before titles were checked, or set by code.
    order.title = "О поощрении\nBcc: all@example.ru\r\x1bнаставников\u2028года"

    with django_capture_on_commit_callbacks(execute=True):
        notify_order_submitted(order=order)

    (letter,) = mail.outbox
    assert letter.subject == (
        "На подпись: приказ «О поощрении Bcc: all@example.ru наставников года»"
    )
    message = letter.message()
    assert message["Subject"] is not None
    assert "Bcc" not in message


def test_the_person_page_refuses_a_name_with_a_control_character(client, curator):
    person = PersonFactory(organization=curator.organization, last_name="Иванова")
    url = reverse("admin:mentoring_person_change", args=[person.pk])

    response = client.post(
        url, admin_form_data(client.get(url), last_name="Иванова\x07")
    )

    assert response.status_code == 200
    assert ONE_LINE in response.text
    assert Person.objects.get(pk=person.pk).last_name == "Иванова"


def test_the_mentors_meeting_form_refuses_a_topic_with_a_carriage_return(client):
    unit = PairWithLogins()
    client.force_login(unit.mentor.user)

    response = client.post(
        reverse("surveys:meeting-new", args=[unit.pair.pk]),
        {
            "kind": Meeting.Kind.REGULAR,
            "starts_at": "2030-03-02T12:30",
            "duration_minutes": "45",
            "format": Meeting.Format.IN_PERSON,
            "topic": "Урок\rEND:VEVENT\rBEGIN:VEVENT",
            "outcome": "",
        },
    )

    assert response.status_code == 200
    assert ONE_LINE in response.text
    assert not Meeting.objects.exists()


@pytest.mark.parametrize(
    ("comment", "refused"),
    [("Исправьте\x1b[31m пункт 2", True), ("Исправьте:\r\n- пункт 2", False)],
)
def test_the_directors_comment_takes_line_breaks_but_no_control_characters(
    client, comment, refused
):
    curator = UserFactory(curator=True)
    school = curator.organization
    order = order_services.create_order(
        organization=school, kind=Order.Kind.FINAL_EVENT, by=curator
    )
    order_services.submit_order(order=order, by=curator)
    client.force_login(UserFactory(director=True, organization=school))

    response = client.post(
        reverse("mentoring:order-return", args=[order.pk]),
        {"comment": comment},
        follow=True,
    )

    order.refresh_from_db()
    if refused:
        assert CONTROL in response.text
        assert order.status == Order.Status.ON_SIGNATURE
    else:
        assert order.status == Order.Status.RETURNED
        assert order.director_comment == comment


def test_an_imported_list_loses_its_control_characters(
    client, curator, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    # Excel's «Текст Юникод» (UTF-16, tabs), which no byte check reads.
    data = (
        "ФИО\tДолжность\tE-mail\r\n"
        "Иванова\x07 Мария\x1bПетровна\t"
        '"Учитель\rматематики\x7f\x9b"\tiv@example.ru\r\n'
    ).encode("utf-16")

    url, _page = preview(client, curator, data, name="список.txt")
    client.post(url, {"action": "confirm"})

    person = Person.objects.get()
    assert (person.last_name, person.first_name, person.patronymic) == (
        "Иванова",
        "Мария",
        "Петровна",
    )
    assert person.position == "Учитель математики"
