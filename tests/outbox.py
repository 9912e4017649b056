"""A mail server that is down, and the task worker, for tests of mail delivery."""

from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import call_command

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


class BrokenEmailBackend(BaseEmailBackend):
    """Every send fails, as when the mail server refuses connections."""

    def send_messages(self, email_messages):
        raise ConnectionRefusedError("The mail server is down (test backend).")


def run_queued_tasks() -> None:
    """Run every task that is due, as the `db_worker` service does, then stop."""
    call_command("db_worker", batch=True, startup_delay=False, reload=False)
