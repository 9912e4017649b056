"""The district's methodologist approves a document or returns it."""

import pytest
from django.core import mail
from django.urls import reverse

from mentoring.models import AuditEntry
from reviews.models import Review
from roadmap.models import Activity, Evidence
from tests.factories import (
    ActivityFactory,
    ReviewFactory,
    RoadmapFactory,
    StageFactory,
)


def decide(client, review, decision, comments=""):
    return client.post(
        reverse("reviews:decide", args=[review.pk]),
        {"decision": decision, "comments": comments},
        follow=True,
    )


@pytest.fixture
def review(school, curator):
    return ReviewFactory(organization=school, submitted_by=curator)


def school_activity(school, code, **kwargs):
    return ActivityFactory(
        stage=StageFactory(roadmap=RoadmapFactory(organization=school, **kwargs)),
        code=code,
        content="Подготовка шаблона персонализированной программы наставничества.",
    )


@pytest.mark.django_db
def test_approval_closes_the_schools_roadmap_activity_with_evidence(
    client, school, methodologist, review, django_capture_on_commit_callbacks
):
    activity = school_activity(school, "program_template")
    other = ActivityFactory(stage=activity.stage, code="mentee_bank")
    client.force_login(methodologist)
    with django_capture_on_commit_callbacks(execute=True):
        response = decide(client, review, "approve", "Хорошая программа.")
    assert (
        "Документ одобрен. В дорожной карте школы выполнено: «Подготовка шаблона"
        in response.text
    )
    review.refresh_from_db()
    assert (review.status, review.decided_by) == (
        Review.Status.APPROVED,
        methodologist,
    )
    activity.refresh_from_db()
    other.refresh_from_db()
    assert activity.status == Activity.Status.DONE
    assert other.status == Activity.Status.PLANNED
    evidence = Evidence.objects.get(activity=activity)
    assert evidence.source == review
    assert evidence.url == reverse("reviews:detail", args=[review.pk])
    assert "Выполнено:" in response.text
    assert [m.to for m in mail.outbox] == [["kurator@example.ru"]]
    assert "одобрено" in mail.outbox[0].subject
    assert AuditEntry.objects.filter(
        action="review.approved", object_id=review.pk
    ).exists()


@pytest.mark.django_db
def test_approving_a_roadmap_closes_the_adoption_of_acts(
    client, school, curator, methodologist
):
    activity = school_activity(school, "adopt_acts")
    review = ReviewFactory(
        organization=school,
        submitted_by=curator,
        of_roadmap=True,
        roadmap=activity.stage.roadmap,
    )
    client.force_login(methodologist)
    decide(client, review, "approve")
    activity.refresh_from_db()
    assert activity.status == Activity.Status.DONE


@pytest.mark.django_db
def test_returning_needs_comments_and_mails_them(
    client, methodologist, review, django_capture_on_commit_callbacks
):
    client.force_login(methodologist)
    response = decide(client, review, "return", "   ")
    assert "Напишите замечания" in response.text
    review.refresh_from_db()
    assert review.status == Review.Status.PENDING
    with django_capture_on_commit_callbacks(execute=True):
        response = decide(client, review, "return", "Уточните сроки этапа 5.")
    review.refresh_from_db()
    assert review.status == Review.Status.RETURNED
    assert review.comments == "Уточните сроки этапа 5."
    assert "возвращён школе на доработку" in response.text
    assert "Уточните сроки этапа 5." in mail.outbox[0].body


@pytest.mark.django_db
def test_returning_does_not_close_the_activity(client, school, methodologist, review):
    activity = school_activity(school, "program_template")
    client.force_login(methodologist)
    decide(client, review, "return", "Доработайте.")
    activity.refresh_from_db()
    assert activity.status == Activity.Status.PLANNED
    assert not Evidence.objects.exists()


@pytest.mark.django_db
def test_a_double_click_on_approve_decides_once(client, school, methodologist, review):
    activity = school_activity(school, "program_template")
    client.force_login(methodologist)
    decide(client, review, "approve")
    response = decide(client, review, "approve")
    assert "Решение по экспертизе уже принято: одобрено" in response.text
    assert Evidence.objects.filter(activity=activity).count() == 1
    assert AuditEntry.objects.filter(action="review.approved").count() == 1


@pytest.mark.django_db
def test_a_decided_review_cannot_be_returned_afterwards(client, methodologist, review):
    client.force_login(methodologist)
    decide(client, review, "approve")
    response = decide(client, review, "return", "Передумала.")
    assert "Решение по экспертизе уже принято" in response.text
    review.refresh_from_db()
    assert review.status == Review.Status.APPROVED
    assert review.comments == ""


@pytest.mark.django_db
def test_another_districts_methodologist_finds_nothing(
    client, school, stranger, review
):
    activity = school_activity(school, "program_template")
    client.force_login(stranger)
    assert client.get(reverse("reviews:detail", args=[review.pk])).status_code == 404
    response = client.post(
        reverse("reviews:decide", args=[review.pk]), {"decision": "approve"}
    )
    assert response.status_code == 404
    review.refresh_from_db()
    activity.refresh_from_db()
    assert review.status == Review.Status.PENDING
    assert activity.status == Activity.Status.PLANNED
    assert not AuditEntry.objects.filter(action__startswith="review.").exists()
    assert review not in client.get(reverse("reviews:list")).context["reviews"]


@pytest.mark.django_db
def test_the_school_reads_the_decision_but_may_not_take_it(client, curator, review):
    client.force_login(curator)
    page = client.get(reverse("reviews:detail", args=[review.pk]))
    assert "Одобрить" not in page.text
    response = client.post(
        reverse("reviews:decide", args=[review.pk]), {"decision": "approve"}
    )
    assert response.status_code == 403
    review.refresh_from_db()
    assert review.status == Review.Status.PENDING


@pytest.mark.django_db
def test_an_unknown_decision_changes_nothing(client, methodologist, review):
    client.force_login(methodologist)
    response = decide(client, review, "maybe")
    assert "Выберите решение" in response.text
    review.refresh_from_db()
    assert review.status == Review.Status.PENDING


@pytest.mark.django_db
def test_approval_says_when_the_school_has_no_activity_for_it(
    client, methodologist, review
):
    client.force_login(methodologist)
    response = decide(client, review, "approve")
    assert "нет мероприятия для него: отметок не сделано" in response.text
    review.refresh_from_db()
    assert review.status == Review.Status.APPROVED
