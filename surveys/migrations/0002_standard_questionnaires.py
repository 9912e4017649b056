"""Load the standard questionnaires (fixtures/standard_questionnaires.json).

The code finds the feedback forms and the bank questionnaires by their codes,
so they come by migration (DOMAIN.md §d); curators edit them in the admin,
which creates new versions and leaves these rows' answers alone.
"""

import json
from pathlib import Path

from django.db import migrations

FIXTURE = (
    Path(__file__).resolve().parents[2] / "fixtures" / "standard_questionnaires.json"
)


def load_questionnaires(apps, schema_editor):
    Questionnaire = apps.get_model("surveys", "Questionnaire")
    Version = apps.get_model("surveys", "QuestionnaireVersion")
    Question = apps.get_model("surveys", "Question")
    for row in json.loads(FIXTURE.read_text(encoding="utf-8")):
        row = dict(row)
        questions = row.pop("questions")
        questionnaire, created = Questionnaire.objects.get_or_create(
            code=row.pop("code"), defaults={**row, "is_standard": True}
        )
        if not created:
            continue
        version = Version.objects.create(questionnaire=questionnaire, number=1)
        for position, question in enumerate(questions, start=1):
            question = dict(question)
            Question.objects.create(
                questionnaire=questionnaire,
                version=version,
                position=position,
                is_required=question.pop("required"),
                **question,
            )


def unload_questionnaires(apps, schema_editor):
    Questionnaire = apps.get_model("surveys", "Questionnaire")
    codes = [
        row["code"] for row in json.loads(FIXTURE.read_text(encoding="utf-8"))
    ]
    Questionnaire.objects.filter(code__in=codes, responses__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("surveys", "0001_questionnaires_and_responses")]

    operations = [
        migrations.RunPython(load_questionnaires, unload_questionnaires),
    ]
