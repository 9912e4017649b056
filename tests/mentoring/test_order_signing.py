"""Sending an order for signature, signing it and returning it."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from mentoring.models import AuditEntry, Order, Pair
from mentoring.services import orders as order_services
from tests.factories import OrderFactory, OrganizationFactory, UserFactory

from .orders_helpers import mentor_without_duties_consent, named_pair, pdf_text


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def school():
    return OrganizationFactory(order_number_suffix="-од")


@pytest.fixture
def curator(school):
    return UserFactory(curator=True, organization=school, email="kurator@example.ru")


@pytest.fixture
def director(school):
    return UserFactory(director=True, organization=school, email="direktor@example.ru")


def pair_order(school, curator, pairs=2):
    made = [named_pair(school) for _ in range(pairs)]
    return order_services.create_pair_order(organization=school, pairs=made, by=curator)


@pytest.mark.django_db
def test_submitting_an_order_mails_the_director(
    school, curator, director, django_capture_on_commit_callbacks
):
    order = pair_order(school, curator)
    with django_capture_on_commit_callbacks(execute=True):
        order_services.submit_order(order=order, by=curator)
    order.refresh_from_db()
    assert order.status == Order.Status.ON_SIGNATURE
    assert [m.to for m in mail.outbox] == [["direktor@example.ru"]]
    assert "На подпись" in mail.outbox[0].subject
    assert reverse("mentoring:orders") in mail.outbox[0].body


@pytest.mark.django_db
def test_signing_an_order_activates_its_pairs_and_mails_the_curator(
    client, school, curator, director, django_capture_on_commit_callbacks
):
    order = pair_order(school, curator)
    order_services.submit_order(order=order, by=curator)
    client.force_login(director)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("mentoring:order-sign", args=[order.pk]), follow=True
        )
    year = timezone.localdate().year
    today = timezone.localdate().strftime("%d.%m.%Y")
    assert f"Приказ подписан: № 1-од от {today}." in response.text
    order.refresh_from_db()
    assert (order.status, order.year, order.full_number) == (
        Order.Status.SIGNED,
        year,
        "1-од",
    )
    assert order.decided_by == director
    assert set(order.pairs.values_list("status", flat=True)) == {Pair.Status.ACTIVE}
    # Each pair's two moves are in its history.
    moves = AuditEntry.objects.filter(action="pair.status_changed").values_list(
        "data__to", flat=True
    )
    assert sorted(moves) == ["active", "active", "approved", "approved"]
    assert mail.outbox[-1].to == ["kurator@example.ru"]
    assert "Приказ подписан: № 1-од" in mail.outbox[-1].subject


@pytest.mark.django_db
def test_numbers_continue_the_schools_register(school, curator, director):
    year = timezone.localdate().year
    OrderFactory(
        organization=school,
        kind=Order.Kind.OTHER,
        status=Order.Status.SIGNED,
        year=year,
        number=62,
        signed_on=timezone.localdate(),
    )
    # The school's journal is at 63; another school's numbers do not count.
    school.order_number_next, school.order_number_year = 63, year
    school.save()
    OrderFactory(
        status=Order.Status.SIGNED,
        year=year,
        number=200,
        signed_on=timezone.localdate(),
    )
    order = pair_order(school, curator, pairs=1)
    order_services.submit_order(order=order, by=curator)
    signed = order_services.sign_order(order=order, director=director)
    assert signed.full_number == "63-од"
    school.refresh_from_db()
    assert school.order_number_next == 64


@pytest.mark.django_db
def test_a_second_click_on_sign_changes_nothing(
    client, school, curator, director, django_capture_on_commit_callbacks
):
    order = pair_order(school, curator)
    order_services.submit_order(order=order, by=curator)
    client.force_login(director)
    url = reverse("mentoring:order-sign", args=[order.pk])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url)
    entries = AuditEntry.objects.count()
    stored = Order.objects.get(pk=order.pk)
    assert stored.pdf and stored.pdf_sha256
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, follow=True)
    assert "Приказ уже подписан" in response.text
    again = Order.objects.get(pk=order.pk)
    assert (again.number, again.decided_at, again.pdf.name, again.pdf_sha256) == (
        stored.number,
        stored.decided_at,
        stored.pdf.name,
        stored.pdf_sha256,
    )
    assert AuditEntry.objects.count() == entries
    assert Order.objects.filter(status=Order.Status.SIGNED).count() == 1


@pytest.mark.django_db
def test_director_of_another_school_cannot_see_or_sign(client, school, curator):
    order = pair_order(school, curator)
    order_services.submit_order(order=order, by=curator)
    stranger = UserFactory(director=True)
    client.force_login(stranger)
    assert (
        client.post(reverse("mentoring:order-sign", args=[order.pk])).status_code == 404
    )
    assert (
        client.get(reverse("mentoring:order-pdf", args=[order.pk])).status_code == 404
    )
    assert "Приказов на подписи нет." in client.get(reverse("mentoring:orders")).text
    with pytest.raises(ValidationError, match="может только руководитель"):
        order_services.sign_order(order=order, director=stranger)
    order.refresh_from_db()
    assert order.status == Order.Status.ON_SIGNATURE
    assert set(order.pairs.values_list("status", flat=True)) == {Pair.Status.DRAFT}


@pytest.mark.django_db
def test_only_the_director_signs(client, school, curator):
    order = pair_order(school, curator)
    order_services.submit_order(order=order, by=curator)
    client.force_login(curator)
    assert (
        client.post(reverse("mentoring:order-sign", args=[order.pk])).status_code == 403
    )
    with pytest.raises(ValidationError, match="может только руководитель"):
        order_services.sign_order(order=order, director=curator)


@pytest.mark.django_db
def test_returning_needs_a_comment_and_leaves_pairs_drafts(
    client, school, curator, director, django_capture_on_commit_callbacks
):
    order = pair_order(school, curator)
    order_services.submit_order(order=order, by=curator)
    client.force_login(director)
    url = reverse("mentoring:order-return", args=[order.pk])
    response = client.post(url, {"comment": "  "}, follow=True)
    assert "Напишите, что нужно исправить в приказе." in response.text
    assert Order.objects.get(pk=order.pk).status == Order.Status.ON_SIGNATURE
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url, {"comment": "Уточните сроки программ."}, follow=True
        )
    assert "Приказ возвращён на доработку." in response.text
    order.refresh_from_db()
    assert order.status == Order.Status.RETURNED
    assert order.director_comment == "Уточните сроки программ."
    assert order.number is None
    assert set(order.pairs.values_list("status", flat=True)) == {Pair.Status.DRAFT}
    assert "Уточните сроки программ." in mail.outbox[-1].body
    assert mail.outbox[-1].to == ["kurator@example.ru"]
    # The history shows it, with the comment.
    history = client.get(reverse("mentoring:orders")).text
    assert "Возвращён на доработку" in history and "Уточните сроки программ." in history
    # Corrected and sent again, it can be signed.
    order_services.submit_order(order=order, by=curator)
    assert order_services.sign_order(order=order, director=director).number == 1


@pytest.mark.django_db
def test_order_without_items_is_not_sent(school, curator):
    order = pair_order(school, curator)
    order_services.set_order_items(order=order, texts=[], by=curator)
    with pytest.raises(ValidationError) as error:
        order_services.submit_order(order=order, by=curator)
    assert error.value.messages == [
        "В приказе нет ни одного пункта: добавьте распорядительную часть."
    ]
    assert Order.objects.get(pk=order.pk).status == Order.Status.DRAFT


@pytest.mark.django_db
def test_order_is_not_sent_while_a_mentor_lacks_the_duties_consent(school, curator):
    mentor = mentor_without_duties_consent(
        school, last_name="Лебедева", first_name="Ирина", patronymic="Викторовна"
    )
    pair = named_pair(school)
    pair.participations.filter(role="mentor").update(person=mentor)
    order = order_services.create_pair_order(
        organization=school, pairs=[pair], by=curator
    )
    with pytest.raises(ValidationError) as error:
        order_services.submit_order(order=order, by=curator)
    assert error.value.messages == [
        f"Лебедева Ирина Викторовна (наставник, пара/группа № {pair.pk}; лист "
        "ознакомления): нет действующего согласия — на возложение дополнительных обязанностей "
        "наставника (ст. 351.8 ТК РФ)."
    ]
    assert Order.objects.get(pk=order.pk).status == Order.Status.DRAFT


@pytest.mark.django_db
def test_a_consent_withdrawn_before_signing_stops_the_signature(
    school, curator, director
):
    order = pair_order(school, curator, pairs=1)
    order_services.submit_order(order=order, by=curator)
    mentee = order.pairs.get().participations.get(role="mentee").person
    mentee.consents.update(withdrawn_on=timezone.localdate())
    with pytest.raises(ValidationError, match="нет действующего согласия"):
        order_services.sign_order(order=order, director=director)
    order.refresh_from_db()
    assert (order.status, order.number) == (Order.Status.ON_SIGNATURE, None)
    assert order.pairs.get().status == Pair.Status.DRAFT


@pytest.mark.django_db
def test_a_pair_of_a_signed_order_goes_into_no_other(school, curator, director):
    order = pair_order(school, curator, pairs=1)
    order_services.submit_order(order=order, by=curator)
    order_services.sign_order(order=order, director=director)
    pair = order.pairs.get()
    today = timezone.localdate().strftime("%d.%m.%Y")
    with pytest.raises(ValidationError) as error:
        order_services.create_pair_order(organization=school, pairs=[pair], by=curator)
    assert (
        f"Пара/группа № {pair.pk} уже закреплена приказом от {today} № 1-од."
        in error.value.messages
    )
    assert Order.objects.count() == 1


@pytest.mark.django_db
def test_a_pair_of_a_pending_order_goes_into_no_other(school, curator):
    order = pair_order(school, curator, pairs=1)
    order_services.submit_order(order=order, by=curator)
    pair = order.pairs.get()
    with pytest.raises(ValidationError) as error:
        order_services.create_pair_order(organization=school, pairs=[pair], by=curator)
    assert error.value.messages == [
        f"Пара/группа № {pair.pk} уже в приказе, направленном на подпись."
    ]


@pytest.mark.django_db
def test_a_signed_order_cannot_be_edited_or_signed_again(school, curator, director):
    order = pair_order(school, curator, pairs=1)
    order_services.submit_order(order=order, by=curator)
    order_services.sign_order(order=order, director=director)
    order.refresh_from_db()
    order.title = "О другом"
    with pytest.raises(ValidationError, match="«Подписан» изменять нельзя"):
        order_services.save_order_draft(order=order, by=curator)
    with pytest.raises(ValidationError, match="«Подписан» изменять нельзя"):
        order_services.set_order_items(order=order, texts=["Новый пункт."], by=curator)
    with pytest.raises(ValidationError, match="Приказ уже подписан"):
        order_services.sign_order(order=order, director=director)
    with pytest.raises(ValidationError, match="Приказ уже подписан"):
        order_services.return_order(order=order, director=director, comment="Нет.")
    with pytest.raises(ValidationError, match="«Подписан» изменять нельзя"):
        order_services.submit_order(order=order, by=curator)
    fresh = Order.objects.get(pk=order.pk)
    assert fresh.title.startswith("О закреплении")
    assert fresh.items.count() == 5


@pytest.mark.django_db
def test_the_signed_pdf_is_served_as_stored(
    client, school, curator, director, django_capture_on_commit_callbacks
):
    order = pair_order(school, curator, pairs=1)
    order_services.submit_order(order=order, by=curator)
    with django_capture_on_commit_callbacks(execute=True):
        order_services.sign_order(order=order, director=director)
    full_name = school.full_name
    school.full_name = "Переименованная школа"
    school.save()
    client.force_login(curator)
    response = client.get(reverse("mentoring:order-pdf", args=[order.pk]))
    content = b"".join(response.streaming_content)
    assert full_name in pdf_text(content)
    assert "Переименованная школа" not in pdf_text(content)
    today = timezone.localdate().strftime("%d.%m.%Y")
    assert f'filename="prikaz_1-od_ot_{today}.pdf"' in response["Content-Disposition"]


@pytest.mark.django_db
def test_pairs_of_an_order_on_signature_cannot_be_changed(school, curator):
    from mentoring.services import save_pair_draft, set_pair_participants

    order = pair_order(school, curator, pairs=1)
    order_services.submit_order(order=order, by=curator)
    pair = order.pairs.get()
    people = list(pair.participations.select_related("person"))
    mentors = [p.person for p in people if p.role == "mentor"]
    mentees = [p.person for p in people if p.role == "mentee"]
    message = f"Пара/группа № {pair.pk} — в приказе на подписи"
    with pytest.raises(ValidationError, match=message):
        set_pair_participants(pair=pair, mentors=mentors, mentees=[], by=curator)
    pair.goal = "Другая цель"
    with pytest.raises(ValidationError, match=message):
        save_pair_draft(pair=pair, by=curator)
    assert pair.participations.count() == len(mentors) + len(mentees)
    assert Pair.objects.get(pk=pair.pk).goal == ""


@pytest.mark.django_db
def test_signing_a_pair_order_closes_the_roadmap_activity_with_it(
    client, school, curator, director
):
    from roadmap.models import Activity
    from tests.factories import ActivityFactory, RoadmapFactory, StageFactory

    stage = StageFactory(roadmap=RoadmapFactory(organization=school), number="5")
    forming = ActivityFactory(
        stage=stage, code="form_pairs", content="Формирование наставнических пар"
    )
    order = pair_order(school, curator)
    order_services.submit_order(order=order, by=curator)
    order_services.sign_order(order=order, director=director)

    forming.refresh_from_db()
    assert forming.status == Activity.Status.DONE
    evidence = forming.evidence.get()
    assert evidence.source == order
    assert "№ 1-од" in evidence.title
    assert evidence.url == reverse("mentoring:order-pdf", args=[order.pk])
    client.force_login(director)
    roadmap_page = client.get(reverse("roadmap:detail", args=[stage.roadmap_id]))
    assert evidence.title in roadmap_page.text


@pytest.mark.django_db
def test_familiarization_dates_are_recorded_with_who_wrote_them(
    school, curator, director
):
    order = pair_order(school, curator)
    order_services.submit_order(order=order, by=curator)
    order_services.sign_order(order=order, director=director)
    acquaintance = order.acquaintances.first()
    order_services.mark_acquainted(
        acquaintance=acquaintance, on=timezone.localdate(), by=curator
    )
    entry = AuditEntry.objects.get(action="order.acquainted")
    assert entry.actor == curator
    assert acquaintance.person.full_name in entry.message
