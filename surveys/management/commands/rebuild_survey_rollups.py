from django.core.management.base import BaseCommand

from surveys.rollups import rebuild


class Command(BaseCommand):
    help = (
        "Build the roll-ups of the survey answers anew from the answers, in one "
        "transaction, and turn their triggers back on. Run after a bulk load "
        "with triggers off, or when the monitoring page says its figures are "
        "behind."
    )

    def handle(self, *args, **options):
        rows = rebuild()
        self.stdout.write(f"Roll-up rows written: {rows}")
