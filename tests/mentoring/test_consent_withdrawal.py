"""A consent withdrawn or expired has consequences (152-ФЗ ст. 9 ч. 2, ст. 21 ч. 5).

The day it ends the person leaves the banks, their open pairs are suspended
for the curator to decide, and nothing new about them is recorded; what was
recorded before stays.
"""

import datetime
from io import StringIO

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from mentoring import services
from mentoring.matching.scoring import Weights
from mentoring.models import (
    AuditEntry,
    BankStatus,
    Consent,
    MatchingRun,
    Meeting,
    Pair,
    Participation,
    Preference,
)
from mentoring.services import matching as matching_services
from mentoring.services.meetings import plan_meeting
from surveys.models import Response
from tests.factories import (
    ConsentFactory,
    DistrictFactory,
    MeetingFactory,
    MenteeProfileFactory,
    MentorProfileFactory,
    OrganizationFactory,
    PairFactory,
    UserFactory,
    fill_questionnaire,
    form,
)

pytestmark = pytest.mark.django_db


def today():
    return timezone.localdate()


def active_pair():
    pair = PairFactory(active=True)
    mentor = pair.participations.get(role=Participation.Role.MENTOR).person
    mentee = pair.participations.get(role=Participation.Role.MENTEE).person
    curator = UserFactory(
        curator=True, organization=pair.organization, email="kurator@example.ru"
    )
    mentor.user = UserFactory()
    mentor.save(update_fields=["user"])
    mentee.user = UserFactory()
    mentee.save(update_fields=["user"])
    return pair, mentor, mentee, curator


def withdraw(person, by):
    consent = person.consents.get(kind=Consent.Kind.PERSONAL_DATA)
    return services.withdraw_consent(consent=consent, by=by)


def test_withdrawal_suspends_the_pair_and_archives_the_bank_entry_with_the_reason():
    pair, mentor, mentee, curator = active_pair()
    planned = MeetingFactory(
        pair=pair,
        status=Meeting.Status.PLANNED,
        starts_at=timezone.now() + datetime.timedelta(days=5),
    )
    held = MeetingFactory(pair=pair)

    withdraw(mentee, curator)

    pair.refresh_from_db()
    assert pair.status == Pair.Status.SUSPENDED
    assert pair.suspended_from == Pair.Status.ACTIVE
    profile = mentee.mentee_profile
    profile.refresh_from_db()
    assert profile.status == BankStatus.ARCHIVED
    assert profile.archived_on == today()
    assert "нет действующего согласия — на обработку персональных данных" in (
        profile.archive_reason
    )
    # The mentor keeps their own consent and their place in the bank.
    mentor.mentor_profile.refresh_from_db()
    assert mentor.mentor_profile.status == BankStatus.IN_BANK
    # What will not happen is cancelled; what happened stays.
    planned.refresh_from_db()
    held.refresh_from_db()
    assert planned.status == Meeting.Status.CANCELLED
    assert held.status == Meeting.Status.HELD
    actions = set(
        AuditEntry.objects.filter(actor=curator).values_list("action", flat=True)
    )
    assert {
        "consent.withdrawn",
        "mentee_bank.archived",
        "pair.status_changed",
        "meeting.cancelled",
    } <= actions
    entry = AuditEntry.objects.for_object(pair).get(action="pair.status_changed")
    assert entry.data["to"] == "suspended"
    assert mentee.full_name in entry.data["comment"]


def test_the_bank_entry_shows_the_reason_until_a_new_consent_brings_it_back(client):
    profile = MenteeProfileFactory()
    person = profile.person
    curator = UserFactory(curator=True, organization=person.organization)
    withdraw(person, curator)
    client.force_login(curator)
    url = reverse("admin:mentoring_menteeprofile_change", args=[profile.pk])
    page = client.get(url).text
    assert "нет действующего согласия — на обработку персональных данных" in page

    ConsentFactory(person=person, given_on=today())
    profile.refresh_from_db()
    profile.status = BankStatus.IN_BANK
    services.save_mentee_profile(profile=profile, by=curator)
    profile.refresh_from_db()
    assert (profile.status, profile.archived_on, profile.archive_reason) == (
        BankStatus.IN_BANK,
        None,
        "",
    )


def test_the_curators_are_mailed_that_the_pair_awaits_their_decision(
    django_capture_on_commit_callbacks,
):
    pair, mentor, mentee, curator = active_pair()
    with django_capture_on_commit_callbacks(execute=True):
        withdraw(mentee, curator)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["kurator@example.ru"]
    assert f"№ {pair.pk}" in mail.outbox[0].subject
    assert "Примите решение" in mail.outbox[0].body


def test_no_new_meeting_is_recorded_for_a_suspended_pair(client):
    pair, mentor, mentee, curator = active_pair()
    withdraw(mentee, curator)
    client.force_login(mentor.user)
    response = client.post(
        reverse("surveys:meeting-new", args=[pair.pk]),
        {
            "kind": Meeting.Kind.REGULAR,
            "starts_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "duration_minutes": "45",
            "format": Meeting.Format.IN_PERSON,
            "topic": "Разбор урока",
            "outcome": "",
        },
    )
    assert f"Пара/группа № {pair.pk} приостановлена" in response.text
    assert not pair.meetings.exists()


def test_no_new_meeting_before_the_daily_pass_either():
    # Expired yesterday; the daily pass has not run yet: the rule holds anyway.
    pair, mentor, mentee, curator = active_pair()
    mentee.consents.update(valid_until=today() - datetime.timedelta(days=1))
    with pytest.raises(ValidationError) as error:
        plan_meeting(
            pair=pair,
            by=mentor.user,
            kind=Meeting.Kind.REGULAR,
            starts_at=timezone.now() - datetime.timedelta(hours=1),
            topic="Разбор урока",
        )
    assert error.value.messages == [
        f"{mentee.full_name}: нет действующего согласия — на обработку персональных "
        "данных. Новые сведения об участнике не вносятся."
    ]
    assert not pair.meetings.exists()


def test_no_new_feedback_is_accepted_and_the_earlier_feedback_stays(client):
    pair, mentor, mentee, curator = active_pair()
    earlier = MeetingFactory(pair=pair)
    fill_questionnaire("meeting-feedback-mentee", respondent=mentee, meeting=earlier)
    later = MeetingFactory(pair=pair)
    withdraw(mentee, curator)

    client.force_login(mentor.user)
    response = client.get(reverse("surveys:feedback", args=[later.pk]), follow=True)
    assert f"Пара/группа № {pair.pk} приостановлена" in response.text
    with pytest.raises(ValidationError, match="приостановлена"):
        fill_questionnaire("meeting-feedback-mentor", respondent=mentor, meeting=later)
    assert list(Response.objects.values_list("meeting", flat=True)) == [earlier.pk]


def test_a_participant_without_consent_fills_no_questionnaire():
    profile = MenteeProfileFactory()
    person = profile.person
    person.consents.update(withdrawn_on=today())
    with pytest.raises(ValidationError) as error:
        fill_questionnaire("mentee-request", respondent=person)
    assert "Новые сведения об участнике не вносятся." in error.value.messages[0]
    assert not Response.objects.exists()


def test_no_matching_preference_is_recorded_about_a_person_without_consent():
    mentee = MenteeProfileFactory().person
    mentor = MentorProfileFactory(person__organization=mentee.organization).person
    curator = UserFactory(curator=True, organization=mentee.organization)
    withdraw(mentee, curator)
    with pytest.raises(ValidationError) as error:
        matching_services.save_preference(
            preference=Preference(
                side=Preference.Side.MENTEE, chooser=mentee, chosen=mentor, rank=1
            ),
            by=curator,
        )
    assert error.value.messages == [
        f"{mentee.full_name}: нет действующего согласия — на обработку персональных "
        "данных. Новые сведения об участнике не вносятся."
    ]
    assert not Preference.objects.exists()


def test_a_matching_run_leaves_out_people_whose_consent_ended():
    school = OrganizationFactory()
    curator = UserFactory(curator=True, organization=school)
    MentorProfileFactory(person__organization=school, forms=[form("teacher-teacher")])
    kept = MenteeProfileFactory(person__organization=school)
    gone = MenteeProfileFactory(person__organization=school)
    # Expired yesterday, not yet archived by the daily pass.
    gone.person.consents.update(valid_until=today() - datetime.timedelta(days=1))
    run = matching_services.run_matching(
        organization=school,
        by=curator,
        forms=[form("teacher-teacher")],
        weights=Weights(),
    )
    mentees = {row["id"] for row in run.inputs["mentees"]}
    assert mentees == {kept.person_id}
    assert not run.unmatched.filter(mentee=gone.person).exists()
    assert MatchingRun.objects.count() == 1


def test_the_daily_command_applies_expiries_once():
    pair, mentor, mentee, curator = active_pair()
    mentee.consents.update(valid_until=today() - datetime.timedelta(days=1))
    first, second = StringIO(), StringIO()

    call_command("apply_consent_expiries", stdout=first)
    entries = AuditEntry.objects.count()
    call_command("apply_consent_expiries", stdout=second)

    assert "Archived bank entries: 1; suspended pairs: 1" in first.getvalue()
    assert "Archived bank entries: 0; suspended pairs: 0" in second.getvalue()
    assert AuditEntry.objects.count() == entries
    pair.refresh_from_db()
    assert pair.status == Pair.Status.SUSPENDED
    archived = AuditEntry.objects.get(action="mentee_bank.archived")
    assert archived.actor is None


def test_the_daily_task_applies_expiries_too():
    from mentoring.tasks import apply_consent_expiries_task

    pair, mentor, mentee, curator = active_pair()
    mentee.consents.update(valid_until=today() - datetime.timedelta(days=1))
    apply_consent_expiries_task.call()
    pair.refresh_from_db()
    assert pair.status == Pair.Status.SUSPENDED


def test_a_mentor_whose_duties_consent_expired_has_the_pair_suspended_but_stays_banked():
    pair, mentor, mentee, curator = active_pair()
    mentor.consents.filter(kind=Consent.Kind.MENTOR_DUTIES).update(
        valid_until=today() - datetime.timedelta(days=1)
    )
    call_command("apply_consent_expiries", stdout=StringIO())
    pair.refresh_from_db()
    mentor.mentor_profile.refresh_from_db()
    assert pair.status == Pair.Status.SUSPENDED
    assert mentor.mentor_profile.status == BankStatus.IN_BANK


def test_a_suspended_pair_resumes_only_with_a_new_consent(client):
    pair, mentor, mentee, curator = active_pair()
    withdraw(mentee, curator)
    client.force_login(curator)
    url = reverse("admin:mentoring_pair_changelist")
    resume = {"action": "resume", ACTION_CHECKBOX_NAME: [str(pair.pk)]}

    refused = client.post(url, resume, follow=True)
    assert "нет действующего согласия" in refused.text
    pair.refresh_from_db()
    assert pair.status == Pair.Status.SUSPENDED

    ConsentFactory(person=mentee, given_on=today())
    client.post(url, resume, follow=True)
    pair.refresh_from_db()
    assert pair.status == Pair.Status.ACTIVE
    assert pair.suspended_from == ""


def test_a_suspended_draft_goes_back_to_being_a_draft_not_to_work():
    pair = PairFactory()
    mentee = pair.participations.get(role=Participation.Role.MENTEE).person
    curator = UserFactory(curator=True, organization=pair.organization)
    withdraw(mentee, curator)
    pair.refresh_from_db()
    assert pair.status == Pair.Status.SUSPENDED
    ConsentFactory(person=mentee, given_on=today())
    with pytest.raises(ValidationError) as error:
        services.change_pair_status(pair=pair, to=Pair.Status.ACTIVE, by=curator)
    assert error.value.messages == [
        f"Приостановленную пару/группу № {pair.pk} можно вернуть только в статус "
        "«Проект» или прекратить."
    ]
    services.change_pair_status(pair=pair, to=Pair.Status.DRAFT, by=curator)
    pair.refresh_from_db()
    assert pair.status == Pair.Status.DRAFT


def test_a_suspended_pair_keeps_the_mentors_place_until_it_is_ended():
    pair, mentor, mentee, curator = active_pair()
    mentor.mentor_profile.capacity = 1
    mentor.mentor_profile.save(update_fields=["capacity"])
    withdraw(mentee, curator)
    other = MenteeProfileFactory(person__organization=pair.organization).person
    with pytest.raises(ValidationError, match="может вести не более 1"):
        services.create_pair(
            organization=pair.organization,
            form=pair.form,
            mentors=[mentor],
            mentees=[other],
            by=curator,
        )
    services.change_pair_status(
        pair=pair,
        to=Pair.Status.TERMINATED,
        by=curator,
        reason=Pair.TerminationReason.CONSENT_WITHDRAWN,
    )
    services.create_pair(
        organization=pair.organization,
        form=pair.form,
        mentors=[mentor],
        mentees=[other],
        by=curator,
    )


def test_the_curators_home_and_the_pairs_list_show_suspended_pairs(client):
    pair, mentor, mentee, curator = active_pair()
    withdraw(mentee, curator)
    client.force_login(curator)
    home = client.get(reverse("mentoring:home")).text
    assert "Приостановлены — нужно решение куратора" in home
    assert f"№ {pair.pk}" in home and mentee.full_name in home
    admin_list = client.get(reverse("admin:mentoring_pair_changelist")).text
    assert "Приостановлено пар/групп: 1 — нужно решение" in admin_list


def test_another_schools_curator_sees_no_suspended_pair(client):
    pair, mentor, mentee, curator = active_pair()
    withdraw(mentee, curator)
    client.force_login(UserFactory(curator=True))
    assert "Приостановлены" not in client.get(reverse("mentoring:home")).text


# ---------------------------------------------------------------- destruction


def test_curator_sees_whose_data_to_destroy_and_by_when(client):
    pair, mentor, mentee, curator = active_pair()
    consent = mentee.consents.get(kind=Consent.Kind.PERSONAL_DATA)
    services.withdraw_consent(
        consent=consent, by=curator, withdrawn_on=today() - datetime.timedelta(days=2)
    )
    client.force_login(curator)
    home = client.get(reverse("mentoring:home")).text
    url = reverse("mentoring:consent-destruction")
    assert url in home
    page = client.get(url).text
    by = today() + datetime.timedelta(days=28)
    assert mentee.full_name in page
    assert by.strftime("%d.%m.%Y") in page
    assert mentor.full_name not in page


def test_an_expired_consent_counts_from_the_day_after_it_ended(client):
    profile = MenteeProfileFactory()
    person = profile.person
    ended = today() - datetime.timedelta(days=40)
    person.consents.update(
        given_on=ended - datetime.timedelta(days=300), valid_until=ended
    )
    client.force_login(UserFactory(curator=True, organization=person.organization))
    page = client.get(reverse("mentoring:consent-destruction")).text
    destroy_by = ended + datetime.timedelta(days=31)
    assert f"{destroy_by:%d.%m.%Y} — срок прошёл" in page


def test_another_schools_curator_does_not_see_the_list(client):
    pair, mentor, mentee, curator = active_pair()
    withdraw(mentee, curator)
    other = UserFactory(curator=True, organization=OrganizationFactory())
    client.force_login(other)
    page = client.get(reverse("mentoring:consent-destruction")).text
    assert mentee.full_name not in page
    assert "Нет участников" in page


def test_methodologist_sees_the_district_and_a_participant_is_refused(client):
    district = DistrictFactory()
    pair, mentor, mentee, curator = active_pair()
    pair.organization.district = district
    pair.organization.save(update_fields=["district"])
    withdraw(mentee, curator)
    client.force_login(UserFactory(methodologist=True, district=district))
    page = client.get(reverse("mentoring:consent-destruction")).text
    assert mentee.full_name in page
    assert pair.organization.short_name in page
    client.force_login(UserFactory(methodologist=True))
    assert (
        mentee.full_name
        not in client.get(reverse("mentoring:consent-destruction")).text
    )
    client.force_login(mentor.user)
    assert client.get(reverse("mentoring:consent-destruction")).status_code == 404
