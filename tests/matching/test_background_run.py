"""A matching run is computed by a background task, never in the request."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from mentoring.matching.scoring import Weights
from mentoring.models import AuditEntry, MatchingRun
from mentoring.tasks import run_matching_task
from tests.factories import form
from tests.matching.test_workflow import school, start

pytestmark = pytest.mark.django_db


def queue(client, **overrides):
    """The curator's POST alone: its on-commit enqueue is not run."""
    data = {
        "mentoring_forms": [form("teacher-teacher").pk],
        "mode": "optimal",
        "make_groups": "on",
        **{f"weight_{name}": value for name, value in Weights().as_dict().items()},
        **overrides,
    }
    return client.post(reverse("mentoring:matching"), data, follow=True)


def test_the_request_only_queues_the_run_and_the_page_shows_its_progress(client):
    organization, curator = school(mentors=1, mentees=2)
    client.force_login(curator)
    response = queue(client)
    run = MatchingRun.objects.get()
    assert run.status == MatchingRun.Status.QUEUED
    assert not run.suggestions.exists()
    assert "Подбор выполняется в фоне" in response.text
    assert "data-refresh-seconds" in response.text
    assert "js/matching_progress.js" in response.text
    assert "Обновить" in response.text

    run_matching_task.call(run_id=run.pk)

    run.refresh_from_db()
    assert run.status == MatchingRun.Status.REVIEW
    assert run.progress == 100
    page = client.get(reverse("mentoring:matching-run", args=[run.pk]))
    assert "Подбор выполняется в фоне" not in page.text
    assert "совпадают запросы: планирование уроков по ФОП" in page.text
    assert run.suggestions.count() == 2


def test_the_page_shows_the_stage_a_running_task_has_reached(client):
    organization, curator = school()
    client.force_login(curator)
    queue(client)
    MatchingRun.objects.update(
        status=MatchingRun.Status.RUNNING, progress=40, stage="Подбор пар"
    )
    run = MatchingRun.objects.get()
    page = client.get(reverse("mentoring:matching-run", args=[run.pk]))
    assert 'data-width="40"' in page.text
    assert "Подбор пар" in page.text
    assert "Выполняется" in page.text


def test_a_second_run_for_the_school_is_refused_while_one_is_going(client):
    organization, curator = school()
    client.force_login(curator)
    queue(client)
    going = MatchingRun.objects.get()
    response = queue(client)
    assert (
        f"Подбор № {going.pk} для вашей организации ещё выполняется: "
        "дождитесь его окончания." in response.text
    )
    assert MatchingRun.objects.count() == 1

    run_matching_task.call(run_id=going.pk)
    queue(client)
    assert MatchingRun.objects.count() == 2


def test_a_run_lost_for_over_an_hour_says_it_was_interrupted_and_is_audited(client):
    organization, curator = school()
    client.force_login(curator)
    queue(client)
    run = MatchingRun.objects.get()
    url = reverse("mentoring:matching-run", args=[run.pk])
    MatchingRun.objects.update(
        created_at=timezone.now() - datetime.timedelta(minutes=59)
    )
    assert "Подбор выполняется в фоне" in client.get(url).text
    assert not AuditEntry.objects.filter(action="matching.lost").exists()
    MatchingRun.objects.update(
        status=MatchingRun.Status.RUNNING,
        created_at=timezone.now() - datetime.timedelta(minutes=61),
    )
    page = client.get(url)
    assert "Подбор прерван: расчёт не закончился за час" in page.text
    assert "data-refresh-seconds" not in page.text
    run.refresh_from_db()
    assert run.status == MatchingRun.Status.FAILED
    assert AuditEntry.objects.filter(action="matching.lost").count() == 1
    # A worker that comes back late finds the run taken and leaves it.
    run_matching_task.call(run_id=run.pk)
    run.refresh_from_db()
    assert run.status == MatchingRun.Status.FAILED
    client.get(url)
    assert AuditEntry.objects.filter(action="matching.lost").count() == 1


def test_a_run_going_in_another_school_does_not_hold_this_one(client):
    other, other_curator = school()
    client.force_login(other_curator)
    queue(client)
    organization, curator = school()
    client.force_login(curator)
    queue(client)
    assert MatchingRun.objects.filter(organization=organization).count() == 1


def test_a_run_whose_worker_was_lost_long_ago_no_longer_holds_the_school(client):
    organization, curator = school()
    client.force_login(curator)
    queue(client)
    MatchingRun.objects.update(
        status=MatchingRun.Status.RUNNING,
        created_at=timezone.now() - datetime.timedelta(hours=2),
    )
    queue(client)
    assert MatchingRun.objects.count() == 2


def test_a_run_that_breaks_inside_the_task_is_reported_as_failed(client):
    organization, curator = school()
    client.force_login(curator)
    queue(client)
    run = MatchingRun.objects.get()
    # A stored weight no number can be read from: the task itself breaks.
    MatchingRun.objects.update(weights={"requests": "много"})
    with pytest.raises(ValueError):
        run_matching_task.call(run_id=run.pk)
    run.refresh_from_db()
    assert run.status == MatchingRun.Status.FAILED
    page = client.get(reverse("mentoring:matching-run", args=[run.pk]))
    assert "Подбор не удался." in page.text
    assert "Внутренняя ошибка при расчёте. Запустите подбор ещё раз." in page.text
    assert "data-refresh-seconds" not in page.text
    assert AuditEntry.objects.filter(action="matching.failed").exists()
    # A failed run does not hold the school: the curator starts again.
    MatchingRun.objects.update(weights={})
    start(client)
    assert MatchingRun.objects.filter(status=MatchingRun.Status.REVIEW).count() == 1


def test_the_task_does_not_compute_a_run_twice(client):
    organization, curator = school(mentors=1, mentees=2)
    client.force_login(curator)
    start(client)
    run = MatchingRun.objects.get()
    run_matching_task.call(run_id=run.pk)
    assert run.suggestions.count() == 2
