"""The demo shows the report to a newcomer: the school's year has figures
to send, and the methodologist sees the school in the district's table."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from mentoring.models import User

pytestmark = pytest.mark.django_db


def test_the_demo_school_has_a_report_to_send_and_the_district_sees_it(client):
    call_command("load_demo", stdout=StringIO())
    curator = User.objects.get(username="kurator")
    client.force_login(curator)

    page = client.get(reverse("reports:index"), follow=True)

    assert page.context["report"].organization == curator.organization
    assert not page.context["report"].indicators.is_empty
    assert "Отправить отчёт в муниципалитет" in page.text
    client.force_login(User.objects.get(username="metodist"))
    district = client.get(reverse("reports:index"), follow=True)
    assert curator.organization.short_name in district.text
    assert "не отправлен" in district.text
