"""A double click on «Сохранить» saves the feedback once and answers both posts alike."""

import threading
import time

import pytest
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse

from mentoring.models import Meeting
from surveys.models import Response
from tests.factories import MeetingFactory
from tests.surveys.test_feedback import _mentor_answers


def _waiting_on_locks() -> int:
    with connection.cursor() as cursor:
        # Inside a transaction the activity view is a snapshot: renew it.
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0]


@pytest.mark.django_db(transaction=True)
def test_two_posts_of_the_same_feedback_at_once_save_it_once(pair_with_logins):
    unit = pair_with_logins()
    meeting = MeetingFactory(pair=unit.pair)
    url = reverse("surveys:feedback", args=[meeting.pk])
    data = _mentor_answers(meeting)
    login = Client()
    login.force_login(unit.mentor.user)
    answers = []

    def post():
        client = Client()
        client.cookies = login.cookies
        try:
            answers.append(client.post(url, data))
        finally:
            connection.close()

    threads = [threading.Thread(target=post) for _ in range(2)]
    # Both posts pass the view's «already filled?» check before either saves,
    # then queue on the meeting's row: the race a double click makes.
    with transaction.atomic():
        Meeting.objects.select_for_update().get(pk=meeting.pk)
        for thread in threads:
            thread.start()
        deadline = time.monotonic() + 10
        while _waiting_on_locks() < 2 and time.monotonic() < deadline:
            time.sleep(0.02)
        assert _waiting_on_locks() == 2
    for thread in threads:
        thread.join()

    locations = sorted(answer["Location"] for answer in answers)
    assert [answer.status_code for answer in answers] == [302, 302]
    assert locations == sorted(
        [reverse("surveys:dashboard"), reverse("surveys:pair", args=[unit.pair.pk])]
    )
    assert Response.objects.filter(meeting=meeting).count() == 1
