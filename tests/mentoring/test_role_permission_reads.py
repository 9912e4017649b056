"""A role's permissions come from the role; the user's and their groups'
permission rows are read only for a permission the role does not give
(mentoring/permissions.py, issue 15)."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mentoring.models import User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _permission_reads(captured) -> int:
    return sum('"auth_permission"' in q["sql"] for q in captured.captured_queries)


def test_a_curators_list_reads_no_permission_rows(client):
    client.force_login(UserFactory(curator=True))
    client.get(reverse("admin:mentoring_person_changelist"))  # the session settles

    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("admin:mentoring_person_changelist"))

    assert response.status_code == 200
    assert _permission_reads(captured) == 0


def test_a_permission_beyond_the_role_still_comes_from_the_users_groups():
    curator = UserFactory(curator=True)
    extra = Permission.objects.get(
        codename="add_user", content_type__app_label="mentoring"
    )
    group = Group.objects.create(name="Кадры")
    group.permissions.add(extra)
    curator.groups.add(group)
    curator = User.objects.get(pk=curator.pk)

    with CaptureQueriesContext(connection) as captured:
        assert curator.has_perm("mentoring.view_person")  # the role's
        assert curator.has_module_perms("mentoring")
    assert _permission_reads(captured) == 0
    assert curator.has_perm("mentoring.add_user")  # the group's, read now
    assert not curator.has_perm("mentoring.delete_user")
    assert _permission_reads(captured) == 0

    curator.is_active = False
    assert not curator.has_perm("mentoring.view_person")
    assert not curator.has_module_perms("mentoring")
