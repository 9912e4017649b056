"""A mail server that is down fails no action: the letter is retried later.

These tests commit for real (transaction=True) and queue mail in the
database, as production does; `run_queued_tasks` is the worker.
"""

import logging

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.messages import get_messages
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from mentoring import mail as mail_module
from mentoring.models import Order
from mentoring.services import orders as order_services
from tests.factories import OrganizationFactory, UserFactory
from tests.outbox import DATABASE_TASKS, run_queued_tasks

from .orders_helpers import named_pair

pytestmark = pytest.mark.django_db(transaction=True)

BROKEN = "tests.outbox.BrokenEmailBackend"
LOCMEM = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture(autouse=True)
def _queue_in_the_database_and_mail_server_down(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.TASKS = DATABASE_TASKS
    settings.EMAIL_BACKEND = BROKEN


@pytest.fixture
def school():
    return OrganizationFactory(order_number_suffix="-од")


@pytest.fixture
def curator(school):
    return UserFactory(curator=True, organization=school, email="kurator@example.ru")


@pytest.fixture
def director(school):
    return UserFactory(director=True, organization=school, email="direktor@example.ru")


def _pair_order(school, curator):
    return order_services.create_pair_order(
        organization=school, pairs=[named_pair(school)], by=curator
    )


def _messages(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def _time_passes():
    """The retry's hour comes: what waits in the queue is due now."""
    DBTaskResult.objects.filter(status="READY").update(run_after=timezone.now())


def _first_attempt_fails_then_a_retry_delivers(settings, caplog, to):
    with caplog.at_level(logging.WARNING, logger="mentoring.mail"):
        run_queued_tasks()
    assert mail.outbox == []
    assert "not sent (attempt 1 of" in caplog.text
    assert "ConnectionRefusedError" in caplog.text
    waiting = DBTaskResult.objects.get(status="READY")
    assert waiting.run_after > timezone.now()
    run_queued_tasks()  # not yet due: nothing is tried
    assert DBTaskResult.objects.filter(status="READY").count() == 1

    settings.EMAIL_BACKEND = LOCMEM  # the mail server is back
    _time_passes()
    run_queued_tasks()

    assert [m.to for m in mail.outbox] == [to]
    assert not DBTaskResult.objects.filter(status="READY").exists()
    return mail.outbox[0]


def test_submitting_in_the_admin_succeeds_while_the_mail_server_is_down(
    client, settings, caplog, school, curator, director
):
    order = _pair_order(school, curator)
    client.force_login(curator)

    response = client.post(
        reverse("admin:mentoring_order_changelist"),
        {"action": "submit", ACTION_CHECKBOX_NAME: [str(order.pk)]},
    )

    assert response.status_code == 302
    assert _messages(response) == ["Направлено руководителю на подпись: 1."]
    order.refresh_from_db()
    assert order.status == Order.Status.ON_SIGNATURE
    letter = _first_attempt_fails_then_a_retry_delivers(
        settings, caplog, ["direktor@example.ru"]
    )
    assert letter.subject == f"На подпись: приказ «{order.title}»"


def test_signing_on_the_site_succeeds_while_the_mail_server_is_down(
    client, settings, caplog, school, curator, director
):
    order = _pair_order(school, curator)
    order_services.submit_order(order=order, by=curator)
    run_queued_tasks()  # the director's letter fails; it is not this test's
    DBTaskResult.objects.all().delete()
    client.force_login(director)

    response = client.post(reverse("mentoring:order-sign", args=[order.pk]))

    assert response.status_code == 302
    today = timezone.localdate().strftime("%d.%m.%Y")
    assert _messages(response) == [f"Приказ подписан: № 1-од от {today}."]
    order.refresh_from_db()
    assert order.status == Order.Status.SIGNED
    letter = _first_attempt_fails_then_a_retry_delivers(
        settings, caplog, ["kurator@example.ru"]
    )
    assert letter.subject == f"Приказ подписан: № 1-од от {today}"


def test_returning_on_the_site_succeeds_while_the_mail_server_is_down(
    client, settings, caplog, school, curator, director
):
    order = _pair_order(school, curator)
    order_services.submit_order(order=order, by=curator)
    run_queued_tasks()
    DBTaskResult.objects.all().delete()
    client.force_login(director)

    response = client.post(
        reverse("mentoring:order-return", args=[order.pk]),
        {"comment": "Уточните сроки программ."},
    )

    assert response.status_code == 302
    assert _messages(response) == ["Приказ возвращён на доработку."]
    order.refresh_from_db()
    assert order.status == Order.Status.RETURNED
    letter = _first_attempt_fails_then_a_retry_delivers(
        settings, caplog, ["kurator@example.ru"]
    )
    assert "Замечания: Уточните сроки программ." in letter.body
    assert "Уточните сроки программ." in letter.alternatives[0].content


def test_a_letter_is_given_up_after_the_last_attempt(
    settings, caplog, school, curator, director
):
    order = _pair_order(school, curator)
    order_services.submit_order(order=order, by=curator)

    with caplog.at_level(logging.WARNING, logger="mentoring.mail"):
        for _attempt in range(mail_module.MAX_ATTEMPTS + 1):
            run_queued_tasks()
            _time_passes()

    assert mail.outbox == []
    assert DBTaskResult.objects.filter(status="FAILED").count() == (
        mail_module.MAX_ATTEMPTS
    )
    assert not DBTaskResult.objects.filter(status="READY").exists()
    assert (
        f"not sent after {mail_module.MAX_ATTEMPTS} attempts; giving up" in caplog.text
    )
