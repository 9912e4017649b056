"""The three real roadmaps (../shared/seeds/), entered as data in
fixtures/roadmaps/, built through the public services."""

from __future__ import annotations

import datetime
import json
from pathlib import Path

from roadmap import services
from roadmap.models import Roadmap
from tests.factories import OrganizationFactory, PersonFactory

SEEDS = Path(__file__).resolve().parents[2] / "fixtures" / "roadmaps"
SEED_NAMES = [
    "seed_gymnasium_513_2023",
    "seed_cvr_mezhgorye_2024",
    "seed_kindergarten_15_2023",
]


def seed_data(name: str) -> dict:
    return json.loads((SEEDS / f"{name}.json").read_text(encoding="utf-8"))


def load_seed(name: str) -> Roadmap:
    data = seed_data(name)
    organization = OrganizationFactory(**data["organization"])
    people = {
        row["key"]: PersonFactory(
            organization=organization,
            **{k: v for k, v in row.items() if k != "key"},
        )
        for row in data["people"]
    }
    fields = dict(data["roadmap"])
    for key in ("approval_order_on", "adopted_on"):
        if fields.get(key):
            fields[key] = datetime.date.fromisoformat(fields[key])
    roadmap = services.create_roadmap(by=None, organization=organization, **fields)
    for stage_data in data["stages"]:
        stage = services.add_stage(
            by=None,
            roadmap=roadmap,
            number=stage_data["number"],
            name=stage_data["name"],
        )
        for row in stage_data["activities"]:
            services.add_activity(
                by=None,
                stage=stage,
                content=row["content"],
                deadline_text=row.get("deadline", ""),
                responsible=[people[key] for key in row.get("responsible", [])],
                responsible_roles=row.get("roles", ""),
                code=row.get("code", ""),
            )
    return roadmap
