"""A mixed load held by gunicorn: 50 users for 60 s, then again across a restart.

A generated district (tests/perf/conftest.py's `growing_db`) with feedback
answers for its held meetings, one roadmap and one signed order per school
sampled, and 50 logged-in users: curators (the admin's persons and pairs
lists, the school's roadmap), mentors (`/my/`, the feedback form after a
meeting, posted — one in five twice at once, as a double click does),
directors (`/orders/` and the signed order's PDF) and the district's
methodologists (the district monitoring). gunicorn runs with the production
settings and config/gunicorn.py on loopback; our own asyncio client
(tests/perf/load_client.py) replays the users, each with its own session and
CSRF token, bounded in time and in requests.

The floor is `/admin/login/` for a visitor, requested by the same 50
clients just before: what the server answers when a page costs almost
nothing. The ratio (mixed seconds per request / the floor's) is asserted;
the absolute figures (throughput, p50/p95/p99 and errors per endpoint) are
printed. After the run the feedback rows are counted against the successful
submissions: none lost, none doubled, none without its answers.

The second run restarts PostgreSQL (`scripts/pg.sh stop` and `start`, the
cluster of `make bench`) a third of the way in: meanwhile the users get the
Russian 503 page, the server recovers by itself, and no request leaves
partial data.

    make bench PYTEST_ARGS='-k "load"'

LOAD_SECONDS, LOAD_USERS and LOAD_ORGANIZATIONS change the run's length,
its users and the district's size.
"""

import asyncio
import contextlib
import io
import os
import socket
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import NamedTuple

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.db.models import Count
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from mentoring.models import (
    Meeting,
    Order,
    Organization,
    Participation,
    Person,
    Role,
    User,
)
from mentoring.services import orders as order_services
from surveys.forms import question_field_name
from surveys.models import Answer, Question, QuestionnaireVersion, Response
from surveys.services import (
    current_version,
    ensure_feedback_due,
    feedback_questionnaire,
)
from tests.factories import ActivityFactory, OrderFactory, StageFactory
from tests.mentoring.test_settings import PROJECT_ROOT, production_env
from tests.perf.load_client import ServerDown, run_load
from tests.perf.load_client import User as LoadUser

SECONDS = float(os.environ.get("LOAD_SECONDS", 60))
USERS = int(os.environ.get("LOAD_USERS", 50))
ORGANIZATIONS = int(os.environ.get("LOAD_ORGANIZATIONS", 40))
FLOOR_SECONDS = 10.0
WARM_SECONDS = 3.0
# Bounds a run whatever the server does: at most this many requests.
MAX_REQUESTS = 50_000
# Shares of the 50 users by role (curators, mentors, directors, methodologists).
SHARES = {"curator": 0.32, "mentor": 0.4, "director": 0.16, "methodologist": 0.12}
# Mixed seconds per request / /admin/login/'s under the same 50 clients:
# 7.1–11.8× in four runs on 2026-12-01 with the load average at 10–16
# (other benchmarks and suites running); the goal leaves about twice the
# typical figure.
MIX_GOAL = 20.0
# Issue 15: ≥ 60 req/s and p95 < 1 s; printed, not asserted (absolute).
TARGET_RPS = 60
TARGET_P95 = 1.0
# The restart run: after PostgreSQL is back, answers must be 200 again within
# this many seconds.
RECOVERY_SECONDS = 10.0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# ------------------------------------------------------------------ data


def _feedback_answers(*, role: str) -> None:
    """One feedback response per participant and held meeting, by SQL.

    The district monitoring reads these; the load mentors' own meetings are
    left without the mentor's feedback, so they have some to give.
    """
    organization = Organization.objects.first()
    questionnaire = feedback_questionnaire(role=role, organization_id=organization.pk)
    version = current_version(questionnaire)
    values = []
    for question in version.questions.all():
        if question.kind in Question.NUMERIC_KINDS:
            low, high = question.scale_min, question.scale_max
            number = f"{low} + floor(random() * {high - low + 1})"
            values.append(f"SELECT {question.pk}, {number}, '', '{{}}'::varchar[]")
        elif question.kind in Question.CHOICE_KINDS:
            choice = question.choices[0].replace("'", "''")
            values.append(f"SELECT {question.pk}, NULL, '', ARRAY['{choice}']")
        else:
            values.append(f"SELECT {question.pk}, NULL, 'Разобрали план урока', '{{}}'")
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO {Response._meta.db_table}
                (questionnaire_id, version_id, organization_id, respondent_id,
                 meeting_id, pair_id, moment, submitted_at)
            SELECT %s, %s, person.organization_id, person.id, meeting.id,
                   meeting.pair_id, '', meeting.starts_at + interval '2 hours'
            FROM {Meeting._meta.db_table} meeting
            JOIN {Participation._meta.db_table} taking
              ON taking.pair_id = meeting.pair_id AND taking.role = %s
            JOIN {Person._meta.db_table} person ON person.id = taking.person_id
            WHERE meeting.status = %s AND meeting.starts_at < now()
              AND person.user_id IS NULL
            """,
            [questionnaire.pk, version.pk, role, Meeting.Status.HELD],
        )
        cursor.execute(
            f"""
            INSERT INTO {Answer._meta.db_table}
                (response_id, question_id, number_value, text_value, choice_values)
            SELECT response.id, question.*
            FROM {Response._meta.db_table} response
            CROSS JOIN ({" UNION ALL ".join(values)}) AS question
            WHERE response.version_id = %s
            """,
            [version.pk],
        )


def _session(user: User) -> str:
    client = Client()
    client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def _mentors(count: int) -> list[LoadUser]:
    """Mentors of active pairs with the most held meetings, one per school."""
    taken = (
        Participation.objects.filter(
            role=Participation.Role.MENTOR,
            pair__status="active",
            person__user__isnull=True,
        )
        .select_related("person", "pair")
        .order_by("person__organization_id", "pk")
    )
    users, schools = [], set()
    for participation in taken:
        person = participation.person
        if len(users) == count:
            break
        if person.organization_id in schools:
            continue
        user = User.objects.create_user(
            username=f"load-mentor-{person.pk}", role=Role.PARTICIPANT
        )
        person.user = user
        person.save(update_fields=["user"])
        users.append((user, person))
        schools.add(person.organization_id)
    return users


def _due_meetings(person: Person) -> list[int]:
    meetings = Meeting.objects.filter(
        pair__participations__person=person,
        status=Meeting.Status.HELD,
        starts_at__lt=timezone.now(),
    ).select_related("pair")
    due = []
    for meeting in meetings:
        try:
            ensure_feedback_due(meeting=meeting, respondent=person)
        except Exception:  # noqa: BLE001 — a meeting not due is just not used
            continue
        due.append(meeting.pk)
    return due


def _feedback_post(organization_id: int) -> dict[str, str]:
    questionnaire = feedback_questionnaire(
        role=Participation.Role.MENTOR, organization_id=organization_id
    )
    data = {}
    for question in current_version(questionnaire).questions.all():
        name = question_field_name(question)
        if question.kind in Question.NUMERIC_KINDS:
            data[name] = str(question.scale_max)
        elif question.kind in Question.CHOICE_KINDS:
            data[name] = question.choices[0]
        else:
            data[name] = "Разобрали план урока на следующую неделю"
    return data


def _roadmap(organization: Organization) -> int:
    stage = StageFactory(roadmap__organization=organization)
    for position in range(20):
        ActivityFactory(stage=stage, position=position)
    return stage.roadmap_id


def _signed_order(organization: Organization, director: User) -> int:
    order = OrderFactory(
        organization=organization, kind=Order.Kind.FINAL_EVENT, on_signature=True
    )
    return order_services.sign_order(order=order, director=director).pk


def _counts(count: int) -> dict[str, int]:
    counts = {role: round(count * share) for role, share in SHARES.items()}
    counts["mentor"] += count - sum(counts.values())
    return counts


def _users(counts: dict[str, int], mentors) -> list[LoadUser]:
    """The load's users by role, each with a session of its own."""
    schools = list(Organization.objects.order_by("pk"))
    district = schools[0].district
    users = []
    for index in range(counts["curator"]):
        school = schools[index % len(schools)]
        user = User.objects.create_user(
            username=f"load-curator-{index}",
            role=Role.CURATOR,
            organization=school,
            is_staff=True,
        )
        roadmap = _roadmap(school)
        users.append(
            LoadUser(
                name=user.username,
                session=_session(user),
                pages=[
                    ("admin persons", reverse("admin:mentoring_person_changelist"), 4),
                    ("admin pairs", reverse("admin:mentoring_pair_changelist"), 3),
                    ("roadmap", reverse("roadmap:detail", args=[roadmap]), 3),
                ],
            )
        )
    for user, person in mentors:
        users.append(
            LoadUser(
                name=user.username,
                session=_session(user),
                pages=[("/my/", reverse("surveys:dashboard"), 6)],
                feedback=[
                    reverse("surveys:feedback", args=[pk])
                    for pk in _due_meetings(person)
                ],
                feedback_data=_feedback_post(person.organization_id),
                feedback_weight=4,
            )
        )
    for index in range(counts["director"]):
        school = schools[-1 - index % len(schools)]
        user = User.objects.create_user(
            username=f"load-director-{index}", role=Role.DIRECTOR, organization=school
        )
        order = _signed_order(school, user)
        users.append(
            LoadUser(
                name=user.username,
                session=_session(user),
                pages=[
                    ("/orders/", reverse("mentoring:orders"), 6),
                    (
                        "order PDF",
                        reverse("mentoring:order-pdf", args=[order]) + "?download=1",
                        4,
                    ),
                ],
            )
        )
    for index in range(counts["methodologist"]):
        user = User.objects.create_user(
            username=f"load-methodologist-{index}",
            role=Role.METHODOLOGIST,
            district=district,
            is_staff=True,
        )
        users.append(
            LoadUser(
                name=user.username,
                session=_session(user),
                pages=[("district monitoring", reverse("surveys:monitoring"), 1)],
            )
        )
    return users


@pytest.fixture(scope="module")
def district(growing_db, tmp_path_factory):
    media = tmp_path_factory.mktemp("load-media")
    with override_settings(MEDIA_ROOT=media):
        started = time.perf_counter()
        call_command(
            "generate_district",
            organizations=ORGANIZATIONS,
            seed=15,
            stdout=io.StringIO(),
        )
        counts = _counts(USERS)
        mentors = _mentors(counts["mentor"])
        for role in (Participation.Role.MENTOR, Participation.Role.MENTEE):
            _feedback_answers(role=role)
        users = _users(counts, mentors)
        # Tables just written are vacuumed and analyzed by autovacuum in the
        # minutes after: in the middle of the runs, whose floor once had
        # only 75 % of the cores (the rest autovacuum's, at 220 against
        # 366-378 req/s in the runs before and after). A server's tables are
        # past that; so are these before anything is timed.
        # CHECKPOINT, too: the pages the vacuum dirtied are written now, not
        # by the checkpointer during the runs.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
            cursor.execute("CHECKPOINT")
        generated = time.perf_counter() - started
        answers = Answer.objects.count()
        print(f"\ndistrict of {ORGANIZATIONS} schools, {answers} answers and")
        print(f"{len(users)} users generated in {generated:.0f} s")
        yield users, media


# ---------------------------------------------------------------- server


class Server(NamedTuple):
    port: int
    pid: int


@contextlib.contextmanager
def gunicorn(media: Path, log: Path, **tuning: str):
    """gunicorn on the production settings and config/gunicorn.py; `tuning`
    sets its GUNICORN_* variables (the shell's, if any, are passed on)."""
    database = connection.settings_dict
    port = free_port()
    env = production_env(
        DATABASE_URL=(
            f"postgres://{database['USER']}@{database['HOST'] or '127.0.0.1'}:"
            f"{database['PORT'] or 5432}/{database['NAME']}"
        ),
        SECRET_KEY=settings.SECRET_KEY,
        STATIC_MANIFEST="0",
        MEDIA_ROOT=str(media),
        GUNICORN_BIND=f"127.0.0.1:{port}",
        **{
            name: value
            for name, value in os.environ.items()
            if name.startswith("GUNICORN_") and name != "GUNICORN_BIND"
        },
        **tuning,
    )
    with log.open("w") as out:
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "config/gunicorn.py"]
            + ["config.wsgi"],
            env=env,
            cwd=PROJECT_ROOT,
            stdout=out,
            stderr=out,
        )
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=1).close()
                    break
                except OSError:
                    if server.poll() is not None or time.monotonic() > deadline:
                        pytest.fail("gunicorn did not start:\n" + log.read_text())
                    time.sleep(0.2)
            yield Server(port=port, pid=server.pid)
        finally:
            server.terminate()
            server.wait(timeout=30)


def _restart_postgresql() -> None:
    """Stop and start the cluster the benchmark uses: `pg_ctl restart` by
    scripts/pg.sh, which knows its directory and port."""
    for action in ("stop", "start"):
        subprocess.run(
            ["scripts/pg.sh", action, "test"],
            cwd=PROJECT_ROOT,
            check=True,
            capture_output=True,
        )


def _our_cluster() -> bool:
    url = subprocess.run(
        ["scripts/pg.sh", "url", "test"],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return f":{connection.settings_dict['PORT']}/" in url


# ------------------------------------------------------------------- CPU


def _stat(pid: int) -> list[str]:
    # After the command's closing parenthesis: proc(5)'s fields from the 3rd.
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()


def _tree_cpu(parent: int) -> float:
    """CPU seconds (user + system) of a process and all its children, the
    ended ones included: a parent's cutime and cstime gather the children it
    has reaped (a backend that closed its connection, a restarted worker)."""
    ticks = os.sysconf("SC_CLK_TCK")
    fields = _stat(parent)
    # utime, stime, cutime, cstime: fields 14–17, 12–15 here.
    spent = sum(int(value) for value in fields[11:15])
    children = Path(f"/proc/{parent}/task/{parent}/children").read_text().split()
    for child in map(int, children):
        with contextlib.suppress(FileNotFoundError, ProcessLookupError):
            spent += int(_stat(child)[11]) + int(_stat(child)[12])
    return spent / ticks


def _postmaster() -> int:
    """The benchmark cluster's postmaster: the parent of our own backend."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        (backend,) = cursor.fetchone()
    status = Path(f"/proc/{backend}/status").read_text()
    return int(next(x for x in status.splitlines() if x.startswith("PPid:")).split()[1])


class CpuSplit:
    """Where the machine's CPU went during a run: gunicorn (the app, its
    master and workers), PostgreSQL (the cluster's postmaster and every
    backend, those that ended during the run too) and this process (the load
    client), each as milliseconds of a core per request.
    """

    def __init__(self, master: int):
        self.master = master
        self.postmaster = _postmaster()

    def __enter__(self):
        self.app = _tree_cpu(self.master)
        self.database = _tree_cpu(self.postmaster)
        self.client = time.process_time()
        self.wall = time.monotonic()
        return self

    def __exit__(self, *exc):
        self.client = time.process_time() - self.client
        self.wall = time.monotonic() - self.wall
        self.app = _tree_cpu(self.master) - self.app
        self.database = _tree_cpu(self.postmaster) - self.database

    def line(self, result) -> str:
        n = len(result.samples)
        cores = os.cpu_count() or 1
        busy = (self.app + self.database + self.client) / (cores * self.wall)
        return (
            f"CPU per request: gunicorn {self.app / n * 1000:.1f} ms, "
            f"PostgreSQL {self.database / n * 1000:.1f} ms, "
            f"load client {self.client / n * 1000:.1f} ms; the three used "
            f"{busy:.0%} of {cores} cores over {self.wall:.1f} s (the rest: "
            "other work on the machine, or idle)"
        )


# ----------------------------------------------------------------- checks


def _feedback_rows(meetings: set[int]) -> dict:
    """The load mentors' feedback rows on these meetings, and those whose
    answers are not all there."""
    connection.close()  # a restart left the old connection broken
    rows = Response.objects.filter(
        meeting_id__in=meetings,
        respondent__user__username__startswith="load-mentor-",
    ).annotate(answered=Count("answers"))
    per_meeting = Counter(rows.values_list("meeting_id", flat=True))
    questions = dict(
        QuestionnaireVersion.objects.filter(responses__in=rows)
        .annotate(asked=Count("questions", distinct=True))
        .values_list("pk", "asked")
    )
    partial = sum(
        1
        for version_id, answered in rows.values_list("version_id", "answered")
        if answered != questions[version_id]
    )
    return {"per_meeting": per_meeting, "partial": partial}


def _print(result, title: str) -> None:
    print()
    print(title)
    for line in result.lines():
        print(line)


# ------------------------------------------------------------------ tests


def test_a_run_against_a_server_that_is_down_ends_with_a_message():
    users = [LoadUser(name="visitor", session="", pages=[("login", "/", 1)])]
    started = time.monotonic()
    with pytest.raises(ServerDown, match="does not answer"):
        asyncio.run(run_load(free_port(), users, seconds=60, max_requests=10))
    assert time.monotonic() - started < 5


def test_50_users_over_the_six_pages_feedback_and_pdfs(district, bench_table, tmp_path):
    users, media = district
    with gunicorn(media, tmp_path / "gunicorn.log") as server:
        port = server.port
        try:
            # Each worker imports the app and compiles its first templates on
            # its first requests: seconds of CPU that belong to no page.
            asyncio.run(
                run_load(
                    port,
                    [u.visitor("/admin/login/") for u in users],
                    seconds=WARM_SECONDS,
                    max_requests=MAX_REQUESTS,
                )
            )
            with CpuSplit(server.pid) as floor_cpu:
                floor = asyncio.run(
                    run_load(
                        port,
                        [u.visitor("/admin/login/") for u in users],
                        seconds=FLOOR_SECONDS,
                        max_requests=MAX_REQUESTS,
                    )
                )
            with CpuSplit(server.pid) as mixed_cpu:
                mixed = asyncio.run(
                    run_load(port, users, seconds=SECONDS, max_requests=MAX_REQUESTS)
                )
        except ServerDown as down:
            pytest.fail(str(down))
    _print(floor, "floor: /admin/login/ for a visitor, same clients")
    print(floor_cpu.line(floor))
    _print(mixed, f"mixed load: {len(users)} users, {SECONDS:.0f} s")
    print(mixed_cpu.line(mixed))
    rows = _feedback_rows(mixed.feedback_tried)
    print(
        f"feedback: {len(mixed.feedback_saved)} saved answers, "
        f"{len(mixed.feedback_tried)} meetings posted, {mixed.doubled} twice at once, "
        f"{sum(rows['per_meeting'].values())} "
        f"rows, {rows['partial']} partial"
    )
    ratio = bench_table.record(
        f"mixed load, {len(users)} users: s per request / /admin/login/'s",
        ours=1 / mixed.throughput,
        floor=1 / floor.throughput,
        goal=MIX_GOAL,
    )
    bench_table.record(
        f"mixed load p95 / /admin/login/'s p95 ({mixed.throughput:.1f} req/s)",
        ours=mixed.percentile(95),
        floor=floor.percentile(95),
        goal=None,
    )
    print(
        f"issue 15's aim: ≥ {TARGET_RPS} req/s and p95 < {TARGET_P95:g} s; "
        f"here {mixed.throughput:.1f} req/s, p95 {mixed.percentile(95):.2f} s "
        f"(the floor: {floor.throughput:.1f} req/s)"
    )
    assert mixed.errors == {}, mixed.errors
    assert set(rows["per_meeting"]) == set(mixed.feedback_saved)
    assert all(count == 1 for count in rows["per_meeting"].values())
    assert rows["partial"] == 0
    assert mixed.doubled > 0, "no double submit was tried"
    assert ratio <= MIX_GOAL


def test_the_same_load_across_a_postgresql_restart(district, tmp_path):
    users, media = district
    if not _our_cluster():
        pytest.skip("DATABASE_URL is not this checkout's test cluster: not restarted")
    restart_at = SECONDS / 3
    with gunicorn(media, tmp_path / "gunicorn.log") as server:
        port = server.port
        result = asyncio.run(
            run_load(
                port,
                users,
                seconds=SECONDS,
                max_requests=MAX_REQUESTS,
                event=(restart_at, _restart_postgresql),
            )
        )
    _print(result, f"restart run: PostgreSQL restarted at {restart_at:.0f} s")
    rows = _feedback_rows(result.feedback_tried | result.feedback_saved)
    print(
        f"unavailable (503) from {result.first_503:.1f} s to {result.last_503:.1f} s; "
        f"event done at {result.event_done:.1f} s"
    )
    # Everything but the Russian 503 page is an error here.
    assert result.errors == {}, result.errors
    assert set(result.statuses) <= {200, 302, 503}, result.statuses
    assert result.unavailable_pages_russian
    assert result.last_503 - result.event_done <= RECOVERY_SECONDS
    assert result.ok_after_event
    # A submission the user saw saved is in the database once, whole; one
    # whose answer was the 503 page may have been saved or not, never in part.
    assert set(result.feedback_saved) <= set(rows["per_meeting"])
    assert set(rows["per_meeting"]) <= set(result.feedback_tried)
    assert all(count == 1 for count in rows["per_meeting"].values())
    assert rows["partial"] == 0


@pytest.mark.skipif(
    not os.environ.get("LOAD_SWEEP"), reason="LOAD_SWEEP=1 compares gunicorn settings"
)
def test_sweep_gunicorn_workers_and_threads(district, tmp_path):
    """How config/gunicorn.py's defaults were chosen: the same mixed load
    under several worker × thread counts, gunicorn's default worker_connections
    (1,000) against ours, and with the session written on
    every request (SESSION_RENEW_SECONDS=0, as before issue 15) against once
    a minute; printed, nothing asserted."""
    users, media = district
    seconds = float(os.environ.get("LOAD_SWEEP_SECONDS", 30))
    every = {"SESSION_RENEW_SECONDS": "0"}
    configurations = [
        (3, 4, {}),
        (3, 4, {"GUNICORN_WORKER_CONNECTIONS": "1000"}),
        (3, 4, every),
        (3, 2, {}),
        (2, 4, {}),
        (4, 2, {}),
    ]
    # LOAD_SWEEP_CONFIGS="3x4,3x2,3x4,3x2": these worker × thread counts only,
    # in this order (repeat them to see the machine's drift).
    if os.environ.get("LOAD_SWEEP_CONFIGS"):
        configurations = [
            (*map(int, pair.split("x")), {})
            for pair in os.environ["LOAD_SWEEP_CONFIGS"].split(",")
        ]
    for workers, threads, extra in configurations:
        with gunicorn(
            media,
            tmp_path / f"gunicorn-{workers}-{threads}.log",
            GUNICORN_WORKERS=str(workers),
            GUNICORN_THREADS=str(threads),
            **extra,
        ) as server:
            result = asyncio.run(
                run_load(server.port, users, seconds=seconds, max_requests=MAX_REQUESTS)
            )
        print(
            f"{workers} workers × {threads} threads{' ' if extra else ''}"
            f"{' '.join(f'{k}={v}' for k, v in extra.items())}: "
            f"{result.throughput:.1f} req/s, "
            f"p50 {result.percentile(50) * 1000:.0f} ms, "
            f"p95 {result.percentile(95) * 1000:.0f} ms, "
            f"errors {sum(sum(c.values()) for c in result.errors.values())}"
        )
