"""Bank entries carry their person's organization, kept by the database.

A school's bank was read by joining every school's entries to the school's
people; PostgreSQL hashed the whole district's table for one school's page
(issue 15). The column is written by a trigger on every insert and update of
an entry, and rewritten when a person moves to another organization, so no
code path (services, the admin, bulk loads) can leave it behind.
"""

import django.db.models.deletion
from django.db import migrations, models


TABLES = ("mentoring_mentorprofile", "mentoring_menteeprofile")

FORWARD = [
    """
    CREATE FUNCTION mentoring_bank_organization() RETURNS trigger AS $$
    BEGIN
        SELECT organization_id INTO NEW.organization_id
        FROM mentoring_person WHERE id = NEW.person_id;
        RETURN NEW;
    END
    $$ LANGUAGE plpgsql
    """,
    *(
        f"""
        CREATE TRIGGER {table}_organization BEFORE INSERT OR UPDATE ON {table}
        FOR EACH ROW EXECUTE FUNCTION mentoring_bank_organization()
        """
        for table in TABLES
    ),
    """
    CREATE FUNCTION mentoring_person_moved() RETURNS trigger AS $$
    BEGIN
        UPDATE mentoring_mentorprofile SET organization_id = NEW.organization_id
        WHERE person_id = NEW.id;
        UPDATE mentoring_menteeprofile SET organization_id = NEW.organization_id
        WHERE person_id = NEW.id;
        RETURN NULL;
    END
    $$ LANGUAGE plpgsql
    """,
    """
    CREATE TRIGGER mentoring_person_moved AFTER UPDATE OF organization_id
    ON mentoring_person FOR EACH ROW
    WHEN (OLD.organization_id IS DISTINCT FROM NEW.organization_id)
    EXECUTE FUNCTION mentoring_person_moved()
    """,
    # The insert-or-update trigger fills the column of the rows already there.
    *(f"UPDATE {table} SET person_id = person_id" for table in TABLES),
]
BACKWARD = [
    "DROP TRIGGER mentoring_person_moved ON mentoring_person",
    "DROP FUNCTION mentoring_person_moved()",
    *(f"DROP TRIGGER {table}_organization ON {table}" for table in TABLES),
    "DROP FUNCTION mentoring_bank_organization()",
]


class Migration(migrations.Migration):
    dependencies = [
        ("mentoring", "0022_document_batch"),
    ]

    operations = [
        migrations.AddField(
            model_name="menteeprofile",
            name="organization",
            field=models.ForeignKey(
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="mentoring.organization",
                verbose_name="организация",
            ),
        ),
        migrations.AddField(
            model_name="mentorprofile",
            name="organization",
            field=models.ForeignKey(
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="mentoring.organization",
                verbose_name="организация",
            ),
        ),
        migrations.RunSQL(FORWARD, BACKWARD),
    ]
