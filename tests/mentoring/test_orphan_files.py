"""A stored file no record holds is removed, whatever left it (issue 12)."""

import os
import stat
import time
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import models, transaction
from django.utils import timezone

from mentoring import services
from mentoring.models import Consent
from mentoring.services.files import FILE_FIELDS
from tests.factories import PersonFactory, UserFactory
from tests.mentoring.test_people_import import STAFF_ROWS, upload, xlsx

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n% scanned consent\n"


def today():
    # At run time, not import: a run may cross midnight in the school's zone.
    return timezone.localdate()


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def _files(media):
    return sorted(
        p.relative_to(media).as_posix() for p in media.rglob("*") if p.is_file()
    )


def _age(media, hours=2):
    past = time.time() - hours * 3600
    for path in media.rglob("*"):
        if path.is_file():
            os.utime(path, (past, past))


def _give(person, name="scan.pdf"):
    return services.give_consent(
        person=person,
        kind=Consent.Kind.PERSONAL_DATA,
        given_on=today(),
        by=None,
        scan=SimpleUploadedFile(name, PDF),
    )


def test_the_scan_of_a_rolled_back_consent_is_removed_and_held_ones_stay(media, capsys):
    kept = _give(PersonFactory())
    with pytest.raises(RuntimeError), transaction.atomic():
        _give(PersonFactory())
        raise RuntimeError("a later row of the same form was refused")
    assert len(_files(media)) == 2
    _age(media)

    call_command("remove_orphan_files")

    assert _files(media) == [kept.scan.name]
    assert "Removed files: 1" in capsys.readouterr().out


def test_the_scans_of_a_deleted_person_are_removed(media):
    person = PersonFactory()
    _give(person)
    person.delete()
    _age(media)

    call_command("remove_orphan_files")

    assert _files(media) == []


def test_a_file_younger_than_an_hour_may_still_be_committed_and_stays(media):
    with pytest.raises(RuntimeError), transaction.atomic():
        _give(PersonFactory())
        raise RuntimeError

    call_command("remove_orphan_files")

    assert len(_files(media)) == 1


def test_every_file_field_of_our_models_is_swept():
    fields = {
        (field.model, field.name)
        for config in apps.get_app_configs()
        if Path(config.path).parent == Path(django_settings.BASE_DIR)
        for model in config.get_models()
        for field in model._meta.get_fields()
        if isinstance(field, models.FileField)
    }

    assert fields == set(FILE_FIELDS.values())


def test_an_import_preview_is_readable_by_the_owner_only(client, media):
    curator = UserFactory(curator=True)
    client.force_login(curator)

    response = upload(
        client, xlsx(STAFF_ROWS), "список.xlsx", organization=curator.organization
    )

    assert response.status_code == 302
    (kept,) = (media / "imports").iterdir()
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600
    assert stat.S_IMODE((media / "imports").stat().st_mode) == 0o700
