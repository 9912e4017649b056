"""Background work of the mentoring app (django-tasks; DESIGN.md §4)."""

from django_tasks import task

from mentoring.services import apply_consent_expiries
from mentoring.services.destruction import destroy_expired_personal_data
from mentoring.services.matching import perform_matching


@task()
def apply_consent_expiries_task() -> int:
    """Enqueue daily from a timer, or run `manage.py apply_consent_expiries`."""
    done = apply_consent_expiries()
    return len(done.archived) + len(done.suspended)


@task()
def destroy_expired_personal_data_task() -> int:
    """Enqueue daily from a timer, or run `manage.py destroy_expired_personal_data`."""
    return len(destroy_expired_personal_data().destroyed)


@task()
def run_matching_task(run_id: int) -> str:
    """Compute a run queued from the matching page (`start_matching`)."""
    return perform_matching(run_id=run_id).status
