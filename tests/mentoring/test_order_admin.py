"""Orders in the curator's back office, and the pages around them."""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from mentoring.models import Order, Participation
from mentoring.services import orders as order_services
from tests.factories import (
    OrderFactory,
    OrganizationFactory,
    PersonFactory,
    ProgramFactory,
    UserFactory,
)

from .orders_helpers import mentor_without_duties_consent, named_pair

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def curator(client):
    user = UserFactory(curator=True)
    client.force_login(user)
    return user


def _action(client, url, action, pks):
    return client.post(
        url, {"action": action, ACTION_CHECKBOX_NAME: [str(pk) for pk in pks]}
    )


def test_curator_makes_a_pair_order_from_selected_drafts(client, curator):
    school = curator.organization
    pairs = [named_pair(school) for _ in range(2)]
    response = _action(
        client,
        reverse("admin:mentoring_pair_changelist"),
        "make_pair_order",
        [p.pk for p in pairs],
    )
    order = Order.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("admin:mentoring_order_change", args=[order.pk])
    assert order.kind == Order.Kind.PAIRS and order.status == Order.Status.DRAFT
    assert set(order.pairs.all()) == set(pairs)
    assert order.items.count() == 5
    # Every participant is on the familiarization list.
    people = set(Participation.objects.values_list("person_id", flat=True))
    assert people <= set(order.acquaintances.values_list("person_id", flat=True))
    page = client.get(response.url)
    assert "Закрепить наставнические пары (группы)" in page.text
    pair_page = client.get(reverse("admin:mentoring_pair_change", args=[pairs[0].pk]))
    assert reverse("admin:mentoring_order_change", args=[order.pk]) in pair_page.text


def test_a_pair_already_ordered_is_refused_with_a_message(client, curator):
    school = curator.organization
    pair = named_pair(school)
    order_services.create_pair_order(organization=school, pairs=[pair], by=curator)
    response = _action(
        client,
        reverse("admin:mentoring_pair_changelist"),
        "make_pair_order",
        [pair.pk],
    )
    page = client.get(response.url)
    assert f"Пара/группа № {pair.pk} уже в проекте приказа" in page.text
    assert Order.objects.count() == 1


def test_sending_for_signature_reports_missing_consents(client, curator):
    school = curator.organization
    pair = named_pair(school)
    mentor = mentor_without_duties_consent(
        school,
        last_name="Фомин",
        first_name="Олег",
        patronymic="Петрович",
        gender="male",
    )
    pair.participations.filter(role="mentor").update(person=mentor)
    order = order_services.create_pair_order(
        organization=school, pairs=[pair], by=curator
    )
    url = reverse("admin:mentoring_order_changelist")
    response = client.post(
        url,
        {"action": "submit", ACTION_CHECKBOX_NAME: [str(order.pk)]},
        follow=True,
    )
    assert (
        f"Фомин Олег Петрович (наставник, пара/группа № {pair.pk}; лист "
        "ознакомления): нет действующего согласия — на возложение дополнительных обязанностей наставника"
        in response.text
    )
    assert Order.objects.get().status == Order.Status.DRAFT


def test_curator_adds_another_order_with_the_standard_text(client, curator):
    data = {
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
    }
    response = client.post(reverse("admin:mentoring_order_add"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    order = Order.objects.get()
    assert order.organization == curator.organization
    assert order.title.startswith("О проведении итогового мероприятия")
    assert order.items.count() == 5


def test_signed_order_is_read_only_in_the_admin(client, curator):
    school = curator.organization
    order = order_services.create_pair_order(
        organization=school, pairs=[named_pair(school)], by=curator
    )
    order_services.submit_order(order=order, by=curator)
    director = UserFactory(director=True, organization=school)
    order_services.sign_order(order=order, director=director)
    url = reverse("admin:mentoring_order_change", args=[order.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert 'name="title"' not in page.text
    assert 'name="items-0-text"' not in page.text
    client.post(url, {"title": "О другом", "preamble": "Иначе."})
    assert Order.objects.get().title.startswith("О закреплении")
    delete = client.post(reverse("admin:mentoring_order_delete", args=[order.pk]))
    assert delete.status_code == 403
    assert Order.objects.filter(pk=order.pk, status=Order.Status.SIGNED).exists()


def test_order_list_queries_do_not_grow_with_rows(
    client, curator, django_assert_num_queries
):
    url = reverse("admin:mentoring_order_changelist")
    OrderFactory.create_batch(2, organization=curator.organization)
    client.get(url)
    with CaptureQueriesContext(connection) as two:
        client.get(url)
    OrderFactory.create_batch(18, organization=curator.organization)
    with django_assert_num_queries(len(two)):
        response = client.get(url)
    assert response.context["cl"].result_count == 20


def test_director_page_queries_do_not_grow_with_orders(
    client, django_assert_num_queries
):
    director = UserFactory(director=True)
    client.force_login(director)
    school = director.organization
    url = reverse("mentoring:orders")

    def orders(n):
        OrderFactory.create_batch(n, organization=school, on_signature=True)
        OrderFactory.create_batch(n, organization=school, returned=True)

    orders(2)
    client.get(url)
    with CaptureQueriesContext(connection) as two:
        client.get(url)
    orders(18)
    with django_assert_num_queries(len(two)):
        response = client.get(url)
    assert len(response.context["awaiting"]) == 20
    assert len(response.context["decided"]) == 20


def test_the_director_page_is_the_directors(client):
    client.force_login(UserFactory(curator=True))
    assert client.get(reverse("mentoring:orders")).status_code == 403
    director = UserFactory(director=True)
    client.force_login(director)
    home = client.get(reverse("mentoring:home"))
    assert reverse("mentoring:orders") in home.text


def test_mentor_downloads_the_program_and_order_extract_of_their_own_pair_only(
    client,
):
    school = OrganizationFactory()
    curator = UserFactory(curator=True, organization=school)
    pair = named_pair(school)
    order = order_services.create_pair_order(
        organization=school, pairs=[pair], by=curator
    )
    order_services.submit_order(order=order, by=curator)
    order_services.sign_order(
        order=order, director=UserFactory(director=True, organization=school)
    )
    program = ProgramFactory(pair=pair)
    mentor = pair.participations.get(role="mentor").person
    mentor.user = UserFactory()
    mentor.save()
    other = named_pair(school)
    other_program = ProgramFactory(pair=other)
    draft = OrderFactory(organization=school)

    client.force_login(mentor.user)
    page = client.get(reverse("mentoring:my-documents"))
    assert reverse("mentoring:program-pdf", args=[program.pk]) in page.text
    # The order names other pairs: a participant gets the extract of it.
    assert reverse("mentoring:order-extract", args=[order.pk]) in page.text
    today = timezone.localdate().strftime("%d.%m.%Y")
    assert f"Выписка из приказа от {today}" in page.text
    assert (
        client.get(reverse("mentoring:program-pdf", args=[program.pk])).status_code
        == 200
    )
    assert (
        client.get(reverse("mentoring:order-extract", args=[order.pk])).status_code
        == 200
    )
    for url in [
        reverse("mentoring:program-pdf", args=[other_program.pk]),
        reverse("mentoring:order-pdf", args=[order.pk]),
        reverse("mentoring:order-pdf", args=[draft.pk]),
        reverse("mentoring:order-extract", args=[draft.pk]),
        reverse("mentoring:consent-form", args=[mentor.pk]),
    ]:
        assert client.get(url).status_code in (403, 404), url


def test_curator_prints_consent_forms_for_selected_people(client, curator):
    people = PersonFactory.create_batch(2, organization=curator.organization)
    response = _action(
        client,
        reverse("admin:mentoring_person_changelist"),
        "consent_forms",
        [p.pk for p in people],
    )
    assert response["Content-Type"] == "application/pdf"
    assert (
        'filename="soglasiia_na_obrabotku_pdn.pdf"' in response["Content-Disposition"]
    )


def test_curator_edits_a_returned_order_and_sends_it_again(client, curator):
    school = curator.organization
    order = order_services.create_pair_order(
        organization=school, pairs=[named_pair(school)], by=curator
    )
    order_services.submit_order(order=order, by=curator)
    order_services.return_order(
        order=order,
        director=UserFactory(director=True, organization=school),
        comment="Добавьте пункт о выплатах.",
    )
    items = list(order.items.all())
    people = list(order.acquaintances.all())
    data = {
        "title": order.title,
        "preamble": order.preamble,
        "place": order.place,
        "items-TOTAL_FORMS": str(len(items) + 1),
        "items-INITIAL_FORMS": str(len(items)),
        "items-MIN_NUM_FORMS": "0",
        "items-MAX_NUM_FORMS": "1000",
        "acquaintances-TOTAL_FORMS": str(len(people)),
        "acquaintances-INITIAL_FORMS": str(len(people)),
        "acquaintances-MIN_NUM_FORMS": "0",
        "acquaintances-MAX_NUM_FORMS": "1000",
    }
    for i, item in enumerate(items):
        data |= {f"items-{i}-id": item.pk, f"items-{i}-order": order.pk}
        data[f"items-{i}-text"] = item.text
    data[f"items-{len(items)}-text"] = (
        "Установить выплату за наставничество в соответствии с локальным актом."
    )
    for i, row in enumerate(people):
        data |= {
            f"acquaintances-{i}-id": row.pk,
            f"acquaintances-{i}-order": order.pk,
            f"acquaintances-{i}-person": row.person_id,
        }
    url = reverse("admin:mentoring_order_change", args=[order.pk])
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    texts = list(order.items.values_list("text", flat=True))
    assert texts[-1].startswith("Установить выплату")
    assert len(texts) == len(items) + 1
    client.post(
        reverse("admin:mentoring_order_changelist"),
        {"action": "submit", ACTION_CHECKBOX_NAME: [str(order.pk)]},
    )
    order.refresh_from_db()
    assert order.status == Order.Status.ON_SIGNATURE
    assert order.director_comment == ""


def test_curator_downloads_a_program_from_the_admin(client, curator):
    program = ProgramFactory(pair=named_pair(curator.organization))
    response = _action(
        client,
        reverse("admin:mentoring_program_changelist"),
        "program_pdf",
        [program.pk],
    )
    assert response["Content-Type"] == "application/pdf"
    assert "programma_nastavnichestva_" in response["Content-Disposition"]


def test_a_pair_order_is_made_from_the_pair_list_not_added_empty(client, curator):
    data = {
        "kind": Order.Kind.PAIRS,
        "title": "",
        "preamble": "",
        "place": "",
        "items-TOTAL_FORMS": "0",
        "items-INITIAL_FORMS": "0",
        "items-MIN_NUM_FORMS": "0",
        "items-MAX_NUM_FORMS": "1000",
        "acquaintances-TOTAL_FORMS": "0",
        "acquaintances-INITIAL_FORMS": "0",
        "acquaintances-MIN_NUM_FORMS": "0",
        "acquaintances-MAX_NUM_FORMS": "1000",
    }
    response = client.post(reverse("admin:mentoring_order_add"), data, follow=True)
    assert "Приказ о закреплении пар формируется из списка пар" in response.text
    assert not Order.objects.exists()


def test_the_curator_appointment_lists_the_curator_for_familiarization(curator):
    person = PersonFactory(organization=curator.organization, user=curator)
    order = order_services.create_order(
        organization=curator.organization, kind=Order.Kind.CURATOR, by=curator
    )
    assert list(order.acquaintances.values_list("person", flat=True)) == [person.pk]


def test_my_documents_queries_do_not_grow_with_pairs(client, django_assert_num_queries):
    school = OrganizationFactory()
    mentor = PersonFactory(organization=school, user=UserFactory())
    client.force_login(mentor.user)
    url = reverse("mentoring:my-documents")

    def pairs(n):
        for _ in range(n):
            pair = named_pair(school)
            pair.participations.filter(role="mentor").update(person=mentor)
            ProgramFactory(pair=pair)

    pairs(2)
    client.get(url)
    with CaptureQueriesContext(connection) as two:
        client.get(url)
    pairs(18)
    with django_assert_num_queries(len(two)):
        response = client.get(url)
    assert len(response.context["rows"]) == 20


def test_a_draft_pair_held_by_an_order_cannot_be_deleted(client):
    from django.urls import reverse

    from mentoring.models import Pair
    from tests.factories import OrderFactory, PairFactory, UserFactory

    order = OrderFactory()
    pair = PairFactory(organization=order.organization)
    Pair.objects.filter(pk=pair.pk).update(order=order)
    client.force_login(UserFactory(curator=True, organization=order.organization))
    url = reverse("admin:mentoring_pair_delete", args=[pair.pk])
    assert client.post(url, {"post": "yes"}).status_code == 403
    assert Pair.objects.filter(pk=pair.pk).exists()
