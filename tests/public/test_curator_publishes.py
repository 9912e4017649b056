"""The curator writes the public page in the back office: news, best
practices and documents; only a signed order of the school is published."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from mentoring.models import AuditEntry
from public import services
from public.models import Post, PublicDocument
from tests.factories import OrderFactory, UserFactory
from tests.mentoring.admin_helpers import admin_form_data
from tests.public.helpers import signed_order

pytestmark = pytest.mark.django_db


@pytest.fixture
def curator(client):
    user = UserFactory(curator=True)
    client.force_login(user)
    return user


def test_the_curator_publishes_a_best_practice(client, curator):
    url = reverse("admin:public_post_add")
    data = admin_form_data(
        client.get(url),
        kind=Post.Kind.PRACTICE,
        title="Кейс-метод на уроках истории",
        body="Описание практики.",
        status=Post.Status.PUBLISHED,
    )

    response = client.post(url, data, follow=True)

    post = Post.objects.get()
    assert post.organization == curator.organization
    assert post.published_on is not None
    assert AuditEntry.objects.filter(action="public.post_created").exists()
    page = client.get(reverse("public:organization", args=[curator.organization_id]))
    assert "Кейс-метод на уроках истории" in page.text
    assert response.status_code == 200


def test_the_curator_publishes_a_signed_order(client, curator):
    order = signed_order(curator.organization, title="О закреплении пар на год")
    url = reverse("admin:public_publicdocument_add")
    data = admin_form_data(
        client.get(url),
        kind=PublicDocument.Kind.ORDER,
        order=order.pk,
        is_published="on",
    )

    client.post(url, data)

    document = PublicDocument.objects.get()
    assert document.order == order
    assert document.is_published
    page = client.get(reverse("public:organization", args=[curator.organization_id]))
    assert "О закреплении пар на год" in page.text


def test_a_draft_order_is_not_published(client, curator):
    draft = OrderFactory(organization=curator.organization, title="О черновике")
    url = reverse("admin:public_publicdocument_add")
    form_page = client.get(url)
    assert "О черновике" not in form_page.text
    data = admin_form_data(
        form_page, kind=PublicDocument.Kind.ORDER, order=draft.pk, is_published="on"
    )

    response = client.post(url, data)

    assert response.status_code == 200
    assert "Выберите корректный вариант" in response.text
    assert not PublicDocument.objects.exists()


def test_the_service_refuses_another_schools_order(curator):
    theirs = signed_order(UserFactory(curator=True).organization)
    document = PublicDocument(
        organization=curator.organization,
        kind=PublicDocument.Kind.ORDER,
        order=theirs,
        is_published=True,
    )

    with pytest.raises(ValidationError) as refused:
        services.save_public_document(document=document, by=curator)

    assert "Нет прав" in str(refused.value) or "своей организации" in str(refused.value)
    assert not PublicDocument.objects.exists()


def test_the_service_refuses_an_order_not_signed(curator):
    document = PublicDocument(
        organization=curator.organization,
        kind=PublicDocument.Kind.ORDER,
        order=OrderFactory(organization=curator.organization, on_signature=True),
        is_published=True,
    )

    with pytest.raises(ValidationError) as refused:
        services.save_public_document(document=document, by=curator)

    assert "только подписанный приказ" in str(refused.value)
