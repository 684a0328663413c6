"""Mail sent by the worker: one attempt per task run, tried again later when the mail
server fails, and the outcome written to the audit log of what the mail is about."""

import logging
from collections.abc import Callable

from django.core.mail import EmailMessage
from django.db import models, transaction
from django_tasks.base import Task

from postdesk.core import audit, jobs
from postdesk.core.models import AuditEntry

logger = logging.getLogger("postdesk")


def deliver(
    build: Callable[[], EmailMessage],
    *,
    about: models.Model,
    what: str,
    task: Task,
    task_args: tuple,
    attempt: int,
) -> str:
    """Build the message and send it, recording in `about`'s audit log that `what` was
    mailed. When sending fails, `task` is enqueued again with `task_args` for the next
    attempt; after the last one, or when the message cannot be built at all (which no
    wait mends), the failure is recorded. A failed attempt re-raises, so that the task's
    result says FAILED and keeps the traceback."""
    try:
        message = build()
    except Exception as exc:
        _record(about, what, [], attempt, exc)
        raise
    try:
        message.send()
    # smtplib.SMTPException and the socket's errors (refused, timed out) are OSErrors.
    except OSError as exc:
        retry_at = jobs.retry_later(task, *task_args, attempt=attempt)
        if retry_at is None:
            _record(about, what, message.to, attempt, exc)
        else:
            logger.warning(
                "%s: attempt %d of %d failed (%s); next at %s",
                what,
                attempt,
                jobs.MAX_ATTEMPTS,
                exc,
                retry_at.isoformat(),
            )
        raise
    _record(about, what, message.to, attempt)
    return f"{what} mailed to {', '.join(message.to)}"


@transaction.atomic
def _record(about, what: str, to: list[str], attempts: int, error: Exception | None = None):
    changes = {"mail": what, "to": list(to), "attempts": attempts}
    if error is None:
        summary = f"Mailed {what} to {', '.join(to)}"
    else:
        changes["error"] = f"{type(error).__name__}: {error}"
        summary = f"Could not mail {what} after {attempts} attempt(s): {error}"
    audit.record(audit.WORKER, about, AuditEntry.Action.TRANSITION, changes, summary)
