"""`manage.py load_demo`: a demo school that keeps the rules it shows off."""

import io
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from mentoring.models import (
    BankStatus,
    Consent,
    Meeting,
    MenteeProfile,
    MentorProfile,
    Organization,
    Pair,
    Participation,
    Person,
    Program,
    Role,
    User,
)
from mentoring.selectors import mentees_without_pair
from mentoring.services import WORKING_BANK_STATUSES, missing_consents
from mentoring.services import orders as order_services
from tests.factories import ensure_catalogue
from tests.login import log_in
from tests.mentoring.consent_audit import consent_violations

DEMO_SCHOOL = "ГБОУ гимназия № 517 Невского района Санкт-Петербурга"
PASSWORD = "demo12345"
USERNAMES = [
    "kurator",
    "direktor",
    "nastavnik",
    "nastavlyaemyi",
    "psiholog",
    "metodist",
    "admin",
    "region",  # issue 14, regions
]


@pytest.fixture(scope="module")
def demo_output(django_db_setup, django_db_blocker):
    """Load the demo once for the module, in a transaction rolled back at its end.

    Each test still runs in its own savepoint inside it, and no other module
    ever sees the demo school. Loading it per test would cost seconds each.
    """
    fast_hashing = override_settings(
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]
    )
    with django_db_blocker.unblock(), fast_hashing, transaction.atomic():
        ensure_catalogue()
        out = StringIO()
        call_command("load_demo", stdout=out)
        yield out.getvalue()
        transaction.set_rollback(True)


@pytest.fixture
def demo(demo_output, db):
    return Organization.objects.get(short_name=DEMO_SCHOOL)


def row_counts() -> dict[str, int]:
    models = [
        Organization,
        Person,
        Consent,
        MentorProfile,
        MenteeProfile,
        Pair,
        Participation,
        Program,
        Meeting,
        User,
    ]
    return {model.__name__: model.objects.count() for model in models}


def pairs_with(*statuses):
    return Pair.objects.filter(status__in=statuses).prefetch_related(
        "participations__person__consents"
    )


@pytest.mark.django_db
def test_loading_twice_creates_the_school_once(demo, demo_output):
    assert "demo12345" in demo_output
    before = row_counts()
    out = StringIO()

    call_command("load_demo", stdout=out)

    assert "Демонстрационные данные уже загружены." in out.getvalue()
    assert row_counts() == before
    assert Organization.objects.filter(short_name=DEMO_SCHOOL).count() == 1


@pytest.mark.django_db
def test_demo_school_has_staff_students_and_outside_mentors(demo):
    people = Person.objects.filter(organization=demo)
    teachers = list(people.filter(category=Person.Category.TEACHER))
    students = list(people.filter(category=Person.Category.STUDENT))
    assert 28 <= len(teachers) <= 35
    assert len(students) == 120
    assert people.filter(category=Person.Category.UNIVERSITY_STUDENT).count() == 2
    assert people.filter(category=Person.Category.EMPLOYER).count() == 2
    young = [t for t in teachers if t.experience_years() <= 3]
    assert 5 <= len(young) <= 6
    assert any(t.experience_years() >= 20 for t in teachers)
    assert people.count() == len({p.full_name for p in people})

    today = timezone.localdate()
    for student in students:
        grade = int(student.school_class[:-1])
        assert 5 <= grade <= 11, student.school_class
        assert grade + 4 <= student.age(today) <= grade + 7, student
        assert bool(student.legal_representative) == student.is_minor(today), student
    adults = [s for s in students if not s.is_minor(today)]
    assert adults
    assert {s.school_class[:-1] for s in adults} == {"11"}


@pytest.mark.django_db
def test_demo_banks_pairs_and_programmes_are_in_expected_ranges(demo):
    # The gymnasium's own: its district's neighbours have banks and pairs too.
    mentors = MentorProfile.objects.filter(person__organization=demo)
    mentees = MenteeProfile.objects.filter(person__organization=demo)
    pairs = Pair.objects.filter(organization=demo)
    assert 14 <= mentors.filter(status=BankStatus.IN_BANK).count() <= 20
    assert 18 <= mentees.count() <= 25
    assert 12 <= pairs.count() <= 16
    groups = [
        pair
        for pair in pairs.prefetch_related("participations")
        if sum(p.role == Participation.Role.MENTEE for p in pair.participations.all())
        > 1
    ]
    assert 2 <= len(groups) <= 3
    statuses = list(pairs.values_list("status", flat=True))
    assert statuses.count(Pair.Status.ACTIVE) >= 6
    assert statuses.count(Pair.Status.COMPLETED) >= 2
    assert statuses.count(Pair.Status.TERMINATED) == 1
    assert statuses.count(Pair.Status.DRAFT) >= 2
    assert pairs.get(status=Pair.Status.TERMINATED).termination_reason
    assert set(pairs.values_list("form__code", flat=True)) >= {
        "teacher-teacher",
        "student-student",
        "teacher-student",
        "university-student",
        "employer-student",
    }
    curator = User.objects.get(username="kurator")
    assert 3 <= mentees_without_pair(user=curator).count() <= 4


@pytest.mark.django_db
def test_running_pairs_have_programmes_and_meetings(demo):
    now = timezone.now()
    for pair in Pair.objects.filter(
        status__in=[Pair.Status.ACTIVE, Pair.Status.COMPLETED]
    ):
        assert pair.program.items.exists(), pair
        assert pair.meetings.filter(status=Meeting.Status.HELD).exists(), pair
    assert not Meeting.objects.filter(status=Meeting.Status.HELD, starts_at__gt=now)
    assert not Meeting.objects.filter(status=Meeting.Status.PLANNED, starts_at__lt=now)
    assert Meeting.objects.filter(status=Meeting.Status.PLANNED).exists()
    assert not Pair.objects.filter(status=Pair.Status.DRAFT, meetings__isnull=False)


@pytest.mark.django_db
def test_open_pairs_hold_only_people_from_the_banks(demo):
    open_pairs = pairs_with(*Pair.OPEN_STATUSES)
    assert open_pairs
    for pair in open_pairs:
        for participation in pair.participations.all():
            profiles = (
                MentorProfile
                if participation.role == Participation.Role.MENTOR
                else MenteeProfile
            )
            assert profiles.objects.filter(
                person=participation.person, status=BankStatus.IN_BANK
            ).exists(), (pair, participation)


@pytest.mark.django_db
def test_approved_and_active_pairs_have_every_consent(demo):
    pairs = pairs_with(Pair.Status.APPROVED, Pair.Status.ACTIVE)
    assert pairs
    for pair in pairs:
        roles = {p.role for p in pair.participations.all()}
        assert roles == {Participation.Role.MENTOR, Participation.Role.MENTEE}
        for participation in pair.participations.all():
            as_mentor = participation.role == Participation.Role.MENTOR
            missing = missing_consents(person=participation.person, as_mentor=as_mentor)
            assert missing == [], (pair, participation)


@pytest.mark.django_db
def test_demo_shows_missing_withdrawn_and_expired_consents(demo):
    today = timezone.localdate()
    people = Person.objects.filter(organization=demo).prefetch_related("consents")
    assert any(missing_consents(person=person) for person in people)
    assert Consent.objects.filter(withdrawn_on__isnull=False).exists()
    assert Consent.objects.filter(valid_until__lt=today).exists()
    # A teacher waiting in the mentor bank who cannot be paired yet (ТК РФ ст. 351.8).
    mentors = MentorProfile.objects.filter(
        status=BankStatus.IN_BANK, person__category=Person.Category.TEACHER
    ).select_related("person")
    assert any(
        missing_consents(person=profile.person, as_mentor=True) for profile in mentors
    )


@pytest.mark.django_db
def test_demo_keeps_everyone_without_consent_out_of_banks_pairs_and_orders(demo):
    # The demo's missing, withdrawn and expired consents are all there (above),
    # and yet nobody without one is in a bank, a working pair, a planned
    # meeting or a signed order: the withdrawal archived and ended them.
    assert consent_violations() == []
    withdrawn = Person.objects.get(
        organization=demo, consents__kind=Consent.Kind.GUARDIAN,
        consents__withdrawn_on__isnull=False,
    )  # fmt: skip
    assert withdrawn.mentee_profile.status not in WORKING_BANK_STATUSES
    # The daily pass finds nothing left to do in the demo school.
    out = StringIO()
    call_command("apply_consent_expiries", stdout=out)
    assert "suspended pairs: 0" in out.getvalue()


@pytest.mark.django_db
def test_demo_users_log_in_with_their_roles(demo, client):
    for username in USERNAMES:
        assert log_in(client, username, PASSWORD), username
        client.logout()
    users = {u.username: u for u in User.objects.filter(username__in=USERNAMES)}
    assert users["kurator"].role == Role.CURATOR
    assert users["kurator"].organization == demo
    assert users["kurator"].person.organization == demo
    assert users["direktor"].role == Role.DIRECTOR
    assert users["psiholog"].role == Role.PSYCHOLOGIST
    assert users["metodist"].role == Role.METHODOLOGIST
    assert users["metodist"].district == demo.district
    assert users["admin"].is_superuser
    mentee = users["nastavlyaemyi"].person
    assert mentee.category == Person.Category.TEACHER
    assert mentee.experience_years() <= 3
    assert mentee.participations.filter(
        role=Participation.Role.MENTEE, pair__status=Pair.Status.ACTIVE
    ).exists()


@pytest.mark.django_db
def test_the_demo_region_sees_its_district_in_figures(demo, client):
    # Issue 14, regions: the regional centre's login, over the demo district.
    log_in(client, "region", PASSWORD)

    home = client.get("/")
    table = client.get(reverse("regions:districts"))

    assert reverse("regions:districts") in home.text
    # The gymnasium and its three neighbours (demo/district.py).
    assert [row[:2] for row in table.context["rows"]] == [[demo.district.name, 4]]
    assert DEMO_SCHOOL not in table.text


@pytest.mark.django_db
def test_curator_home_page_shows_the_demo_school(demo, client):
    log_in(client, "kurator", PASSWORD)

    response = client.get("/")

    assert response.status_code == 200
    assert DEMO_SCHOOL in response.text
    unpaired = mentees_without_pair(user=User.objects.get(username="kurator"))
    for profile in unpaired:
        assert profile.person.full_name in response.text


@pytest.mark.django_db
def test_demo_mentor_sees_only_their_own_pairs(demo, client):
    mentor = User.objects.get(username="nastavnik").person
    own = Pair.objects.filter(
        participations__person=mentor, participations__role=Participation.Role.MENTOR
    )
    assert own.filter(status=Pair.Status.ACTIVE).count() >= 2
    own_mentees = Person.objects.filter(
        participations__pair__in=own, participations__role=Participation.Role.MENTEE
    )
    assert own_mentees.count() >= 3
    others = Person.objects.filter(
        participations__role=Participation.Role.MENTEE
    ).exclude(participations__pair__in=own)
    assert others.exists()
    log_in(client, "nastavnik", PASSWORD)

    page = client.get("/").text

    for person in own_mentees:
        assert person.full_name in page
    for person in others:
        assert person.full_name not in page


@pytest.mark.django_db
def test_demo_has_a_signed_pair_order_and_one_awaiting_signature(demo):
    from mentoring.models import Order

    signed = Order.objects.get(organization=demo, status=Order.Status.SIGNED)
    # The journal stands at the roadmap's «Приказ № 112-од» of 1 September;
    # a new calendar year starts it again from 1.
    today = timezone.localdate()
    approved_in = today.year if today.month >= 9 else today.year - 1
    expected = "113-од" if signed.signed_on.year == approved_in else "1-од"
    assert signed.full_number == expected
    assert order_services.stored_order_pdf(order=signed).startswith(b"%PDF")
    worked = Pair.objects.filter(organization=demo).exclude(status=Pair.Status.DRAFT)
    assert set(worked) == set(signed.pairs.all())
    pending = Order.objects.get(organization=demo, status=Order.Status.ON_SIGNATURE)
    assert pending.pairs.exists()
    assert set(pending.pairs.values_list("status", flat=True)) == {Pair.Status.DRAFT}


def test_demo_has_answers_for_monitoring_and_feedback_owed(demo, client):
    from surveys.models import Response

    kinds = set(Response.objects.values_list("questionnaire__code", flat=True))
    assert {
        "meeting-feedback-mentor",
        "meeting-feedback-mentee",
        "satisfaction-mentee",
        "satisfaction-mentor",
        "impact-teacher",
        "mentor-candidate",
        "mentee-request",
    } <= kinds
    assert Response.objects.filter(moment="after").exists()
    log_in(client, "nastavnik", PASSWORD)

    assert "Нужна обратная связь" in client.get("/my/").text
    log_in(client, "kurator", PASSWORD)
    latest = Response.objects.filter(meeting__isnull=False).latest("submitted_at")
    day = timezone.localtime(latest.submitted_at).date()
    year = day.year if day.month >= 9 else day.year - 1
    response = client.get("/surveys/monitoring/", {"year": year})
    assert response.context["result"].rates["mentor_feedback"] > 0


@pytest.mark.django_db
def test_demo_roadmap_proves_pair_forming_with_the_signed_order(demo):
    from mentoring.models import Order
    from roadmap.models import Activity

    order = Order.objects.get(organization=demo, status=Order.Status.SIGNED)
    forming = Activity.objects.get(stage__roadmap__organization=demo, code="form_pairs")
    assert forming.status == Activity.Status.DONE
    assert forming.evidence.get().source == order


@pytest.mark.django_db
def test_the_districts_people_download_holds_staff_who_consented_to_transfer(
    demo, client
):
    client.force_login(User.objects.get(username="metodist"))

    response = client.get(reverse("admin:mentoring_person_export"))

    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    names = {row[0] for row in sheet.iter_rows(min_row=2, values_only=True)}
    transferred = Person.objects.filter(
        organization__district=demo.district, consents__kind=Consent.Kind.TRANSFER
    ).distinct()
    assert names and names == {p.full_name for p in transferred}


# Issue 14, review: the demo shows a document waiting for the district.
@pytest.mark.django_db
def test_demo_program_waits_for_the_methodologist_with_its_history(demo, client):
    from reviews.models import Review
    from roadmap.models import Activity

    assert log_in(client, "metodist", "demo12345")
    home = client.get(reverse("mentoring:home")).text
    assert "Экспертиза: ждут решения" in home
    waiting = Review.objects.get(organization=demo, status=Review.Status.PENDING)
    page = client.get(reverse("reviews:detail", args=[waiting.pk])).text
    assert "История экспертизы" in page
    assert "Добавьте раздел о формах наставничества" in page
    late = Activity.objects.get(
        stage__roadmap__organization=demo, code="program_template"
    )
    assert late.status != Activity.Status.DONE
    client.post(reverse("reviews:decide", args=[waiting.pk]), {"decision": "approve"})
    late.refresh_from_db()
    assert late.status == Activity.Status.DONE


# Issue 14, district: the demo district around the gymnasium.
def test_the_demo_district_has_pilots_a_roadmap_and_schools_to_watch(demo, client):
    from district.models import Pilot
    from roadmap.models import Roadmap

    district = demo.district
    assert district.organizations.count() == 4
    assert set(
        Pilot.objects.filter(organization__district=district).values_list(
            "organization__short_name", flat=True
        )
    ) == {demo.short_name, "ГБОУ СОШ № 204"}
    roadmap = Roadmap.objects.get(district=district)
    roles = set(roadmap.stages.values_list("activities__responsible_roles", flat=True))
    assert "ИМЦ" in roles
    assert any("ОУ (" in r and "ГБОУ СОШ № 204" in r for r in roles)

    assert log_in(client, "metodist", PASSWORD)
    page = client.get(reverse("mentoring:home")).content.decode()
    assert "Школы, которым нужно внимание" in page
    assert "ГБОУ лицей №\u00a0339" in page  # late with its roadmap
    assert "ГБУ ДО ЦВР «Невский»" in page  # no feedback
    table = client.get(reverse("district:organizations", args=[district.pk]))
    assert table.status_code == 200
    assert "ГБОУ СОШ №\u00a0204" in table.content.decode()


# Issue 14, the information base.
def test_demo_keeps_the_completed_programs_results_and_prints_a_portfolio(demo, client):
    from django.urls import reverse

    from mentoring.models import ProgramResult, User

    completed = Pair.objects.filter(organization=demo, status=Pair.Status.COMPLETED)
    assert completed.exists()
    for pair in completed:
        people = set(pair.participations.values_list("person_id", flat=True))
        recorded = ProgramResult.objects.filter(program__pair=pair)
        assert set(recorded.values_list("person_id", flat=True)) == people
        assert {r.completed_on for r in recorded} == {pair.closed_on}
    mentor = recorded.get(role="mentor").person
    client.force_login(User.objects.get(role="curator", organization=demo))
    response = client.get(reverse("mentoring:mentor-portfolio", args=[mentor.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
