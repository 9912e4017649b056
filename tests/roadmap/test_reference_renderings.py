"""The printed roadmaps look as their reference renderings, every page
(tests/reference_images.py; UPDATE_REFERENCE=1 rewrites them)."""

from pathlib import Path

import pytest

from roadmap.documents import roadmap_pdf
from roadmap.models import Roadmap
from roadmap.services import create_roadmap_from_template
from tests.factories import DistrictFactory
from tests.reference_images import assert_matches_reference
from tests.roadmap.seeds import load_seed

pytestmark = pytest.mark.django_db

REFERENCE = Path(__file__).parent / "reference"


@pytest.mark.parametrize("name", ["seed_gymnasium_513_2023", "seed_cvr_mezhgorye_2024"])
def test_a_seed_roadmap_looks_as_its_reference(name, tmp_path):
    assert_matches_reference(roadmap_pdf(load_seed(name)), REFERENCE, name, tmp_path)


def test_the_district_template_looks_as_its_reference(tmp_path):
    template = Roadmap.objects.get(is_template=True, code="district")
    roadmap = create_roadmap_from_template(
        template=template, by=None, year=2025, district=DistrictFactory()
    )
    assert_matches_reference(
        roadmap_pdf(roadmap), REFERENCE, "template_district", tmp_path
    )
