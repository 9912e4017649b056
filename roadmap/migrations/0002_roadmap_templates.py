"""Load the model roadmaps (fixtures/roadmap_templates.json).

The federal model roadmap for the mentoring of teachers (2021
recommendations), the one for students (Р-145 stages with sub-stages) and a
district one. A curator copies one into the year's roadmap in one step; the
copy reads each deadline's text into dates for the chosen year, so the
templates keep only the text.
"""

import json
from pathlib import Path

from django.db import migrations

FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "roadmap_templates.json"


def load_templates(apps, schema_editor):
    Roadmap = apps.get_model("roadmap", "Roadmap")
    Stage = apps.get_model("roadmap", "Stage")
    Activity = apps.get_model("roadmap", "Activity")
    for data in json.loads(FIXTURE.read_text(encoding="utf-8")):
        Roadmap.objects.filter(is_template=True, code=data["code"]).delete()
        roadmap = Roadmap.objects.create(
            is_template=True,
            code=data["code"],
            layout=data["layout"],
            year=data["year"],
            title=data["title"],
            preamble=data["preamble"],
        )
        for position, stage_data in enumerate(data["stages"]):
            stage = Stage.objects.create(
                roadmap=roadmap,
                position=position,
                number=stage_data["number"],
                name=stage_data["name"],
            )
            Activity.objects.bulk_create(
                Activity(
                    stage=stage,
                    position=index,
                    code=row.get("code", ""),
                    content=row["content"],
                    deadline_text=row.get("deadline", ""),
                    responsible_roles=row.get("roles", ""),
                )
                for index, row in enumerate(stage_data["activities"])
            )


def unload_templates(apps, schema_editor):
    Roadmap = apps.get_model("roadmap", "Roadmap")
    codes = [row["code"] for row in json.loads(FIXTURE.read_text(encoding="utf-8"))]
    Roadmap.objects.filter(is_template=True, code__in=codes).delete()


class Migration(migrations.Migration):
    dependencies = [("roadmap", "0001_roadmap_stages_activities")]

    operations = [migrations.RunPython(load_templates, unload_templates)]
