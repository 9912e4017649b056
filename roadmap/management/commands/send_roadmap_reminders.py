"""`manage.py send_roadmap_reminders --days 14`, run daily by a timer."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from roadmap.services import send_roadmap_reminders


class Command(BaseCommand):
    help = _(
        "Напомнить ответственным о мероприятиях дорожной карты, срок которых "
        "наступает в ближайшие N дней или истёк (каждое — один раз на порог)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=14)

    def handle(self, *args, days, **options):
        try:
            sent = send_roadmap_reminders(days=days)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        self.stdout.write(_("Отправлено писем: %(n)s.") % {"n": sent})
