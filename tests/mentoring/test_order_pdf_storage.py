"""The signed order's PDF is rendered from what committed, and stored once."""

import pytest
from django.db import transaction
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from mentoring.models import Order
from mentoring.services import orders as order_services
from tests.factories import OrganizationFactory, UserFactory
from tests.outbox import DATABASE_TASKS

from .orders_helpers import named_pair, pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def school():
    return OrganizationFactory(order_number_suffix="-од")


@pytest.fixture
def curator(school):
    return UserFactory(curator=True, organization=school)


@pytest.fixture
def director(school):
    return UserFactory(director=True, organization=school)


@pytest.fixture
def order(school, curator):
    order = order_services.create_pair_order(
        organization=school, pairs=[named_pair(school)], by=curator
    )
    return order_services.submit_order(order=order, by=curator)


def _files(media):
    return sorted(p.name for p in media.rglob("*") if p.is_file())


def test_the_pdf_is_stored_once_the_signing_commits(
    order, director, media, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        order_services.sign_order(order=order, director=director)
    assert _files(media) == []  # nothing is written before the commit

    for callback in callbacks:
        callback()

    order.refresh_from_db()
    assert order.pdf and order.pdf_sha256
    assert _files(media) == [order.pdf.name.rsplit("/", 1)[-1]]
    assert "№ 1-од" in pdf_text(order_services.stored_order_pdf(order=order))


def test_a_signing_that_rolls_back_leaves_no_file(
    order, director, media, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        order_services.sign_order(order=order, director=director)
        raise RuntimeError("the signing's transaction fails after the service")

    assert _files(media) == []
    order.refresh_from_db()
    assert order.status == Order.Status.ON_SIGNATURE and not order.pdf


def test_the_pdf_is_served_before_the_queued_task_runs_and_stored_once(
    client, settings, order, director, media, django_capture_on_commit_callbacks
):
    settings.TASKS = DATABASE_TASKS
    with django_capture_on_commit_callbacks(execute=True):
        order_services.sign_order(order=order, director=director)
    assert DBTaskResult.objects.filter(status="READY").count() == 1
    client.force_login(director)

    response = client.get(reverse("mentoring:order-pdf", args=[order.pk]))

    first = b"".join(response.streaming_content)
    assert "№ 1-од" in pdf_text(first)
    stored = Order.objects.get(pk=order.pk)
    assert stored.pdf
    assert _files(media) == [stored.pdf.name.rsplit("/", 1)[-1]]
    # The queued task runs later and finds the PDF stored: no second file.
    order_services.store_signed_order_pdf.call(order_id=order.pk)
    assert Order.objects.get(pk=order.pk).pdf_sha256 == stored.pdf_sha256
    assert len(_files(media)) == 1
    response = client.get(reverse("mentoring:order-pdf", args=[order.pk]))
    assert b"".join(response.streaming_content) == first
