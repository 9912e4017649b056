"""The school's register of orders: signing takes its next number, an order
signed on paper comes in with the number and date the journal gave it."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from mentoring.models import AuditEntry, Order, Organization, Pair
from mentoring.services import orders as order_services
from tests.factories import OrderFactory, OrganizationFactory, UserFactory

from .orders_helpers import named_pair, pdf_text


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def school():
    return OrganizationFactory(order_number_suffix="-од")


@pytest.fixture
def curator(school):
    return UserFactory(curator=True, organization=school)


@pytest.fixture
def director(school):
    return UserFactory(director=True, organization=school)


def other_order(school, curator):
    """An order with no people in it: sent for signature at once."""
    order = order_services.create_order(
        organization=school,
        kind=Order.Kind.OTHER,
        by=curator,
        title="Об организации наставничества",
        preamble="В целях развития наставничества",
        items=["Утвердить график встреч."],
    )
    return order_services.submit_order(order=order, by=curator)


def sign(school, curator, director):
    order = other_order(school, curator)
    return order_services.sign_order(order=order, director=director)


def journal_at(school, *, next_number, year=None, **fields):
    Organization.objects.filter(pk=school.pk).update(
        order_number_next=next_number,
        order_number_year=year or timezone.localdate().year,
        **fields,
    )


@pytest.mark.django_db
def test_signing_goes_on_from_the_registers_starting_number(school, curator, director):
    order_services.update_order_register(
        organization=school,
        by=curator,
        prefix="",
        suffix="-од",
        next_number=113,
        resets_yearly=True,
    )
    first = sign(school, curator, director)
    second = sign(school, curator, director)
    assert [first.full_number, second.full_number] == ["113-од", "114-од"]
    school.refresh_from_db()
    assert school.next_order_number == "115-од"


@pytest.mark.django_db
def test_the_number_carries_the_registers_prefix_and_suffix(school, curator, director):
    order_services.update_order_register(
        organization=school,
        by=curator,
        prefix="ОД/",
        suffix="-н",
        next_number=7,
        resets_yearly=True,
    )
    signed = sign(school, curator, director)
    assert signed.full_number == "ОД/7-н"
    # A later change of the register does not renumber a signed order.
    order_services.update_order_register(
        organization=school,
        by=curator,
        prefix="",
        suffix="",
        next_number=20,
        resets_yearly=True,
    )
    assert Order.objects.get(pk=signed.pk).full_number == "ОД/7-н"


@pytest.mark.django_db
def test_a_new_year_starts_the_register_from_one(school, curator, director):
    journal_at(school, next_number=250, year=timezone.localdate().year - 1)
    assert sign(school, curator, director).full_number == "1-од"
    school.refresh_from_db()
    assert (school.order_number_next, school.order_number_year) == (
        2,
        timezone.localdate().year,
    )


@pytest.mark.django_db
def test_a_register_without_yearly_reset_goes_on_across_years(
    school, curator, director
):
    journal_at(
        school,
        next_number=250,
        year=timezone.localdate().year - 1,
        order_numbers_reset_yearly=False,
    )
    assert sign(school, curator, director).full_number == "250-од"


@pytest.mark.django_db
def test_an_order_signed_on_paper_takes_the_journals_number_and_date(
    school, curator, django_capture_on_commit_callbacks
):
    journal_at(school, next_number=113)
    pair = named_pair(school)
    order = order_services.create_pair_order(
        organization=school, pairs=[pair], by=curator
    )
    order_services.submit_order(order=order, by=curator)
    day = timezone.localdate()
    with django_capture_on_commit_callbacks(execute=True):
        signed = order_services.register_paper_order(
            order=order, by=curator, number=120, signed_on=day
        )
    stored = Order.objects.get(pk=signed.pk)
    assert (stored.status, stored.full_number, stored.signed_on) == (
        Order.Status.SIGNED,
        "120-од",
        day,
    )
    pair.refresh_from_db()
    assert pair.status == Pair.Status.ACTIVE
    assert AuditEntry.objects.filter(
        action="order.signed_on_paper", object_id=order.pk
    ).exists()
    text = pdf_text(order_services.stored_order_pdf(order=stored))
    assert "№ 120-од" in text
    # Signing here goes on after the paper number.
    school.refresh_from_db()
    assert school.order_number_next == 121


@pytest.mark.django_db
def test_a_paper_order_may_fill_a_number_between_two_in_the_journal(
    school, curator, director
):
    journal_at(school, next_number=10)
    earlier = sign(school, curator, director)
    order_services.register_paper_order(
        order=other_order(school, curator),
        by=curator,
        number=12,
        signed_on=earlier.signed_on,
    )
    filled = order_services.register_paper_order(
        order=other_order(school, curator),
        by=curator,
        number=11,
        signed_on=earlier.signed_on,
    )
    assert filled.full_number == "11-од"
    school.refresh_from_db()
    assert school.order_number_next == 13


def refused(school, order, **entry):
    """The service's message; the order and the register unchanged."""
    school.refresh_from_db()
    before = (school.order_number_next, school.order_number_year)
    with pytest.raises(ValidationError) as refusal:
        order_services.register_paper_order(order=order, **entry)
    school.refresh_from_db()
    assert (school.order_number_next, school.order_number_year) == before
    stored = Order.objects.get(pk=order.pk)
    assert (stored.status, stored.number) == (Order.Status.ON_SIGNATURE, None)
    return " ".join(refusal.value.messages)


@pytest.mark.django_db
def test_a_number_already_in_the_register_is_refused(school, curator, director):
    journal_at(school, next_number=113)
    taken = sign(school, curator, director)
    message = refused(
        school,
        other_order(school, curator),
        by=curator,
        number=113,
        signed_on=taken.signed_on,
    )
    assert "Номер 113-од уже есть в журнале приказов" in message


@pytest.mark.django_db
def test_a_date_before_the_previous_orders_is_refused(school, curator, director):
    journal_at(school, next_number=113)
    sign(school, curator, director)
    day = timezone.localdate() - datetime.timedelta(days=1)
    message = refused(
        school, other_order(school, curator), by=curator, number=114, signed_on=day
    )
    assert "раньше даты предыдущего приказа в журнале: № 113-од" in message


@pytest.mark.django_db
def test_a_date_after_the_following_orders_is_refused(school, curator, director):
    journal_at(school, next_number=10)
    order_services.register_paper_order(
        order=other_order(school, curator),
        by=curator,
        number=12,
        signed_on=timezone.localdate() - datetime.timedelta(days=3),
    )
    message = refused(
        school,
        other_order(school, curator),
        by=curator,
        number=11,
        signed_on=timezone.localdate(),
    )
    assert "позже даты следующего приказа в журнале: № 12-од" in message


@pytest.mark.django_db
def test_a_date_in_the_future_is_refused(school, curator):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    message = refused(
        school, other_order(school, curator), by=curator, number=5, signed_on=tomorrow
    )
    assert "ещё не наступила" in message


@pytest.mark.django_db
def test_another_schools_curator_cannot_enter_a_paper_order(school, curator):
    stranger = UserFactory(curator=True, organization=OrganizationFactory())
    message = refused(
        school,
        other_order(school, curator),
        by=stranger,
        number=5,
        signed_on=timezone.localdate(),
    )
    assert "Нет прав" in message


@pytest.mark.django_db
def test_the_register_cannot_go_back_to_a_number_already_given(
    school, curator, director
):
    journal_at(school, next_number=113)
    sign(school, curator, director)
    with pytest.raises(ValidationError) as refusal:
        order_services.update_order_register(
            organization=school,
            by=curator,
            prefix="",
            suffix="-од",
            next_number=113,
            resets_yearly=True,
        )
    assert "Номер 113 уже выдан: последний приказ в журнале — № 113-од" in str(
        refusal.value
    )
    school.refresh_from_db()
    assert school.order_number_next == 114


@pytest.mark.django_db
def test_curator_keeps_the_register_in_the_admin_with_an_audit_entry(
    client, school, curator
):
    client.force_login(curator)
    url = reverse("admin:mentoring_organization_change", args=[school.pk])
    page = client.get(url)
    assert "Журнал регистрации приказов" in page.text
    fields = {
        "address": school.address,
        "place": school.place,
        "head_position": school.head_position,
        "head_name": school.head_name,
        "order_number_prefix": "",
        "order_number_suffix": "-од",
        "order_number_next": "113",
        "order_numbers_reset_yearly": "on",
        "order_signing": "paper",
    }
    response = client.post(url, fields)
    assert response.status_code == 302
    school.refresh_from_db()
    assert school.next_order_number == "113-од"
    assert school.order_signing == "paper"
    entry = AuditEntry.objects.get(action="organization.order_register")
    assert entry.actor == curator
    assert entry.data["after"]["next"] == 113

    response = client.post(url, {**fields, "order_number_suffix": "5од"})
    assert "Суффикс не может начинаться с цифры" in response.text
    response = client.post(url, {**fields, "order_number_next": "0"})
    assert response.status_code == 200
    school.refresh_from_db()
    assert (school.order_number_suffix, school.order_number_next) == ("-од", 113)


@pytest.mark.django_db
def test_curator_enters_a_paper_signed_order_from_the_admin_list(
    client, school, curator, director
):
    journal_at(school, next_number=113)
    taken = sign(school, curator, director)
    order = other_order(school, curator)
    client.force_login(curator)
    url = reverse("admin:mentoring_order_changelist")
    chosen = {"action": "signed_on_paper", "_selected_action": [order.pk]}
    page = client.post(url, chosen)
    assert "Следующий номер по журналу в системе — 114-од" in page.text
    day = taken.signed_on.isoformat()
    page = client.post(url, {**chosen, "number": "113", "signed_on": day})
    assert "Номер 113-од уже есть в журнале приказов" in page.text
    assert Order.objects.get(pk=order.pk).status == Order.Status.ON_SIGNATURE
    response = client.post(
        url, {**chosen, "number": "114", "signed_on": day}, follow=True
    )
    assert "Приказ внесён в журнал: № 114-од" in response.text
    assert Order.objects.get(pk=order.pk).full_number == "114-од"


@pytest.mark.django_db
def test_signing_never_reuses_a_number_given_outside_the_register(
    school, curator, director
):
    journal_at(school, next_number=5)
    OrderFactory(
        organization=school,
        status=Order.Status.SIGNED,
        year=timezone.localdate().year,
        number=5,
        signed_on=timezone.localdate(),
    )
    assert sign(school, curator, director).full_number == "6-од"


@pytest.mark.django_db
def test_signing_is_refused_a_number_from_a_year_the_register_has_left(
    school, curator, director
):
    journal_at(school, next_number=3, year=timezone.localdate().year + 1)
    order = other_order(school, curator)
    with pytest.raises(ValidationError) as refusal:
        order_services.sign_order(order=order, director=director)
    assert "Журнал приказов уже ведётся за" in str(refusal.value)
    assert Order.objects.get(pk=order.pk).status == Order.Status.ON_SIGNATURE


@pytest.mark.django_db
def test_a_paper_order_of_last_year_leaves_this_years_numbers_alone(school, curator):
    journal_at(school, next_number=40)
    last_year = timezone.localdate().replace(month=12, day=28)
    last_year = last_year.replace(year=last_year.year - 1)
    entered = order_services.register_paper_order(
        order=other_order(school, curator), by=curator, number=300, signed_on=last_year
    )
    assert (entered.full_number, entered.year) == ("300-од", last_year.year)
    school.refresh_from_db()
    assert school.order_number_next == 40


@pytest.mark.django_db
def test_director_enters_an_order_signed_on_paper_on_the_orders_page(
    client, school, curator, director
):
    journal_at(school, next_number=113)
    order = other_order(school, curator)
    client.force_login(director)
    page = client.get(reverse("mentoring:orders"))
    assert "Следующий номер по журналу — 113-од" in page.text
    url = reverse("mentoring:order-signed-on-paper", args=[order.pk])
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = client.post(
        url, {"number": "113", "signed_on": tomorrow.isoformat()}, follow=True
    )
    assert "ещё не наступила" in response.text
    assert Order.objects.get(pk=order.pk).status == Order.Status.ON_SIGNATURE
    day = timezone.localdate().isoformat()
    response = client.post(url, {"number": "113", "signed_on": day}, follow=True)
    assert "Приказ внесён в журнал: № 113-од" in response.text
    assert Order.objects.get(pk=order.pk).full_number == "113-од"
