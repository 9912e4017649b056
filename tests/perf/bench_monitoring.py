"""Monitoring over 200,000 answers, and the mentor's dashboard at 2 and 20 pairs.

A district's academic year is generated in bulk: ten schools, 500 pairs,
22,000 meetings with the mentor's and most mentees' feedback, satisfaction
and before/after surveys — over 200,000 answers, written with the roll-up
triggers on (surveys.rollups). The methodologist's district monitoring
(every indicator of the page, then the page over HTTP) is timed in turn
with its floor, one full scan of the answers table (`count(*)`), the least
an aggregate of the answers themselves costs; the ratio is asserted. The
mentor's dashboard must keep its query count from 2 pairs to 20; at 20 it
is compared with a trivial page (`/admin/login/`) requested in the same way.
"""

import datetime
import random
import time

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mentoring.models import (
    District,
    Meeting,
    MentoringForm,
    Organization,
    Pair,
    Participation,
    Person,
    Role,
    User,
)
from surveys.models import Answer, Question, Response
from surveys.monitoring import Period, monitoring
from surveys.services import current_version
from tests.factories import questionnaire as standard_questionnaire
from tests.perf.timing import interleaved_medians

SCHOOLS = 10
PAIRS = 500
MEETINGS_PER_PAIR = 44
ANSWERS_AT_LEAST = 200_000
TIMED = 5
# Ours / count(*) of the answers. Before the roll-ups: 13.5–19.5× (the
# aggregates) and 12.2–19.0× (the page). From the answers' roll-up (a row per
# person and question), on 2026-12-01/02: 3.5–9.1× and 3.6–15.0×, 5.4–5.6×
# and 5.8–7.1× on an idle machine. From the coarser roll-ups per question
# and per person's questionnaire, on 2026-12-02: 2.48× and 2.88× (see README
# «Performance» for the runs). Issue 15's aim, 5×, is asserted for both.
GOAL = 5.0
PAGE_GOAL = 5.0
# The dashboard at 20 pairs / /admin/login/: 10.3–15.8× in four runs on
# 2026-12-01 under load (ten queries and a card per pair against a form).
DASHBOARD_GOAL = 30.0


def _standard(code):
    # Another module's TRUNCATE … CASCADE (tests/perf/conftest.py) empties the
    # questionnaires too (they point at organizations): the helper reloads them.
    questionnaire = standard_questionnaire(code)
    return questionnaire, list(current_version(questionnaire).questions.all())


def _answer(question, rng):
    if question.kind in Question.NUMERIC_KINDS:
        return {"number_value": rng.randint(question.scale_min, question.scale_max)}
    if question.kind in Question.CHOICE_KINDS:
        return {"choice_values": [rng.choice(question.choices)]}
    return {"text_value": "Разобрали план урока"}


def _generate(period: Period) -> tuple[Organization, int]:
    rng = random.Random(5)
    district = District.objects.create(name="Замер мониторинга")
    schools = Organization.objects.bulk_create(
        Organization(
            district=district,
            full_name=f"Школа замера № {n}",
            short_name=f"Школа замера № {n}",
        )
        for n in range(1, SCHOOLS + 1)
    )
    forms = list(MentoringForm.objects.filter(stream="teachers"))
    born = datetime.date(1980, 1, 1)
    people = Person.objects.bulk_create(
        Person(
            organization=schools[i // 2 % SCHOOLS],
            last_name=f"Фамилия{i}",
            first_name="Имя",
            gender="female",
            category="teacher",
            birth_date=born,
        )
        for i in range(PAIRS * 2)
    )
    start = period.starts.date()
    pairs = Pair.objects.bulk_create(
        Pair(
            organization=schools[i % SCHOOLS],
            form=forms[i % len(forms)],
            status=Pair.Status.ACTIVE,
            starts_on=start,
            ends_on=start + datetime.timedelta(days=270),
        )
        for i in range(PAIRS)
    )
    Participation.objects.bulk_create(
        Participation(pair=pair, person=people[2 * i + role], role=name)
        for i, pair in enumerate(pairs)
        for role, name in ((0, "mentor"), (1, "mentee"))
    )
    first = period.starts + datetime.timedelta(days=7)
    meetings = Meeting.objects.bulk_create(
        Meeting(
            pair=pair,
            kind="regular",
            topic="Встреча",
            status="held",
            starts_at=first + datetime.timedelta(days=5 * n + i % 5, hours=i % 8),
        )
        for i, pair in enumerate(pairs)
        for n in range(MEETINGS_PER_PAIR)
    )
    sheets = {
        code: _standard(code)
        for code in (
            "meeting-feedback-mentor",
            "meeting-feedback-mentee",
            "satisfaction-mentee",
            "satisfaction-mentor",
            "impact-teacher",
        )
    }
    responses, plans = [], []

    def respond(code, person, at, **about):
        questionnaire, questions = sheets[code]
        responses.append(
            Response(
                questionnaire=questionnaire,
                version_id=questions[0].version_id,
                organization=person.organization,
                respondent=person,
                submitted_at=at,
                **about,
            )
        )
        plans.append(questions)

    index = {pair.pk: i for i, pair in enumerate(pairs)}
    for meeting in meetings:
        i = index[meeting.pair_id]
        at = meeting.starts_at + datetime.timedelta(hours=20)
        if rng.random() < 0.9:
            respond("meeting-feedback-mentor", people[2 * i], at, meeting=meeting)
        if rng.random() < 0.8:
            respond("meeting-feedback-mentee", people[2 * i + 1], at, meeting=meeting)
    end = period.starts + datetime.timedelta(days=260)
    for i, pair in enumerate(pairs):
        respond("satisfaction-mentee", people[2 * i + 1], end, pair=pair)
        respond("satisfaction-mentor", people[2 * i], end, pair=pair)
        for moment, at in (("before", first), ("after", end)):
            respond("impact-teacher", people[2 * i + 1], at, pair=pair, moment=moment)
    Response.objects.bulk_create(responses, batch_size=5000)
    answers = [
        Answer(response=response, question=question, **_answer(question, rng))
        for response, questions in zip(responses, plans, strict=True)
        for question in questions
    ]
    Answer.objects.bulk_create(answers, batch_size=10_000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return district, len(answers)


def _floor():
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {Answer._meta.db_table}")
        cursor.fetchone()


@pytest.fixture(scope="module")
def year_of_answers(growing_db):
    """The last full academic year of a district, generated once."""
    period = Period(Period.current().start_year - 1)
    started = time.perf_counter()
    district, answers = _generate(period)
    return district, answers, period, time.perf_counter() - started


def test_monitoring_over_200000_answers_within_a_multiple_of_a_scan(
    year_of_answers, bench_table
):
    district, answers, period, generated = year_of_answers
    assert answers >= ANSWERS_AT_LEAST
    methodologist = User.objects.create_user(
        username="bench-monitoring", role=Role.METHODOLOGIST, district=district
    )

    seconds, floor = interleaved_medians(
        lambda: monitoring(user=methodologist, period=period), _floor, runs=TIMED
    )
    with CaptureQueriesContext(connection) as captured:
        result = monitoring(user=methodologist, period=period)
    # Read now: each request below resets the connection's query log.
    queries = list(captured.captured_queries)
    client = Client()
    client.force_login(methodologist)
    url = reverse("surveys:monitoring") + f"?year={period.start_year}"

    def page():
        assert client.get(url).status_code == 200

    page_s, page_floor = interleaved_medians(page, _floor, runs=TIMED)

    print()
    print(f"generated {answers} answers in {generated:.1f} s")
    print(f"floor (count(*) of answers): {floor * 1000:.1f} ms")
    print(
        f"monitoring aggregates: {seconds * 1000:.1f} ms "
        f"({seconds / floor:.1f} × floor), {len(queries)} queries"
    )
    for query in queries:
        print(f"  {float(query['time']) * 1000:7.1f} ms  {query['sql'][:90]}")
    print(f"monitoring page (HTTP, charts): {page_s * 1000:.1f} ms")
    assert result.rates["meetings"] == PAIRS * MEETINGS_PER_PAIR
    assert result.current
    aggregates_ratio = bench_table.record(
        f"district monitoring aggregates, {answers} answers / count(*)",
        ours=seconds,
        floor=floor,
        goal=GOAL,
    )
    page_ratio = bench_table.record(
        "district monitoring page (HTTP) / count(*) of answers",
        ours=page_s,
        floor=page_floor,
        goal=PAGE_GOAL,
    )
    assert aggregates_ratio <= GOAL
    assert page_ratio <= PAGE_GOAL


def _dashboard(client):
    with CaptureQueriesContext(connection) as captured:
        started = time.perf_counter()
        response = client.get(reverse("surveys:dashboard"))
        seconds = time.perf_counter() - started
    assert response.status_code == 200
    return seconds, len(captured.captured_queries), len(response.context["pairs"])


def test_mentor_dashboard_keeps_its_queries_from_2_to_20_pairs(
    year_of_answers, bench_table
):
    school = Organization.objects.filter(district=year_of_answers[0]).first()
    mentor = Person.objects.create(
        organization=school,
        last_name="Наставница",
        first_name="Анна",
        gender="female",
        category="teacher",
        birth_date=datetime.date(1975, 5, 5),
        user=User.objects.create_user(username="bench-mentor"),
    )
    free = list(Pair.objects.filter(organization=school).order_by("pk"))
    client = Client()
    client.force_login(mentor.user)
    measured = {}
    for size in (2, 20):
        have = Participation.objects.filter(person=mentor).count()
        Participation.objects.bulk_create(
            Participation(pair=pair, person=mentor, role="mentor")
            for pair in free[have:size]
        )
        client.get(reverse("surveys:dashboard"))
        measured[size] = _dashboard(client)
    print()
    for seconds, queries, pairs in measured.values():
        print(
            f"dashboard with {pairs} pairs: {seconds * 1000:.1f} ms, {queries} queries"
        )
    assert measured[2][1] == measured[20][1]
    assert measured[20][2] == 20

    def get(url):
        def page():
            assert client.get(url).status_code == 200

        return page

    dashboard, trivial = interleaved_medians(
        get(reverse("surveys:dashboard")), get(reverse("admin:login")), runs=TIMED
    )
    ratio = bench_table.record(
        "mentor's dashboard, 20 pairs / /admin/login/",
        ours=dashboard,
        floor=trivial,
        goal=DASHBOARD_GOAL,
    )
    assert ratio <= DASHBOARD_GOAL
