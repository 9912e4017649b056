import datetime

from django.core.management.base import BaseCommand

from mentoring.services import apply_consent_expiries


class Command(BaseCommand):
    help = (
        "Apply consents that expired or were withdrawn as of today: archive the "
        "bank entries, suspend the pairs, cancel planned meetings. Idempotent; "
        "run daily from a timer."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--on",
            type=datetime.date.fromisoformat,
            default=None,
            help="The day to apply (YYYY-MM-DD); today by default.",
        )

    def handle(self, *args, **options):
        done = apply_consent_expiries(on=options["on"])
        self.stdout.write(
            f"Archived bank entries: {len(done.archived)}; "
            f"suspended pairs: {len(done.suspended)}; "
            f"cancelled meetings: {len(done.cancelled)}"
        )
