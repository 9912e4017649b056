"""Printing many documents at once: a background task, its progress, a ZIP."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from mentoring.models import DocumentBatch
from mentoring.services.batches import build_document_batch_task
from tests.factories import (
    OrderFactory,
    OrganizationFactory,
    ProgramFactory,
    UserFactory,
)
from tests.mentoring.orders_helpers import named_pair, pdf_text

PROGRAMS = reverse("mentoring:document-batch-programs")
ORDERS_ADMIN = reverse("admin:mentoring_order_changelist")


def _program(organization, surname):
    pair = named_pair(organization, mentees=[{"last_name": surname}], status="active")
    return ProgramFactory(pair=pair)


def _zip_texts(response) -> dict[str, str]:
    content = b"".join(response.streaming_content)
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return {name: pdf_text(archive.read(name)) for name in archive.namelist()}


def _stored_zips() -> list[Path]:
    folder = Path(settings.MEDIA_ROOT) / "documentbatchs"
    return sorted(folder.rglob("*.zip")) if folder.is_dir() else []


@pytest.fixture
def curator(client):
    user = UserFactory(curator=True)
    client.force_login(user)
    return user


@pytest.mark.django_db
def test_curator_prints_all_programs_of_the_school_into_one_zip(
    client, curator, django_capture_on_commit_callbacks
):
    _program(curator.organization, "Соколова")
    _program(curator.organization, "Журавлёв")
    _program(OrganizationFactory(), "Чужаков")

    with django_capture_on_commit_callbacks(execute=True):
        asked = client.post(PROGRAMS)

    batch = DocumentBatch.objects.get()
    assert asked.url == reverse("mentoring:document-batch", args=[batch.pk])
    response = client.get(asked.url)
    assert "Готово." in response.text
    assert "Напечатано 2 из 2." in response.text
    assert "data-refresh" not in response.text
    texts = _zip_texts(
        client.get(reverse("mentoring:document-batch-zip", args=[batch.pk]))
    )
    assert len(texts) == 2
    together = " ".join(texts.values())
    assert "Соколова" in together and "Журавлёв" in together
    assert "Чужаков" not in together
    assert all("ПЕРСОНАЛИЗИРОВАННАЯ ПРОГРАММА" in t.upper() for t in texts.values())


@pytest.mark.django_db
def test_a_school_without_programs_is_told_so_and_nothing_is_written(
    client, curator, django_capture_on_commit_callbacks
):
    before = _stored_zips()
    _program(OrganizationFactory(), "Чужаков")

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(PROGRAMS, follow=True)

    assert "нет персонализированных программ: печатать нечего" in response.text
    assert not DocumentBatch.objects.exists()
    assert _stored_zips() == before


@pytest.mark.django_db
def test_the_page_shows_the_progress_until_the_zip_is_ready(client, curator):
    _program(curator.organization, "Соколова")
    # Without running the on-commit callbacks: the task has not started yet.
    client.post(PROGRAMS)
    batch = DocumentBatch.objects.get()
    page = reverse("mentoring:document-batch", args=[batch.pk])

    waiting = client.get(page)
    assert "В очереди." in waiting.text
    assert "Напечатано 0 из 1." in waiting.text
    assert 'data-refresh="3"' in waiting.text
    zip_url = reverse("mentoring:document-batch-zip", args=[batch.pk])
    assert client.get(zip_url).status_code == 404

    build_document_batch_task.call(batch_id=batch.pk)

    ready = client.get(page)
    assert "Напечатано 1 из 1." in ready.text
    assert zip_url in ready.text


@pytest.mark.django_db
def test_a_second_batch_waits_for_the_first(client, curator):
    _program(curator.organization, "Соколова")
    client.post(PROGRAMS)

    response = client.post(PROGRAMS, follow=True)

    assert "уже печатается" in response.text
    assert DocumentBatch.objects.count() == 1


@pytest.mark.django_db
def test_a_batch_whose_documents_were_deleted_fails_without_a_file(client, curator):
    before = _stored_zips()
    program = _program(curator.organization, "Соколова")
    client.post(PROGRAMS)
    batch = DocumentBatch.objects.get()
    program.delete()

    build_document_batch_task.call(batch_id=batch.pk)

    response = client.get(reverse("mentoring:document-batch", args=[batch.pk]))
    assert "Не удалось." in response.text
    assert "Документы пакета удалены: печатать нечего." in response.text
    batch.refresh_from_db()
    assert not batch.zip
    assert _stored_zips() == before


@pytest.mark.django_db
def test_curator_prints_chosen_orders_from_the_admin(
    client, curator, django_capture_on_commit_callbacks
):
    org = curator.organization
    first = OrderFactory(organization=org, title="О закреплении пар осенью")
    second = OrderFactory(
        organization=org, on_signature=True, title="О закреплении пар весной"
    )
    OrderFactory(organization=org, title="Неотмеченный приказ")

    with django_capture_on_commit_callbacks(execute=True):
        asked = client.post(
            ORDERS_ADMIN,
            {"action": "print_batch", "_selected_action": [first.pk, second.pk]},
        )

    batch = DocumentBatch.objects.get()
    assert batch.kind == DocumentBatch.Kind.ORDERS
    response = client.get(asked.url)
    assert "Приказы печатаются пакетом: 2." in response.text
    assert "Напечатано 2 из 2." in response.text
    texts = _zip_texts(
        client.get(reverse("mentoring:document-batch-zip", args=[batch.pk]))
    )
    together = " ".join(texts.values())
    assert "О закреплении пар осенью" in together
    assert "О закреплении пар весной" in together
    assert "Неотмеченный приказ" not in together


@pytest.mark.django_db
def test_more_than_a_hundred_orders_are_refused(client, curator):
    orders = OrderFactory.create_batch(101, organization=curator.organization, items=[])

    response = client.post(
        ORDERS_ADMIN,
        {"action": "print_batch", "_selected_action": [o.pk for o in orders]},
        follow=True,
    )

    assert "В пакете не больше 100 приказов, выбрано 101." in response.text
    assert not DocumentBatch.objects.exists()


@pytest.mark.django_db
def test_another_schools_batch_is_not_found(
    client, curator, django_capture_on_commit_callbacks
):
    _program(curator.organization, "Соколова")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(PROGRAMS)
    batch = DocumentBatch.objects.get()

    client.force_login(UserFactory(curator=True))

    page = client.get(reverse("mentoring:document-batch", args=[batch.pk]))
    download = client.get(reverse("mentoring:document-batch-zip", args=[batch.pk]))
    listing = client.get(reverse("mentoring:document-batches"))
    assert page.status_code == download.status_code == 404
    assert reverse("mentoring:document-batch", args=[batch.pk]) not in listing.text


@pytest.mark.django_db
def test_the_home_page_leads_the_curator_to_batch_printing(client, curator):
    _program(curator.organization, "Соколова")
    client.post(PROGRAMS)

    response = client.get(reverse("mentoring:home"))

    assert "Печать пакетом" in response.text
    assert "В очереди: 0 из 1" in response.text
    assert reverse("mentoring:document-batches") in response.text
