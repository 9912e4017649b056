"""The demo school's roadmap shows every state on the page."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from mentoring.models import User
from roadmap.models import Roadmap

pytestmark = pytest.mark.django_db


def test_the_demo_school_has_this_years_roadmap_with_late_and_near_activities(
    client,
):
    call_command("load_demo", stdout=StringIO())
    director = User.objects.get(username="direktor")
    roadmap = Roadmap.objects.get(organization=director.organization)
    client.force_login(director)

    response = client.get(reverse("roadmap:detail", args=[roadmap.pk]))

    overview = response.context["overview"]
    assert overview.overdue == 1
    assert overview.due_soon >= 1
    assert overview.total == 17
    assert "Корнилова А.М." in response.text
