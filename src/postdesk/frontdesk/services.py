"""Writes of the runner board; each audited in its transaction.

Every change of a task's state is one conditional UPDATE (`WHERE id = ? AND status IN
(...)`): when two runners claim one task at once, the database lets one UPDATE match the
row and the other finds it no longer open (PostgreSQL re-reads the row after the first
commits; SQLite runs writers one at a time), so exactly one wins and the other gets a
Conflict (409), with no lock held across the request.
"""

import datetime

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from postdesk.core import audit, crud, events
from postdesk.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from postdesk.core.models import AuditEntry
from postdesk.core.roles import ASSIGN_TASKS, RUN_TASKS, USE_RUNNER_BOARD, can
from postdesk.core.timeutil import require_instant
from postdesk.frontdesk import media_moves
from postdesk.frontdesk.models import RunnerTask

Status = RunnerTask.Status
LIVE = (Status.OPEN, Status.CLAIMED, Status.STARTED)


def _need(actor, capability: str, what: str) -> None:
    if not can(actor, capability):
        raise Forbidden(f"Your role may not {what}", details={"needs": capability})


@transaction.atomic
def post_task(
    *,
    actor,
    title: str,
    place: str,
    priority: str = RunnerTask.Priority.NORMAL,
    due_at: datetime.datetime | None = None,
    details: str = "",
    media=None,
    move_to=None,
    now: datetime.datetime | None = None,
) -> RunnerTask:
    """Anyone on the staff posts a task; it is open until a runner claims it. A media
    move names the item (`media`: an item or its barcode) and where it goes (`move_to`:
    a library location or its id); finishing it moves the item there."""
    _need(actor, USE_RUNNER_BOARD, "post runner tasks")
    now = now or timezone.now()
    if due_at is not None:
        due_at = require_instant(due_at, "due_at")
    media_item, move_to = media_moves.resolve(media, move_to)
    return crud.create(
        RunnerTask,
        actor=actor,
        title=title,
        place=place,
        priority=priority,
        due_at=due_at,
        details=details,
        posted_by=actor,
        media_item=media_item,
        move_to=move_to,
        created_at=now,
        updated_at=now,
    )


def _move(task_id: int, *, actor, allowed: tuple, changes: dict, only_runner=None, verb: str):
    """Move the task from one of `allowed` states with one conditional UPDATE; a task in
    any other state (or someone else's, when `only_runner` is given) is a Conflict."""
    rows = RunnerTask.objects.filter(pk=task_id, status__in=allowed)
    if only_runner is not None:
        rows = rows.filter(runner=only_runner)
    if rows.update(version=F("version") + 1, **changes) == 1:
        task = RunnerTask.objects.select_related(
            "posted_by", "runner", "media_item", "move_to"
        ).get(pk=task_id)
        audit.record(
            actor,
            task,
            AuditEntry.Action.TRANSITION,
            audit.diff({}, {k: v for k, v in changes.items() if k != "updated_at"}),
            f"{verb} runner task: {task.title}",
        )
        return task
    task = RunnerTask.objects.select_related("runner").filter(pk=task_id).first()
    if task is None:
        raise NotFound("No such runner task")
    if task.status not in allowed:
        who = f" by {task.runner.display_name}" if task.runner else ""
        raise Conflict(
            f"This task is {task.get_status_display().lower()}{who}; it cannot be {verb} now",
            details={"status": task.status, "runner": task.runner_id},
            code="task_taken" if task.status != Status.OPEN else "conflict",
        )
    raise Conflict(
        f"This task is {task.runner.display_name if task.runner else 'nobody'}'s, not yours",
        details={"status": task.status, "runner": task.runner_id},
    )


@transaction.atomic
def claim_task(task_id: int, *, actor) -> RunnerTask:
    """The runner takes an open task; of two claiming at once, one wins, one gets 409."""
    _need(actor, RUN_TASKS, "claim runner tasks")
    now = timezone.now()
    return _move(
        task_id,
        actor=actor,
        allowed=(Status.OPEN,),
        changes={"status": Status.CLAIMED, "runner": actor, "claimed_at": now, "updated_at": now},
        verb="claimed",
    )


@transaction.atomic
def assign_task(task_id: int, *, actor, runner) -> RunnerTask:
    """The head runner gives an open (or someone's not yet started) task to a runner."""
    _need(actor, ASSIGN_TASKS, "assign runner tasks")
    if runner is None or not runner.is_active or not can(runner, RUN_TASKS):
        raise InvalidInput.field("runner", "Tasks go to active runners only")
    now = timezone.now()
    return _move(
        task_id,
        actor=actor,
        allowed=(Status.OPEN, Status.CLAIMED),
        changes={"status": Status.CLAIMED, "runner": runner, "claimed_at": now, "updated_at": now},
        verb="assigned",
    )


@transaction.atomic
def start_task(task_id: int, *, actor) -> RunnerTask:
    """The task's runner sets off."""
    _need(actor, RUN_TASKS, "run tasks")
    now = timezone.now()
    return _move(
        task_id,
        actor=actor,
        allowed=(Status.CLAIMED,),
        changes={"status": Status.STARTED, "started_at": now, "updated_at": now},
        only_runner=actor,
        verb="started",
    )


@transaction.atomic
def finish_task(task_id: int, *, actor) -> RunnerTask:
    """The task's runner is done (a claimed task may be finished without a start). A
    media move finishes with the library's custody move, in the same transaction: if the
    library refuses it (the item is with a courier, destroyed...), the task stays open
    and the runner is told why."""
    _need(actor, RUN_TASKS, "run tasks")
    now = timezone.now()
    task = _move(
        task_id,
        actor=actor,
        allowed=(Status.CLAIMED, Status.STARTED),
        changes={"status": Status.DONE, "finished_at": now, "updated_at": now},
        only_runner=actor,
        verb="finished",
    )
    if task.media_item_id is not None:
        media_moves.deliver(task, actor=actor)
    events.publish(events.RUNNER_TASK_DONE, subject=task, actor=actor)
    return task


@transaction.atomic
def cancel_task(task_id: int, *, actor) -> RunnerTask:
    """The poster, or a head runner, withdraws a task not yet done."""
    task = RunnerTask.objects.filter(pk=task_id).only("posted_by_id").first()
    if task is None:
        raise NotFound("No such runner task")
    if task.posted_by_id != actor.pk and not can(actor, ASSIGN_TASKS):
        raise Forbidden("Only the poster or a head runner may cancel a task")
    now = timezone.now()
    return _move(
        task_id,
        actor=actor,
        allowed=LIVE,
        changes={"status": Status.CANCELLED, "finished_at": now, "updated_at": now},
        verb="cancelled",
    )
