from django.core.management.base import BaseCommand

from surveys.reminders import THRESHOLDS, send_feedback_reminders


class Command(BaseCommand):
    help = (
        "Mail mentors about meetings whose feedback is missing, once per meeting "
        f"and threshold ({', '.join(map(str, THRESHOLDS))} days after it). "
        "Run daily from a timer."
    )

    def handle(self, *args, **options):
        sent = send_feedback_reminders()
        self.stdout.write(f"Reminders sent: {sent}")
