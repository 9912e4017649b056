"""The request's session and user, read in SQL of our own (config/sessions.py,
mentoring.permissions.RoleBackend.get_user), behave as Django's reads."""

import pytest
from django.contrib.sessions.models import Session
from django.urls import reverse

from tests.factories import UserFactory

HOME = reverse("mentoring:home")


def _signed_out(response) -> bool:
    return response.status_code == 302 and response["Location"].startswith(
        reverse("login")
    )


@pytest.mark.django_db
def test_a_session_brings_its_user_while_both_are_valid(client):
    user = UserFactory(director=True, first_name="Анна")
    client.force_login(user)

    response = client.get(HOME)
    assert response.status_code == 200
    assert response.wsgi_request.user == user
    assert response.wsgi_request.user.first_name == "Анна"
    assert response.wsgi_request.user.organization_id == user.organization_id

    user.is_active = False
    user.save(update_fields=["is_active"])
    assert _signed_out(client.get(HOME))

    other = UserFactory(director=True)
    client.force_login(other)
    assert client.get(HOME).status_code == 200
    other.delete()
    assert _signed_out(client.get(HOME))

    client.force_login(UserFactory(director=True))
    Session.objects.filter(session_key=client.session.session_key).delete()
    response = client.get(HOME)
    assert _signed_out(response)
    # An unknown key is dropped, as Django drops it.
    assert response.wsgi_request.session.session_key is None
