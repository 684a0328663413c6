"""Reads of the runner board: its rows, its ETag and the statistics."""

import datetime
import hashlib
import statistics

from django.db.models import Case, Count, F, Max, Q, Sum, Value, When
from django.utils import timezone

from postdesk.core.roles import ASSIGN_TASKS, ROLES, RUN_TASKS, can, role_of
from postdesk.core.timeutil import facility_zone, local_day_bounds
from postdesk.frontdesk.models import RunnerTask

Status = RunnerTask.Status
LIVE = (Status.OPEN, Status.CLAIMED, Status.STARTED)
PRIORITY_RANK = {"urgent": 0, "normal": 1, "low": 2}
# The statistics read at most this many finished tasks (the latest), so their cost stays
# bounded however long the facility has run.
STATS_ROWS = 2000
# What a row of the board shows besides the task: who, and a media move's item and place.
ROW_RELATED = ("posted_by", "runner", "media_item", "move_to")


def day_start(now: datetime.datetime | None = None) -> datetime.datetime:
    """The start of the facility's local day holding `now`: the board shows the tasks that
    ended since then."""
    now = now or timezone.now()
    return local_day_bounds(timezone.localtime(now, facility_zone()).date(), facility_zone())[0]


def board_rows(now: datetime.datetime | None = None):
    """The tasks on the board: every live one, and those that ended today."""
    return RunnerTask.objects.filter(Q(status__in=LIVE) | Q(updated_at__gte=day_start(now)))


def board_etag(user, now: datetime.datetime | None = None) -> str:
    """The board's ETag from one aggregate over the board's rows (the index on status and
    updated_at serves both halves of the filter): count, sum of versions and the latest
    change move with every committed write, since a task is never deleted and every write
    bumps its version."""
    since = day_start(now)
    totals = board_rows(now).aggregate(n=Count("id"), v=Sum("version"), last=Max("updated_at"))
    key = repr(
        (
            since.isoformat(),
            user.pk,
            role_of(user),  # what a reader may do on a row depends on the role
            totals["n"],
            int(totals["v"] or 0),
            totals["last"].isoformat() if totals["last"] else None,
        )
    )
    return 'W/"' + hashlib.blake2b(key.encode(), digest_size=12).hexdigest() + '"'


def _iso(value):
    return value.isoformat() if value else None


def _row(task: RunnerTask) -> dict:
    return {
        "id": task.pk,
        "title": task.title,
        "place": task.place,
        "details": task.details,
        "priority": task.priority,
        "status": task.status,
        "due_at": _iso(task.due_at),
        "posted_by": task.posted_by.display_name,
        "posted_by_id": task.posted_by_id,
        "runner": task.runner.display_name if task.runner else None,
        "runner_id": task.runner_id,
        "created_at": _iso(task.created_at),
        "claimed_at": _iso(task.claimed_at),
        "started_at": _iso(task.started_at),
        "finished_at": _iso(task.finished_at),
        "version": task.version,
        "media": task.media_item.barcode if task.media_item_id else None,
        "move_to": task.move_to.name if task.move_to_id else None,
    }


def _sort_key(task: RunnerTask):
    # Live first, then urgent before normal before low, then the earliest due, then oldest.
    far = datetime.datetime.max.replace(tzinfo=datetime.UTC)
    return (
        task.status not in LIVE,
        PRIORITY_RANK.get(task.priority, 1),
        task.due_at or far,
        task.created_at,
        task.pk,
    )


def board(user, now: datetime.datetime | None = None) -> tuple[dict, str]:
    """The board's payload (tasks and what this user may do) and its ETag.

    The ETag is taken before the rows are read, so a change landing in between makes the
    next poll fetch again rather than be missed."""
    etag = board_etag(user, now)
    tasks = sorted(board_rows(now).select_related(*ROW_RELATED), key=_sort_key)
    payload = {
        "me": user.pk,
        "can_run": can(user, RUN_TASKS),
        "can_assign": can(user, ASSIGN_TASKS),
        "tasks": [_row(t) for t in tasks],
    }
    return payload, etag


def task(task_id: int) -> RunnerTask | None:
    return RunnerTask.objects.select_related(*ROW_RELATED).filter(pk=task_id).first()


def task_row(task: RunnerTask) -> dict:
    return _row(task)


def _minutes(values: list[float]) -> dict:
    if not values:
        return {"count": 0, "median_minutes": None, "mean_minutes": None}
    return {
        "count": len(values),
        "median_minutes": round(statistics.median(values), 1),
        "mean_minutes": round(statistics.fmean(values), 1),
    }


def stats(*, since: datetime.datetime, until: datetime.datetime) -> dict:
    """Time to claim (posted to claimed) and to finish (posted to done) of the tasks
    posted in [since, until), in minutes."""
    rows = RunnerTask.objects.filter(created_at__gte=since, created_at__lt=until).order_by(
        "-created_at"
    )[:STATS_ROWS]
    to_claim, to_finish, by_status = [], [], {}
    for created, claimed, finished, status in rows.values_list(
        "created_at", "claimed_at", "finished_at", "status"
    ):
        by_status[status] = by_status.get(status, 0) + 1
        if claimed:
            to_claim.append((claimed - created).total_seconds() / 60)
        if finished and status == Status.DONE:
            to_finish.append((finished - created).total_seconds() / 60)
    return {
        "since": since.isoformat(),
        "until": until.isoformat(),
        "posted": sum(by_status.values()),
        "by_status": by_status,
        "time_to_claim": _minutes(to_claim),
        "time_to_finish": _minutes(to_finish),
    }


def runners():
    """The active users who may run tasks, for the head runner's assign list."""
    from django.contrib.auth import get_user_model

    roles = [name for name, spec in ROLES.items() if RUN_TASKS in spec["capabilities"]]
    return (
        get_user_model()
        .objects.filter(is_active=True, groups__name__in=roles)
        .order_by("username")
        .distinct()
    )


def open_tasks():
    """Tasks no runner has claimed yet."""
    return RunnerTask.objects.filter(status=Status.OPEN)


def open_tasks_by_priority():
    """Unclaimed tasks as the board orders them: urgent first, then the earliest due
    (undated last), then the oldest."""
    rank = Case(
        *(When(priority=p, then=Value(r)) for p, r in PRIORITY_RANK.items()), default=Value(1)
    )
    return open_tasks().order_by(rank, F("due_at").asc(nulls_last=True), "created_at", "pk")
