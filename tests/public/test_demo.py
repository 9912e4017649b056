"""The demo gymnasium's public page shows a newcomer the rules: consenting
mentors named in the order's extract, a withdrawn consent's name left out,
a draft not published."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from mentoring.models import Consent, Participation, User
from public.models import Post, PublicDocument

pytestmark = pytest.mark.django_db


def test_the_demo_schools_public_page_names_only_the_consenting(client):
    call_command("load_demo", stdout=StringIO())
    organization = User.objects.get(username="kurator").organization
    consents = (
        Consent.objects.filter(
            person__organization=organization,
            person__participations__role=Participation.Role.MENTOR,
            kind=Consent.Kind.DISTRIBUTION,
        )
        .select_related("person")
        .distinct()
    )
    named = [c.person for c in consents if c.is_valid()]
    unnamed = [c.person for c in consents if not c.is_valid()]
    assert len(named) == 2 and len(unnamed) == 1
    extract = PublicDocument.objects.get(
        organization=organization, kind=PublicDocument.Kind.ORDER
    )

    page = client.get(reverse("public:organization", args=[organization.pk]))
    text = client.get(
        reverse("public:document", args=[organization.pk, extract.pk])
    ).text

    assert "Взаимопосещение уроков молодыми педагогами" in page.text
    assert "Положение о системе наставничества" in page.text
    assert "(черновик)" not in page.text
    assert "Корнилова А.М." in page.text  # the curator consented: the roadmap names her
    for person in named:
        assert person.full_name in text
    assert unnamed[0].last_name not in text
    draft = Post.objects.get(organization=organization, status=Post.Status.DRAFT)
    assert (
        client.get(reverse("public:post", args=[organization.pk, draft.pk])).status_code
        == 404
    )
