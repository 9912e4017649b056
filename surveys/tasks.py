"""Background work of the surveys app (django-tasks; DESIGN.md §4)."""

from django_tasks import task

from .reminders import send_feedback_reminders


@task()
def send_feedback_reminders_task() -> int:
    """Enqueue from a timer, or run `manage.py send_feedback_reminders`."""
    return send_feedback_reminders()
