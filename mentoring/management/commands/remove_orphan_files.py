from django.core.management.base import BaseCommand

from mentoring.services.files import remove_orphan_files


class Command(BaseCommand):
    help = (
        "Remove stored files (scans, signed orders) that no record holds: left by "
        "a rolled-back upload or a deleted record. Run daily from a timer."
    )

    def handle(self, *args, **options):
        removed = remove_orphan_files()
        self.stdout.write(f"Removed files: {len(removed)}")
