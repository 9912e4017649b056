"""Tasks a scheduler may enqueue (DESIGN.md §4: long work runs as tasks)."""

from django_tasks import task

from .services import send_roadmap_reminders


@task()
def send_roadmap_reminders_task(days: int = 14) -> int:
    return send_roadmap_reminders(days=days)
