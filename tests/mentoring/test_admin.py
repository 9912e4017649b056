"""The curator's back office, through HTTP as the curator uses it."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from mentoring.models import AuditEntry, Consent, Pair, Participation, Person
from tests.factories import (
    ConsentFactory,
    MeetingFactory,
    MenteeProfileFactory,
    MentorProfileFactory,
    OrganizationFactory,
    PairFactory,
    PersonFactory,
    ProgramFactory,
    UserFactory,
    form,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def curator(client):
    user = UserFactory(curator=True)
    client.force_login(user)
    return user


def pair_post(*, form_code="teacher-teacher", people=(), existing=0, **fields):
    """The admin's pair form: main fields plus the participants inline."""
    data = {
        "form": form(form_code).pk,
        "format": Pair.Format.TRADITIONAL,
        "starts_on": "01.10.2026",
        "ends_on": "31.05.2027",
        "goal": "",
        "participations-TOTAL_FORMS": str(len(people)),
        "participations-INITIAL_FORMS": str(existing),
        "participations-MIN_NUM_FORMS": "0",
        "participations-MAX_NUM_FORMS": "1000",
        "meetings-TOTAL_FORMS": "0",
        "meetings-INITIAL_FORMS": "0",
        "meetings-MIN_NUM_FORMS": "0",
        "meetings-MAX_NUM_FORMS": "1000",
        **fields,
    }
    for i, (person, role) in enumerate(people):
        data[f"participations-{i}-person"] = person.pk
        data[f"participations-{i}-role"] = role
    return data


MENTOR, MENTEE = Participation.Role.MENTOR, Participation.Role.MENTEE


def test_curator_sees_only_their_organizations_people(client, curator):
    own = PersonFactory(organization=curator.organization, last_name="Своева")
    PersonFactory(organization=OrganizationFactory(), last_name="Чужакова")
    response = client.get(reverse("admin:mentoring_person_changelist"))
    assert response.status_code == 200
    assert own.last_name in response.text
    assert "Чужакова" not in response.text


def test_another_schools_person_card_is_not_found(client, curator):
    stranger = PersonFactory(organization=OrganizationFactory())
    url = reverse("admin:mentoring_person_change", args=[stranger.pk])
    response = client.get(url, follow=True)
    assert stranger.last_name not in response.text
    assert "не существует" in response.text


def test_person_list_search_and_consent_filter(client, curator):
    with_consent = PersonFactory(
        organization=curator.organization, last_name="Согласнова", consented=True
    )
    without = PersonFactory(organization=curator.organization, last_name="Безсогласова")
    url = reverse("admin:mentoring_person_changelist")
    missing = client.get(url, {"consent": "missing"}).text
    assert without.last_name in missing and with_consent.last_name not in missing
    found = client.get(url, {"q": "Согласн"}).text
    assert with_consent.last_name in found and without.last_name not in found


def test_curator_adds_a_person_into_their_organization(client, curator):
    response = client.post(
        reverse("admin:mentoring_person_add"),
        {
            "last_name": "Новикова",
            "first_name": "Дарья",
            "patronymic": "Андреевна",
            "gender": "female",
            "birth_date": "12.04.1999",
            "category": "teacher",
            "position": "учитель истории",
            "teaching_since": "01.09.2024",
            "consents-TOTAL_FORMS": "0",
            "consents-INITIAL_FORMS": "0",
            "consents-2-TOTAL_FORMS": "1",
            "consents-2-INITIAL_FORMS": "0",
            "documents-TOTAL_FORMS": "0",
            "documents-INITIAL_FORMS": "0",
            "documents-2-TOTAL_FORMS": "0",
            "documents-2-INITIAL_FORMS": "0",
            "consents-2-0-kind": "personal_data",
            "consents-2-0-medium": "paper",
            "consents-2-0-given_on": timezone.localdate().strftime("%d.%m.%Y"),
        },
    )
    assert response.status_code == 302, response.text
    person = Person.objects.get(last_name="Новикова")
    assert person.organization == curator.organization
    consent = person.consents.get()
    assert consent.kind == Consent.Kind.PERSONAL_DATA
    assert consent.recorded_by == curator
    assert AuditEntry.objects.filter(
        action="consent.given", object_id=consent.pk
    ).exists()


def test_student_without_birth_date_is_refused_with_a_russian_message(client, curator):
    response = client.post(
        reverse("admin:mentoring_person_add"),
        {
            "last_name": "Котов",
            "first_name": "Миша",
            "gender": "male",
            "category": "student",
            "school_class": "5А",
            "consents-TOTAL_FORMS": "0",
            "consents-INITIAL_FORMS": "0",
            "consents-2-TOTAL_FORMS": "0",
            "consents-2-INITIAL_FORMS": "0",
            "documents-TOTAL_FORMS": "0",
            "documents-INITIAL_FORMS": "0",
            "documents-2-TOTAL_FORMS": "0",
            "documents-2-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert "Укажите дату рождения обучающегося" in response.text
    assert not Person.objects.filter(last_name="Котов").exists()


def test_person_card_shows_consents_and_pairs(client, curator):
    pair = PairFactory(organization=curator.organization)
    mentor = pair.participations.get(role=MENTOR).person
    ConsentFactory(person=mentor, kind=Consent.Kind.DISTRIBUTION, withdrawn=True)
    response = client.get(reverse("admin:mentoring_person_change", args=[mentor.pk]))
    text = response.text
    assert "На обработку персональных данных" in text
    assert "отозвано" in text
    assert f"Пара/группа № {pair.pk}" in text


def test_future_consent_is_refused_next_to_the_field(client, curator):
    person = PersonFactory(organization=curator.organization)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = client.post(
        reverse("admin:mentoring_consent_add"),
        {
            "person": person.pk,
            "kind": "personal_data",
            "medium": "paper",
            "purposes": "Наставничество",
            "given_on": tomorrow.strftime("%d.%m.%Y"),
        },
    )
    assert response.status_code == 200
    assert "Согласие не может быть дано в будущем." in response.text
    assert not Consent.objects.filter(person=person).exists()


def test_withdraw_action_records_the_withdrawal(client, curator):
    consent = ConsentFactory(person__organization=curator.organization)
    response = client.post(
        reverse("admin:mentoring_consent_changelist"),
        {"action": "withdraw", "_selected_action": [consent.pk]},
        follow=True,
    )
    assert "Отозвано согласий: 1." in response.text
    consent.refresh_from_db()
    assert consent.withdrawn_on == timezone.localdate()
    assert AuditEntry.objects.filter(action="consent.withdrawn").count() == 1


def test_person_without_consent_cannot_enter_the_mentor_bank(client, curator):
    person = PersonFactory(organization=curator.organization, last_name="Бессогласная")
    response = client.post(
        reverse("admin:mentoring_mentorprofile_add"),
        {
            "person": person.pk,
            "status": "in_bank",
            "capacity": "2",
            "entered_on": "01.09.2026",
            "trainings-TOTAL_FORMS": "0",
            "trainings-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert "нет действующего согласия" in response.text
    assert not hasattr(Person.objects.get(pk=person.pk), "mentor_profile")


def test_curator_creates_a_pair_from_the_admin(client, curator):
    org = curator.organization
    mentor = MentorProfileFactory(person__organization=org).person
    mentee = MenteeProfileFactory(person__organization=org).person
    response = client.post(
        reverse("admin:mentoring_pair_add"),
        pair_post(people=[(mentor, MENTOR), (mentee, MENTEE)]),
    )
    assert response.status_code == 302, response.text
    pair = Pair.objects.get()
    assert pair.organization == org
    assert pair.status == Pair.Status.DRAFT
    assert set(pair.participations.values_list("person_id", "role")) == {
        (mentor.pk, MENTOR),
        (mentee.pk, MENTEE),
    }
    actions = set(AuditEntry.objects.for_object(pair).values_list("action", flat=True))
    assert {"pair.created", "pair.participants_changed"} <= actions


def test_pair_breaking_the_rules_is_refused_and_nothing_is_saved(client, curator):
    org = curator.organization
    mentor = MentorProfileFactory(person__organization=org).person
    student = PersonFactory(organization=org, student=True)  # no bank, no consent
    response = client.post(
        reverse("admin:mentoring_pair_add"),
        pair_post(people=[(mentor, MENTOR), (student, MENTEE)]),
    )
    assert response.status_code == 200
    text = response.text
    assert "Форма «Учитель – учитель» не подходит" in text
    assert "нет в банке наставляемых" in text
    assert "нет действующего согласия" in text
    assert Pair.objects.count() == 0


def test_mentor_capacity_is_enforced_in_the_admin(client, curator):
    org = curator.organization
    profile = MentorProfileFactory(person__organization=org, capacity=1)
    taken = PairFactory(organization=org, people=False)
    Participation.objects.create(pair=taken, person=profile.person, role=MENTOR)
    Participation.objects.create(
        pair=taken,
        person=MenteeProfileFactory(person__organization=org).person,
        role=MENTEE,
    )
    newcomer = MenteeProfileFactory(person__organization=org).person
    response = client.post(
        reverse("admin:mentoring_pair_add"),
        pair_post(people=[(profile.person, MENTOR), (newcomer, MENTEE)]),
    )
    assert response.status_code == 200
    assert "может вести не более 1 наставляемых" in response.text
    assert Pair.objects.count() == 1


def test_nobody_mentors_themselves_in_the_admin(client, curator):
    org = curator.organization
    person = MentorProfileFactory(person__organization=org).person
    MenteeProfileFactory(person=person)
    response = client.post(
        reverse("admin:mentoring_pair_add"),
        pair_post(people=[(person, MENTOR), (person, MENTEE)]),
    )
    assert response.status_code == 200
    assert "не может быть наставником самому себе" in response.text
    assert Pair.objects.count() == 0


def test_curator_cannot_put_another_schools_person_in_a_pair(client, curator):
    org = curator.organization
    mentor = MentorProfileFactory(person__organization=org).person
    stranger = MenteeProfileFactory(person__organization=OrganizationFactory()).person
    response = client.post(
        reverse("admin:mentoring_pair_add"),
        pair_post(people=[(mentor, MENTOR), (stranger, MENTEE)]),
    )
    assert response.status_code == 200
    assert "Выберите корректный вариант" in response.text
    assert Pair.objects.count() == 0


def test_an_approved_pairs_participants_cannot_be_changed(client, curator):
    pair = PairFactory(organization=curator.organization, approved=True)
    outsider = MenteeProfileFactory(person__organization=curator.organization).person
    before = set(pair.participations.values_list("person_id", flat=True))
    response = client.post(
        reverse("admin:mentoring_pair_change", args=[pair.pk]),
        pair_post(people=[(outsider, MENTEE)], result="Итоги обсуждены"),
        follow=True,
    )
    assert response.status_code == 200
    assert set(pair.participations.values_list("person_id", flat=True)) == before
    pair.refresh_from_db()
    assert pair.status == Pair.Status.APPROVED
    assert pair.result == "Итоги обсуждены"


def test_status_actions_move_pairs_only_along_allowed_transitions(client, curator):
    draft = PairFactory(organization=curator.organization)
    approved = PairFactory(organization=curator.organization, approved=True)
    response = client.post(
        reverse("admin:mentoring_pair_changelist"),
        {"action": "start_work", "_selected_action": [draft.pk, approved.pk]},
        follow=True,
    )
    assert "Нельзя перевести пару/группу" in response.text
    assert "Статус «Действует» установлен: 1." in response.text
    draft.refresh_from_db()
    approved.refresh_from_db()
    assert draft.status == Pair.Status.DRAFT
    assert approved.status == Pair.Status.ACTIVE
    entry = AuditEntry.objects.for_object(approved).get(action="pair.status_changed")
    assert entry.actor == curator
    assert entry.data["from"] == "approved" and entry.data["to"] == "active"


def test_terminating_asks_for_a_reason(client, curator):
    pair = PairFactory(organization=curator.organization, active=True)
    url = reverse("admin:mentoring_pair_changelist")
    page = client.post(url, {"action": "terminate", "_selected_action": [pair.pk]})
    assert "Причина прекращения" in page.text
    pair.refresh_from_db()
    assert pair.status == Pair.Status.ACTIVE
    client.post(
        url,
        {"action": "terminate", "_selected_action": [pair.pk], "reason": "dismissal"},
    )
    pair.refresh_from_db()
    assert pair.status == Pair.Status.TERMINATED
    assert pair.termination_reason == Pair.TerminationReason.DISMISSAL
    assert pair.closed_on == timezone.localdate()


def test_pair_list_shows_people_and_filters_groups(client, curator):
    org = curator.organization
    pair = PairFactory(organization=org)
    group = PairFactory(organization=org, form=form("teacher-student"), people=False)
    mentor = MentorProfileFactory(person__organization=org).person
    Participation.objects.create(pair=group, person=mentor, role=MENTOR)
    for _ in range(2):
        student = MenteeProfileFactory(
            person=PersonFactory(organization=org, student=True, consented=True)
        ).person
        Participation.objects.create(pair=group, person=student, role=MENTEE)
    url = reverse("admin:mentoring_pair_changelist")
    everything = client.get(url).text
    assert pair.participations.get(role=MENTOR).person.short_name in everything
    groups = client.get(url, {"kind": "group"}).text
    assert f">{group.pk}<" in groups and f">{pair.pk}<" not in groups


def test_methodologist_reads_the_district_but_cannot_add(client):
    org = OrganizationFactory()
    methodologist = UserFactory(methodologist=True, district=org.district)
    PersonFactory(organization=org, last_name="Районова")
    PersonFactory(organization=OrganizationFactory(), last_name="Соседова")
    client.force_login(methodologist)
    listing = client.get(reverse("admin:mentoring_person_changelist")).text
    assert "Районова" in listing and "Соседова" not in listing
    assert client.get(reverse("admin:mentoring_person_add")).status_code == 403


def test_mentee_without_pair_filter(client, curator):
    org = curator.organization
    pair = PairFactory(organization=org, active=True)
    paired = pair.participations.get(role=MENTEE).person
    alone = MenteeProfileFactory(
        person__organization=org, person__last_name="Одинокова"
    )
    response = client.get(
        reverse("admin:mentoring_menteeprofile_changelist"), {"paired": "no"}
    )
    assert alone.person.last_name in response.text
    assert paired.full_name not in response.text


@pytest.mark.parametrize(
    ("page", "make"),
    [
        ("admin:mentoring_pair_change", lambda org: PairFactory(organization=org)),
        (
            "admin:mentoring_consent_change",
            lambda org: ConsentFactory(person__organization=org),
        ),
        (
            "admin:mentoring_program_change",
            lambda org: ProgramFactory(pair__organization=org),
        ),
        (
            "admin:mentoring_meeting_change",
            lambda org: MeetingFactory(pair__organization=org),
        ),
        (
            "admin:mentoring_mentorprofile_change",
            lambda org: MentorProfileFactory(person__organization=org),
        ),
    ],
)
def test_another_schools_records_are_not_found(client, curator, page, make):
    stranger = make(OrganizationFactory())
    response = client.get(reverse(page, args=[stranger.pk]), follow=True)
    assert "не существует" in response.text


def test_autocomplete_offers_only_the_curators_people(client, curator):
    PersonFactory(organization=curator.organization, last_name="Своякова")
    PersonFactory(organization=OrganizationFactory(), last_name="Чужанова")
    response = client.get(
        reverse("admin:autocomplete"),
        {
            "term": "ова",
            "app_label": "mentoring",
            "model_name": "participation",
            "field_name": "person",
        },
    )
    names = [row["text"] for row in response.json()["results"]]
    assert any("Своякова" in n for n in names)
    assert not any("Чужанова" in n for n in names)


def test_list_counts_read_right_in_russian(client, curator):
    PersonFactory.create_batch(2, organization=curator.organization)
    response = client.get(reverse("admin:mentoring_person_changelist"))
    assert "Всего: 2" in response.text
    assert "2 участники" not in response.text
