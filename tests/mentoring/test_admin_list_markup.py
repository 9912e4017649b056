"""The change lists build their rows without Django's per-row machinery
(mentoring/admin/lists.py) and must still print Django's own markup."""

import pytest
from django.contrib import admin
from django.contrib.admin.templatetags.admin_list import _boolean_icon
from django.urls import reverse

from mentoring.models import Person
from tests.factories import ConsentFactory, PersonFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_the_persons_list_prints_djangos_checkbox_link_and_icons(client):
    curator = UserFactory(curator=True)
    consented = PersonFactory(organization=curator.organization)
    ConsentFactory(person=consented)
    unconsented = PersonFactory(organization=curator.organization, male=True)
    client.force_login(curator)

    page = client.get(reverse("admin:mentoring_person_changelist")).text

    model_admin = admin.site.get_model_admin(Person)
    for person in (consented, unconsented):
        # What Django's own ModelAdmin.action_checkbox and change link give.
        assert admin.ModelAdmin.action_checkbox(model_admin, person) in page
        change_url = reverse("admin:mentoring_person_change", args=[person.pk])
        assert f'<a href="{change_url}">{person.full_name}</a>' in page
    # One row with a valid consent, one without; neither consents to transfer.
    assert page.count(str(_boolean_icon(True))) == 1
    assert page.count(str(_boolean_icon(False))) == 3
