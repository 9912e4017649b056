"""Roadmaps from the school's own files: Word tables with merged stage cells
and numbered paragraphs, spreadsheets with typed numbers, a Russian Excel CSV;
printed back with nothing lost; a second import changes nothing."""

import io

import pytest
from django.core.management import call_command

from mentoring.models import AuditEntry
from roadmap.documents import roadmap_pdf
from roadmap.models import Roadmap
from tests.roadmap.pdf_text import assert_in_order, pdf_table_text, pdf_text
from tests.roadmap.seed_files import (
    columns,
    responsible,
    seed_docx,
    seed_organization,
    seed_xlsx,
)
from tests.roadmap.seeds import SEED_NAMES, seed_data

pytestmark = pytest.mark.django_db

FILES = {
    "docx": lambda name: seed_docx(name),
    "xlsx": lambda name: seed_xlsx(name, stage_on="first"),
    "xlsx-every-row": lambda name: seed_xlsx(name, stage_on="every"),
    "xlsx-own-row": lambda name: seed_xlsx(name, stage_on="own"),
}


def _write(tmp_path, name: str, content: bytes):
    path = tmp_path / name
    path.write_bytes(content)
    return str(path)


def _command(*args) -> str:
    out, err = io.StringIO(), io.StringIO()
    call_command("import_roadmap", *args, stdout=out, stderr=err)
    return out.getvalue()


def assert_printed_as_source(name: str, pdf: bytes) -> None:
    """Every stage, item, deadline and responsible party of the seed, in order."""
    data = seed_data(name)
    text = pdf_table_text(pdf)
    stages = data["stages"]
    assert_in_order(text, [s["number"] for s in stages])
    assert_in_order(text, [s["name"] for s in stages])
    assert_in_order(text, [a["content"] for s in stages for a in s["activities"]])
    for stage in stages:
        for activity in stage["activities"]:
            if activity.get("deadline"):
                assert_in_order(text, [activity["deadline"]])
            for line in responsible(data, activity):
                assert_in_order(text, [line])
    assert_in_order(pdf_text(pdf), columns(data))


@pytest.mark.parametrize("kind", FILES)
@pytest.mark.parametrize("name", SEED_NAMES)
def test_seed_imported_by_command_prints_everything_and_reimports_unchanged(
    tmp_path, name, kind
):
    organization = seed_organization(name)
    extension = kind.split("-")[0]
    path = _write(tmp_path, f"карта.{extension}", FILES[kind](name))

    data = seed_data(name)
    year = str(data["roadmap"]["year"])

    out = _command(path, "--organization", str(organization.pk), "--year", year)

    roadmap = Roadmap.objects.get(organization=organization)
    assert f"id {roadmap.pk}" in out
    assert list(roadmap.stages.values_list("number", "name")) == [
        (s["number"], s["name"]) for s in data["stages"]
    ]
    assert_printed_as_source(name, roadmap_pdf(roadmap))

    audit_before = AuditEntry.objects.count()
    again = _command(path, "--organization", str(organization.pk), "--year", year)

    assert "Добавлено: 0" in again and "Изменено: 0" in again and "Удалено: 0" in again
    assert Roadmap.objects.filter(organization=organization).count() == 1
    assert AuditEntry.objects.count() == audit_before
