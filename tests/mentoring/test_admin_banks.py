"""Bank entries in the admin: through the bank services, statuses by actions."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from mentoring.models import (
    AuditEntry,
    BankStatus,
    Consent,
    MenteeProfile,
    MentoringForm,
    MentorProfile,
    Participation,
)
from tests.factories import (
    ConsentFactory,
    MenteeProfileFactory,
    MentorProfileFactory,
    PairFactory,
    PersonFactory,
    UserFactory,
)
from tests.mentoring.admin_helpers import admin_form_data, page_errors

pytestmark = pytest.mark.django_db


def today():
    # At run time, not import: a run may cross midnight in the school's zone.
    return timezone.localdate()


BANKS = [
    pytest.param(
        "mentorprofile",
        MentorProfile,
        {"capacity": "2"},
        "mentor_bank",
        id="mentors",
    ),
    pytest.param(
        "menteeprofile",
        MenteeProfile,
        {
            "category": MenteeProfile.Category.YOUNG_SPECIALIST,
            "requests": "Работа с родителями",
        },
        "mentee_bank",
        id="mentees",
    ),
]


@pytest.fixture
def curator(client):
    user = UserFactory(curator=True)
    client.force_login(user)
    return user


def _add(client, page, person, fields, **extra):
    url = reverse(f"admin:mentoring_{page}_add")
    data = admin_form_data(
        client.get(url),
        **{
            "person": person.pk,
            "status": BankStatus.IN_BANK,
            "entered_on": today().strftime("%d.%m.%Y"),
            **fields,
            **extra,
        },
    )
    return client.post(url, data)


def _bank_audit():
    return AuditEntry.objects.filter(action__contains="_bank.")


@pytest.mark.parametrize(("page", "model", "fields", "action"), BANKS)
@pytest.mark.parametrize(
    ("person_fields", "consent", "extra"),
    [
        pytest.param({}, None, {}, id="no-consent"),
        pytest.param({}, {"withdrawn": True}, {}, id="withdrawn"),
        pytest.param({}, {"expired": True}, {}, id="expired"),
        pytest.param(
            {},
            None,
            {"status": BankStatus.CANDIDATE},
            id="candidate",
        ),
        pytest.param({"student": True}, {}, {}, id="minor-own-consent"),
    ],
)
def test_the_bank_admin_refuses_a_person_without_a_valid_consent(
    client, curator, page, model, fields, action, person_fields, consent, extra
):
    person = PersonFactory(organization=curator.organization, **person_fields)
    if consent is not None:
        ConsentFactory(person=person, kind=Consent.Kind.PERSONAL_DATA, **consent)

    response = _add(client, page, person, fields, **extra)

    assert response.status_code == 200
    assert f"{person.full_name}: нет действующего согласия" in response.text
    assert not model.objects.exists()
    assert not _bank_audit().exists()


@pytest.mark.parametrize(("page", "model", "fields", "action"), BANKS)
def test_the_bank_admin_enters_a_consented_person_with_an_audit_entry(
    client, curator, page, model, fields, action
):
    person = PersonFactory(organization=curator.organization, consented=True)

    response = _add(client, page, person, fields)

    assert response.status_code == 302, page_errors(response)
    assert model.objects.get().person == person
    entry = _bank_audit().get()
    assert (entry.action, entry.actor) == (f"{action}.entered", curator)


def _mentor_in_pair(organization):
    pair = PairFactory(organization=organization, active=True)
    return pair.participations.get(role=Participation.Role.MENTOR).person.mentor_profile


def test_status_and_date_of_entry_are_not_changed_by_the_form(client, curator):
    profile = _mentor_in_pair(curator.organization)
    url = reverse("admin:mentoring_mentorprofile_change", args=[profile.pk])
    earlier = (today() - datetime.timedelta(days=900)).strftime("%d.%m.%Y")

    response = client.post(
        url,
        admin_form_data(
            client.get(url),
            status=BankStatus.EXCLUDED,
            entered_on=earlier,
            competencies="Проектная деятельность",
        ),
    )

    assert response.status_code == 302, page_errors(response)
    saved = MentorProfile.objects.get(pk=profile.pk)
    assert (saved.status, saved.entered_on) == (profile.status, profile.entered_on)
    assert saved.competencies == "Проектная деятельность"
    assert _bank_audit().get().action == "mentor_bank.changed"


def test_capacity_below_the_load_is_refused_on_the_form(client, curator):
    profile = _mentor_in_pair(curator.organization)
    second = PairFactory(organization=curator.organization, people=False)
    Participation.objects.create(
        pair=second, person=profile.person, role=Participation.Role.MENTOR
    )
    Participation.objects.create(
        pair=second,
        person=MenteeProfileFactory(person__organization=curator.organization).person,
        role=Participation.Role.MENTEE,
    )
    url = reverse("admin:mentoring_mentorprofile_change", args=[profile.pk])

    response = client.post(url, admin_form_data(client.get(url), capacity="1"))

    assert response.status_code == 200
    assert "уже ведёт 2 наставляемых: меньше нельзя" in response.text
    assert MentorProfile.objects.get(pk=profile.pk).capacity == profile.capacity
    assert not _bank_audit().exists()


def test_a_person_returns_to_the_bank_only_with_a_valid_consent(client, curator):
    profile = MentorProfileFactory(
        person__organization=curator.organization, status=BankStatus.EXCLUDED
    )
    url = reverse("admin:mentoring_mentorprofile_changelist")
    post = {"action": "return_to_bank", "_selected_action": [profile.pk]}
    profile.person.consents.update(withdrawn_on=today())

    refused = client.post(url, post, follow=True)

    assert "нет действующего согласия" in refused.text
    profile.refresh_from_db()
    assert profile.status == BankStatus.EXCLUDED
    assert not _bank_audit().exists()

    ConsentFactory(person=profile.person, kind=Consent.Kind.PERSONAL_DATA)
    returned = client.post(url, post, follow=True)

    assert "Статус «В банке» установлен: 1." in returned.text
    profile.refresh_from_db()
    assert profile.status == BankStatus.IN_BANK
    assert _bank_audit().get().data["status"] == BankStatus.IN_BANK


def test_the_forms_of_a_bank_entry_are_saved_by_its_service_with_the_audit_entry(
    client, curator
):
    profile = _mentor_in_pair(curator.organization)
    wanted = sorted(MentoringForm.objects.values_list("pk", flat=True)[:2])
    url = reverse("admin:mentoring_mentorprofile_change", args=[profile.pk])

    response = client.post(
        url, admin_form_data(client.get(url), forms=[str(pk) for pk in wanted])
    )

    assert response.status_code == 302, page_errors(response)
    assert sorted(profile.forms.values_list("pk", flat=True)) == wanted
    assert _bank_audit().get().data["forms"] == wanted


def test_a_refused_bank_entry_keeps_its_forms(client, curator):
    profile = _mentor_in_pair(curator.organization)
    second = PairFactory(organization=curator.organization, people=False)
    Participation.objects.create(
        pair=second, person=profile.person, role=Participation.Role.MENTOR
    )
    Participation.objects.create(
        pair=second,
        person=MenteeProfileFactory(person__organization=curator.organization).person,
        role=Participation.Role.MENTEE,
    )
    before = sorted(profile.forms.values_list("pk", flat=True))
    other = MentoringForm.objects.exclude(pk__in=before).values_list("pk", flat=True)
    url = reverse("admin:mentoring_mentorprofile_change", args=[profile.pk])

    response = client.post(
        url,
        admin_form_data(client.get(url), capacity="1", forms=[str(other[0])]),
    )

    assert response.status_code == 200
    assert "меньше нельзя" in response.text
    assert sorted(profile.forms.values_list("pk", flat=True)) == before


def test_an_entry_already_in_the_bank_is_reported_unchanged(client, curator):
    profile = MenteeProfileFactory(
        person__organization=curator.organization, status=BankStatus.IN_BANK
    )
    url = reverse("admin:mentoring_menteeprofile_changelist")
    post = {"action": "return_to_bank", "_selected_action": [profile.pk]}

    response = client.post(url, post, follow=True)

    assert "установлен" not in response.text
    assert (
        f"Уже в статусе «В банке», не изменены: {profile.person.full_name}."
        in response.text
    )
    assert not _bank_audit().exists()


@pytest.mark.parametrize(
    ("page", "factory", "field"),
    [
        ("mentorprofile", MentorProfileFactory, "forms"),
        ("menteeprofile", MenteeProfileFactory, "desired_forms"),
    ],
)
def test_the_forms_filter_offers_the_catalogue_and_lists_the_entries_of_a_form(
    client, curator, page, factory, field
):
    # The choices come from the shared catalogue (CatalogueFilter, issue 15),
    # not from the forms the school's entries name: a form nobody named yet
    # is offered too, and lists nobody.
    named, unnamed = MentoringForm.objects.order_by("pk")[:2]
    person = PersonFactory(organization=curator.organization)
    entry = factory(person=person)
    getattr(entry, field).set([named])
    other = factory(person=PersonFactory(organization=curator.organization))
    url = reverse(f"admin:mentoring_{page}_changelist")

    response = client.get(url)
    specs = response.context["cl"].filter_specs
    spec = next(s for s in specs if getattr(s, "field_path", None) == field)
    assert set(MentoringForm.objects.values_list("pk", "name")) <= set(
        spec.lookup_choices
    )

    listed = client.get(url, {f"{field}__id__exact": named.pk}).context["cl"]
    assert list(listed.result_list) == [entry]
    assert other not in listed.result_list
    nobody = client.get(url, {f"{field}__id__exact": unnamed.pk}).context["cl"]
    assert list(nobody.result_list) == []
