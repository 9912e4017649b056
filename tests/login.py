"""Logging in as a person does: through the login page, which axes watches.

`Client.login()` calls `authenticate()` without a request, and the axes
backend refuses that; `force_login` skips the password altogether.
"""

from django.urls import reverse


def log_in(client, username: str, password: str) -> bool:
    """True if the login page let the client in."""
    response = client.post(
        reverse("login"), {"username": username, "password": password}
    )
    return response.status_code == 302
