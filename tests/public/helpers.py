"""Published records for the public pages' tests."""

import datetime

from django.utils import timezone

from mentoring.models import Consent, Order
from public.models import Post, PublicDocument
from tests.factories import ConsentFactory, OrderFactory


def signed_order(organization, **kwargs) -> Order:
    return OrderFactory(
        organization=organization,
        status=Order.Status.SIGNED,
        year=timezone.localdate().year,
        number=kwargs.pop("number", 7),
        number_suffix="-од",
        signed_on=timezone.localdate() - datetime.timedelta(days=3),
        decided_at=timezone.now(),
        signer_position="Директор",
        signer_name="С.А. Анисимова",
        **kwargs,
    )


def publish_order(order, **kwargs) -> PublicDocument:
    return PublicDocument.objects.create(
        organization=order.organization,
        kind=PublicDocument.Kind.ORDER,
        order=order,
        is_published=kwargs.pop("is_published", True),
        published_on=timezone.localdate(),
        **kwargs,
    )


def news(organization, **kwargs) -> Post:
    published = kwargs.pop("published", True)
    return Post.objects.create(
        organization=organization,
        kind=kwargs.pop("kind", Post.Kind.NEWS),
        title=kwargs.pop("title", "Семинар наставников"),
        body=kwargs.pop("body", "Наставники обсудили открытые уроки."),
        status=Post.Status.PUBLISHED if published else Post.Status.DRAFT,
        published_on=timezone.localdate() if published else None,
        **kwargs,
    )


def distribution_consent(person, **kwargs) -> Consent:
    return ConsentFactory(person=person, kind=Consent.Kind.DISTRIBUTION, **kwargs)
