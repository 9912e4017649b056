"""Regions above districts, and the regional mentoring centre's role.

District.region was free text («Санкт-Петербург»); each distinct text becomes
a Region row and the district points at it, so nothing typed is lost.
"""

import django.db.models.deletion
from django.db import migrations, models


def regions_from_text(apps, schema_editor):
    District = apps.get_model("mentoring", "District")
    Region = apps.get_model("mentoring", "Region")
    for district in District.objects.exclude(region_name=""):
        region, _ = Region.objects.get_or_create(name=district.region_name.strip())
        district.region = region
        district.save(update_fields=["region"])


def text_from_regions(apps, schema_editor):
    District = apps.get_model("mentoring", "District")
    for district in District.objects.filter(region__isnull=False).select_related(
        "region"
    ):
        district.region_name = district.region.name
        district.save(update_fields=["region_name"])


class Migration(migrations.Migration):
    dependencies = [
        ("mentoring", "0019_program_results"),
    ]

    operations = [
        migrations.CreateModel(
            name="Region",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True,
                        primary_key=True,
                        serialize=False,
                        verbose_name="ID",
                    ),
                ),
                (
                    "name",
                    models.CharField(
                        max_length=255, unique=True, verbose_name="наименование"
                    ),
                ),
            ],
            options={
                "verbose_name": "субъект РФ",
                "verbose_name_plural": "субъекты РФ",
                "ordering": ["name"],
            },
        ),
        migrations.RenameField(
            model_name="district", old_name="region", new_name="region_name"
        ),
        migrations.AddField(
            model_name="district",
            name="region",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="districts",
                to="mentoring.region",
                verbose_name="субъект РФ",
            ),
        ),
        migrations.RunPython(regions_from_text, text_from_regions),
        migrations.RemoveField(model_name="district", name="region_name"),
        migrations.AlterField(
            model_name="user",
            name="role",
            field=models.CharField(
                choices=[
                    ("curator", "Куратор"),
                    ("director", "Руководитель"),
                    ("psychologist", "Педагог-психолог"),
                    ("methodologist", "Методист района"),
                    ("participant", "Участник (наставник, наставляемый)"),
                    ("regional", "Региональный центр наставничества"),
                ],
                default="participant",
                max_length=20,
                verbose_name="роль",
            ),
        ),
        migrations.AddField(
            model_name="user",
            name="region",
            field=models.ForeignKey(
                blank=True,
                help_text="Для регионального центра наставничества.",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="users",
                to="mentoring.region",
                verbose_name="субъект РФ",
            ),
        ),
        migrations.AddConstraint(
            model_name="user",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("role", "regional"), _negated=True),
                    ("region__isnull", False),
                    _connector="OR",
                ),
                name="user_regional_has_region",
                violation_error_message=(
                    "Региональному центру наставничества нужен субъект РФ."
                ),
            ),
        ),
    ]
