"""The curator and the head pressing «Отправить» at the same moment: one
report is recorded, the other gets the Russian refusal, not an error."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from reports.models import ReportSubmission
from reports.services import send_report
from tests.factories import MeetingFactory, PairFactory, UserFactory
from tests.reports.conftest import PERIOD, at


@pytest.mark.django_db(transaction=True)
def test_two_sendings_at_once_record_one_report():
    pair = PairFactory(active=True, starts_on=PERIOD.start, ends_on=PERIOD.end)
    MeetingFactory(pair=pair, starts_at=at(2025, 10))
    school = pair.organization
    senders = [
        UserFactory(curator=True, organization=school),
        UserFactory(director=True, organization=school),
    ]
    start = threading.Barrier(2)
    refusals, failures = [], []

    def send(user):
        try:
            start.wait()
            send_report(organization=school, period=PERIOD, by=user)
        except ValidationError as error:
            refusals.append(error)
        except Exception as error:  # reported below, the thread must not die silently
            failures.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=send, args=(user,)) for user in senders]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert failures == []
    assert ReportSubmission.objects.filter(organization=school).count() == 1
    [refusal] = refusals
    assert refusal.code == "already_sent"
    assert "уже отправлен" in refusal.messages[0]
