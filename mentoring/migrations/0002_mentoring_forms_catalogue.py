"""Load the catalogue of mentoring forms (fixtures/mentoring_forms.json).

The code relies on these rows (their categories drive the pairing rules), so
they come by migration rather than by a command someone may forget to run.
"""

import json
from pathlib import Path

from django.db import migrations

FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "mentoring_forms.json"


def load_forms(apps, schema_editor):
    MentoringForm = apps.get_model("mentoring", "MentoringForm")
    for row in json.loads(FIXTURE.read_text(encoding="utf-8")):
        fields = dict(row["fields"])
        code = fields.pop("code")
        MentoringForm.objects.update_or_create(code=code, defaults=fields)


def unload_forms(apps, schema_editor):
    MentoringForm = apps.get_model("mentoring", "MentoringForm")
    codes = [row["fields"]["code"] for row in json.loads(FIXTURE.read_text(encoding="utf-8"))]
    MentoringForm.objects.filter(code__in=codes, pairs__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("mentoring", "0001_initial")]

    operations = [migrations.RunPython(load_forms, unload_forms)]
