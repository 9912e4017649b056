"""An approved pair's page writes only its result, through a service."""

import pytest
from django.urls import reverse

from mentoring.models import AuditEntry, Pair
from tests.factories import PairFactory, UserFactory
from tests.mentoring.admin_helpers import admin_form_data

pytestmark = pytest.mark.django_db


def test_an_approved_pairs_result_is_audited_and_its_status_stays(client):
    pair = PairFactory(active=True)
    curator = UserFactory(curator=True, organization=pair.organization)
    client.force_login(curator)
    url = reverse("admin:mentoring_pair_change", args=[pair.pk])
    data = admin_form_data(
        client.get(url),
        result="Молодой педагог провёл открытый урок",
        status=Pair.Status.COMPLETED,  # forged: only the actions move it
        closed_on="01.06.2027",
        ends_on="01.01.2030",
    )

    response = client.post(url, data)

    assert response.status_code == 302
    saved = Pair.objects.get(pk=pair.pk)
    assert saved.result == "Молодой педагог провёл открытый урок"
    assert (saved.status, saved.closed_on, saved.ends_on) == (
        Pair.Status.ACTIVE,
        None,
        pair.ends_on,
    )
    entry = AuditEntry.objects.get(action="pair.result_recorded")
    assert entry.actor == curator
