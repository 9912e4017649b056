"""The admin site builds its app list only when a page prints it
(mentoring/admin_site.py), and otherwise gives every page Django's context."""

import pytest
from django.contrib import admin
from django.test import RequestFactory
from django.utils.functional import SimpleLazyObject

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_each_context_is_djangos_with_the_app_list_built_when_read():
    request = RequestFactory().get("/admin/")
    request.user = UserFactory(curator=True)

    ours = admin.site.each_context(request)
    djangos = admin.AdminSite.each_context(admin.site, request)

    assert admin.site.__class__ is not admin.AdminSite
    assert isinstance(ours["available_apps"], SimpleLazyObject)
    assert ours.keys() == djangos.keys()
    for key in ours.keys() - {"available_apps", "log_entries"}:
        assert ours[key] == djangos[key], key
    assert list(ours["log_entries"]) == list(djangos["log_entries"])
    # Read, the lazy list is Django's, the curator's models in it.
    assert list(ours["available_apps"]) == djangos["available_apps"]
    assert any(app["app_label"] == "mentoring" for app in djangos["available_apps"])
