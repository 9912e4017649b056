import datetime

from django.core.management.base import BaseCommand

from mentoring.services.destruction import destroy_expired_personal_data


class Command(BaseCommand):
    help = (
        "Destroy (anonymise) the personal data of people whose consent to "
        "processing was withdrawn or expired PERSONAL_DATA_DESTRUCTION_DAYS ago, "
        "unless another legal basis is recorded; write an act per organization. "
        "Idempotent; run daily from a timer, after apply_consent_expiries."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--on",
            type=datetime.date.fromisoformat,
            default=None,
            help="The day to apply (YYYY-MM-DD); today by default.",
        )

    def handle(self, *args, **options):
        run = destroy_expired_personal_data(on=options["on"])
        for act in run.acts:
            ids = ", ".join(str(entry["person"]) for entry in act.entries)
            self.stdout.write(
                f"Act {act.number} ({act.organization.short_name}): destroyed {ids}"
            )
        for kept in run.kept:
            self.stdout.write(f"Kept {kept.person.pk}: {kept.reason}")
        self.stdout.write(
            f"Destroyed: {len(run.destroyed)}; kept on another basis: "
            f"{len(run.kept)}; acts: {len(run.acts)}"
        )
