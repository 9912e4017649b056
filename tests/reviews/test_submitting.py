"""A school sends its program or roadmap to the district for review."""

import pytest
from django.core import mail
from django.urls import reverse

from mentoring.models import AuditEntry
from reviews.models import Review
from tests.factories import (
    OrganizationFactory,
    ReviewFactory,
    RoadmapFactory,
    UserFactory,
)


@pytest.mark.django_db
def test_curator_sends_the_program_and_the_district_is_mailed(
    client, school, curator, methodologist, django_capture_on_commit_callbacks
):
    client.force_login(curator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("reviews:submit"),
            {
                "subject": "program",
                "title": "Программа наставничества на 2025/2026 учебный год",
                "url": "https://school.example/programma.pdf",
                "note": "Просим рассмотреть.",
            },
            follow=True,
        )
    review = Review.objects.get()
    assert "направлено на экспертизу методисту района" in response.text
    assert (review.organization, review.status, review.submitted_by) == (
        school,
        Review.Status.PENDING,
        curator,
    )
    assert [m.to for m in mail.outbox] == [["metodist@example.ru"]]
    assert "Гимназия № 1" in mail.outbox[0].subject
    assert reverse("reviews:detail", args=[review.pk]) in mail.outbox[0].body
    assert AuditEntry.objects.filter(
        action="review.submitted", object_id=review.pk, organization=school
    ).exists()


@pytest.mark.django_db
def test_curator_sends_the_schools_roadmap(client, school, curator):
    roadmap = RoadmapFactory(organization=school)
    client.force_login(curator)
    client.post(
        reverse("reviews:submit"), {"subject": "roadmap", "roadmap": roadmap.pk}
    )
    review = Review.objects.get()
    assert review.roadmap == roadmap
    assert review.title == roadmap.short_title
    assert review.url == reverse("roadmap:detail", args=[roadmap.pk])


@pytest.mark.django_db
def test_another_schools_roadmap_cannot_be_chosen(client, school, curator):
    foreign = RoadmapFactory(organization=OrganizationFactory(district=school.district))
    client.force_login(curator)
    response = client.post(
        reverse("reviews:submit"), {"subject": "roadmap", "roadmap": foreign.pk}
    )
    assert response.status_code == 200
    assert "Выберите корректный вариант" in response.text
    assert not Review.objects.exists()


@pytest.mark.django_db
def test_a_second_sending_while_one_is_pending_is_refused(client, school, curator):
    first = ReviewFactory(organization=school, submitted_by=curator)
    client.force_login(curator)
    response = client.post(
        reverse("reviews:submit"),
        {"subject": "program", "title": "Программа, версия 2"},
    )
    assert response.status_code == 200
    assert (
        "Программа наставничества (положение) уже на экспертизе: направлено"
        in response.text
    )
    assert "Повторно направить документ можно после решения." in response.text
    assert list(Review.objects.all()) == [first]
    assert not AuditEntry.objects.filter(action="review.submitted").exists()


@pytest.mark.django_db
def test_a_pending_program_does_not_block_the_roadmap(client, school, curator):
    ReviewFactory(organization=school, submitted_by=curator)
    roadmap = RoadmapFactory(organization=school)
    client.force_login(curator)
    client.post(
        reverse("reviews:submit"), {"subject": "roadmap", "roadmap": roadmap.pk}
    )
    assert Review.objects.filter(subject=Review.Subject.ROADMAP).count() == 1


@pytest.mark.django_db
def test_after_a_return_the_school_sends_again_and_the_history_shows_both(
    client, school, curator, methodologist
):
    returned = ReviewFactory(
        organization=school,
        submitted_by=curator,
        returned=True,
        decided_by=methodologist,
        comments="Добавьте раздел о формах наставничества.",
    )
    client.force_login(curator)
    page = client.get(reverse("reviews:detail", args=[returned.pk]))
    assert "Направить исправленный документ" in page.text
    response = client.post(
        reverse("reviews:submit"),
        {
            "subject": "program",
            "title": "Программа наставничества (исправленная)",
            "note": "Раздел о формах добавлен.",
        },
        follow=True,
    )
    again = Review.objects.exclude(pk=returned.pk).get()
    assert again.status == Review.Status.PENDING
    assert "История экспертизы" in response.text
    assert "Добавьте раздел о формах наставничества." in response.text
    assert "Программа наставничества (исправленная)" in response.text


@pytest.mark.django_db
def test_program_without_a_title_is_refused(client, curator):
    client.force_login(curator)
    response = client.post(reverse("reviews:submit"), {"subject": "program"})
    assert "Укажите наименование программы." in response.text
    assert not Review.objects.exists()


@pytest.mark.django_db
def test_a_link_that_leaves_the_site_unsafely_is_refused(client, curator):
    client.force_login(curator)
    response = client.post(
        reverse("reviews:submit"),
        {"subject": "program", "title": "Программа", "url": "javascript:alert(1)"},
    )
    assert response.status_code == 200
    assert not Review.objects.exists()


@pytest.mark.django_db
def test_the_methodologist_may_not_send_for_a_school(client, methodologist):
    client.force_login(methodologist)
    response = client.post(
        reverse("reviews:submit"), {"subject": "program", "title": "Программа"}
    )
    assert response.status_code == 403
    assert not Review.objects.exists()


@pytest.mark.django_db
def test_the_psychologist_does_not_know_reviews_exist(client, school):
    client.force_login(UserFactory(psychologist=True, organization=school))
    assert client.get(reverse("reviews:list")).status_code == 404


@pytest.mark.django_db
def test_sending_again_starts_from_the_returned_document(client, school, curator):
    returned = ReviewFactory(
        organization=school, submitted_by=curator, returned=True, title="Версия 1"
    )
    client.force_login(curator)
    page = client.get(reverse("reviews:submit"), {"after": returned.pk})
    assert page.context["form"].initial["title"] == "Версия 1"
    assert page.context["form"].initial["url"] == returned.url


@pytest.mark.django_db
def test_another_schools_document_is_not_found_to_start_from(client, curator):
    foreign = ReviewFactory(returned=True)
    client.force_login(curator)
    page = client.get(reverse("reviews:submit"), {"after": foreign.pk})
    assert page.status_code == 404
