"""All mail the site sends: rendered from templates, sent after commit, retried.

A letter is `templates/email/<name>_subject.txt`, `<name>_body.txt` and,
if present, `<name>_body.html`. `send_templated` renders it inside the
caller's transaction (so it tells what is being committed) and hands it to
a task only when that transaction commits: a rolled-back action mails
nothing. The mail server is never asked inside a request: the task sends,
and a failed send is logged and tried again later, a bounded number of
times, while the user's action has already succeeded.
"""

from __future__ import annotations

import datetime
import logging
import unicodedata
from collections.abc import Iterable

from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.utils import timezone
from django_tasks import task

logger = logging.getLogger(__name__)

# Minutes to wait before each further attempt: some fifteen hours in all, so a
# mail server down overnight still gets the letter out; then we give up (logged).
RETRY_DELAYS = (1, 5, 30, 120, 720)
MAX_ATTEMPTS = len(RETRY_DELAYS) + 1


def one_line(text: str) -> str:
    """A subject is one line, whatever the template or the titles it quotes
    hold: a line break in a header would end it (or refuse the letter)."""
    printable = "".join(" " if _is_control(char) else char for char in text)
    return " ".join(printable.split())


def _is_control(char: str) -> bool:
    return unicodedata.category(char) in {"Cc", "Zl", "Zp"}


def render(name: str, context: dict) -> tuple[str, str, str]:
    """(subject, text body, html body or "") of the letter `name`."""
    subject = one_line(render_to_string(f"email/{name}_subject.txt", context))
    body = render_to_string(f"email/{name}_body.txt", context)
    try:
        html = render_to_string(f"email/{name}_body.html", context)
    except TemplateDoesNotExist:
        html = ""
    return subject, body, html


def send_templated(*, name: str, to: Iterable[str], context: dict) -> None:
    """Render the letter now and send it once the current transaction commits."""
    recipients = sorted({address for address in to if address})
    if not recipients:
        return
    subject, body, html = render(name, context)
    # robust: a queue that cannot take the letter is logged, and the action
    # that committed still answers as done.
    transaction.on_commit(
        lambda: send_mail_task.enqueue(
            name=name, to=recipients, subject=subject, body=body, html=html
        ),
        robust=True,
    )


@task()
def send_mail_task(
    *, name: str, to: list[str], subject: str, body: str, html: str, attempt: int = 1
) -> None:
    """Send one letter; on failure, log it and queue the next attempt."""
    # Whoever queued the letter (a letter queued by older code included),
    # its subject goes out as one line.
    message = EmailMultiAlternatives(subject=one_line(subject), body=body, to=to)
    if html:
        message.attach_alternative(html, "text/html")
    try:
        message.send()
    except Exception:
        if attempt >= MAX_ATTEMPTS:
            logger.error(
                "Mail %s to %s not sent after %s attempts; giving up",
                name,
                ", ".join(to),
                attempt,
                exc_info=True,
            )
            raise
        delay = datetime.timedelta(minutes=RETRY_DELAYS[attempt - 1])
        logger.warning(
            "Mail %s to %s not sent (attempt %s of %s); next try in %s",
            name,
            ", ".join(to),
            attempt,
            MAX_ATTEMPTS,
            delay,
            exc_info=True,
        )
        _retry(
            delay=delay,
            name=name,
            to=to,
            subject=subject,
            body=body,
            html=html,
            attempt=attempt + 1,
        )
        # Failed, so the queue shows this attempt as failed, with its error.
        raise


def _retry(*, delay: datetime.timedelta, **kwargs) -> None:
    retry = send_mail_task
    # The immediate backend (development) cannot wait: it tries again at once.
    if retry.get_backend().supports_defer:
        retry = retry.using(run_after=timezone.now() + delay)
    retry.enqueue(**kwargs)
