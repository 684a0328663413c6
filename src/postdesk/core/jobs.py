"""Background tasks as services use them: enqueued once the transaction commits, and a
failed attempt tried again later, a bounded number of times.

A service names its task by dotted path and never imports the tasks module: tasks import
services to do their work, so an import the other way would make the two a circle in
which each may find the other half-loaded.
"""

import datetime
import functools

from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks.base import Task

# django-tasks 0.12 runs a task once: an exception marks its result FAILED and nothing runs
# it again. A mail server restarting or a network blip is worth waiting out, so a task
# whose attempt failed enqueues the next attempt itself, after these waits: four attempts
# in about 36 minutes, then the task gives up.
RETRY_DELAYS = (
    datetime.timedelta(minutes=1),
    datetime.timedelta(minutes=5),
    datetime.timedelta(minutes=30),
)
MAX_ATTEMPTS = len(RETRY_DELAYS) + 1


def enqueue_on_commit(task_path: str, *args, run_after: datetime.datetime | None = None) -> None:
    """Enqueue the task at `task_path` with `args` once the current transaction commits
    (never, if it rolls back), to run no sooner than `run_after`."""
    # robust: the change is committed by then; a queue that cannot be written is logged,
    # and must not turn the request that made the change into an error.
    transaction.on_commit(functools.partial(_enqueue, task_path, args, run_after), robust=True)


def _enqueue(task_path: str, args: tuple, run_after: datetime.datetime | None) -> None:
    task = import_string(task_path)
    if run_after is not None:
        task = task.using(run_after=run_after)
    task.enqueue(*args)


def retry_later(task: Task, *args, attempt: int) -> datetime.datetime | None:
    """Enqueue attempt `attempt + 1` of `task` with `args` after its wait, and return when it
    may run; None (nothing enqueued) when `attempt` was the last one allowed."""
    if attempt >= MAX_ATTEMPTS:
        return None
    run_after = timezone.now() + RETRY_DELAYS[attempt - 1]
    task.using(run_after=run_after).enqueue(*args, attempt=attempt + 1)
    return run_after


def next_local(at: datetime.time, *, now: datetime.datetime | None = None) -> datetime.datetime:
    """The next time the facility's clocks show `at` (today's if still ahead, else
    tomorrow's), as an aware instant."""
    from postdesk.core.timeutil import facility_zone, local_at

    zone = facility_zone()
    now = now or timezone.now()
    day = now.astimezone(zone).date()
    when = local_at(day, at, zone)
    if when <= now:
        when = local_at(day + datetime.timedelta(days=1), at, zone)
    return when


def enqueue_daily(task_path: str, at: datetime.time, *, now=None) -> datetime.datetime | None:
    """Enqueue the task at `task_path` (no arguments) for the next `at`, facility time,
    unless a run of it is already waiting; returns when it will run, None if one waits.
    A daily task calls this when it runs, and its start-up sweep too, so that one chain
    of runs goes on however often the worker restarts."""
    from django_tasks_db.models import DBTaskResult

    if DBTaskResult.objects.filter(task_path=task_path, status="READY").exists():
        return None
    run_after = next_local(at, now=now)
    import_string(task_path).using(run_after=run_after).enqueue()
    return run_after
