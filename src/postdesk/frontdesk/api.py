"""API of the front desk: the runner board (post, claim, assign, start, finish, cancel)."""

import datetime
from typing import Literal

from django.contrib.auth import get_user_model
from django.http import HttpRequest, HttpResponse
from ninja import Field, Query, Router, Status

from postdesk.core.apiutil import (
    Id,
    InputSchema,
    Instant,
    OutSchema,
    QuerySchema,
    require,
    shown,
)
from postdesk.core.errors import InvalidInput, NotFound
from postdesk.core.roles import ASSIGN_TASKS, USE_RUNNER_BOARD
from postdesk.frontdesk import queries, services

router = Router(tags=["frontdesk"])

Priority = Literal["low", "normal", "urgent"]
TaskStatus = Literal["open", "claimed", "started", "done", "cancelled"]
# The statistics' longest window: a year of tasks (and at most STATS_ROWS of them).
MAX_STATS_DAYS = 366


class RunnerTaskIn(InputSchema):
    title: str = Field(..., min_length=1, max_length=200)
    place: str = Field(..., min_length=1, max_length=100)
    details: str = Field("", max_length=2000)
    priority: Priority = "normal"
    due_at: Instant | None = None
    media: str | None = Field(
        None, max_length=40, description="A media move: the item's barcode (LIB-000123)"
    )
    move_to: Id | None = Field(None, description="A media move: the library location")


class RunnerAssignIn(InputSchema):
    runner: Id


class RunnerTaskOut(OutSchema):
    id: int
    title: str
    place: str
    details: str
    priority: Priority
    status: TaskStatus
    due_at: datetime.datetime | None
    posted_by: str
    posted_by_id: int
    runner: str | None
    runner_id: int | None
    created_at: datetime.datetime
    claimed_at: datetime.datetime | None
    started_at: datetime.datetime | None
    finished_at: datetime.datetime | None
    version: int
    media: str | None
    move_to: str | None


class RunnerBoardOut(OutSchema):
    me: int
    can_run: bool
    can_assign: bool
    tasks: list[RunnerTaskOut]


class RunnerDurationsOut(OutSchema):
    count: int
    median_minutes: float | None
    mean_minutes: float | None


class RunnerStatsOut(OutSchema):
    since: datetime.datetime
    until: datetime.datetime
    posted: int
    by_status: dict[str, int]
    time_to_claim: RunnerDurationsOut
    time_to_finish: RunnerDurationsOut


class RunnerStatsQuery(QuerySchema):
    days: int = Field(7, ge=1, le=MAX_STATS_DAYS, description="The last N days of tasks")


def _task_out(task) -> dict:
    return queries.task_row(task)


@router.get("/runner-tasks", response={200: RunnerBoardOut, 304: None})
def runner_board(request: HttpRequest):
    """Live tasks and those ended today. Poll with If-None-Match: 304 when nothing changed."""
    require(request, USE_RUNNER_BOARD)
    known = request.headers.get("If-None-Match", "")
    # A poll is answered from one aggregate; only a changed board reads its rows.
    etag = queries.board_etag(request.user) if known else None
    if etag is not None and etag in known:
        response = HttpResponse(status=304)
    else:
        payload, etag = queries.board(request.user)
        # Written as the query built it (orjson), checked against the documented schema.
        response = shown(RunnerBoardOut, payload)
    response["ETag"] = etag
    response["Cache-Control"] = "private, no-cache"
    return response


@router.post("/runner-tasks", response={201: RunnerTaskOut})
def post_task(request: HttpRequest, payload: RunnerTaskIn):
    """Anyone on the staff posts a task."""
    require(request, USE_RUNNER_BOARD)
    task = services.post_task(actor=request.user, **payload.model_dump())
    return Status(201, _task_out(queries.task(task.pk)))


@router.get("/runner-tasks/stats", response=RunnerStatsOut)
def task_stats(request: HttpRequest, query: Query[RunnerStatsQuery]):
    """Time to claim and to finish of the tasks posted in the last `days` days."""
    require(request, USE_RUNNER_BOARD)
    until = queries.day_start() + datetime.timedelta(days=1)
    return queries.stats(since=until - datetime.timedelta(days=query.days), until=until)


@router.get("/runner-tasks/{task_id}", response=RunnerTaskOut)
def get_task(request: HttpRequest, task_id: Id):
    require(request, USE_RUNNER_BOARD)
    task = queries.task(task_id)
    if task is None:
        raise NotFound("No such runner task")
    return _task_out(task)


@router.post("/runner-tasks/{task_id}/claim", response=RunnerTaskOut)
def claim(request: HttpRequest, task_id: Id):
    """Take an open task. Of two runners claiming at once one wins; the other gets 409."""
    return _task_out(services.claim_task(task_id, actor=request.user))


@router.post("/runner-tasks/{task_id}/start", response=RunnerTaskOut)
def start(request: HttpRequest, task_id: Id):
    return _task_out(services.start_task(task_id, actor=request.user))


@router.post("/runner-tasks/{task_id}/finish", response=RunnerTaskOut)
def finish(request: HttpRequest, task_id: Id):
    return _task_out(services.finish_task(task_id, actor=request.user))


@router.post("/runner-tasks/{task_id}/cancel", response=RunnerTaskOut)
def cancel(request: HttpRequest, task_id: Id):
    require(request, USE_RUNNER_BOARD)
    return _task_out(services.cancel_task(task_id, actor=request.user))


@router.post("/runner-tasks/{task_id}/assign", response=RunnerTaskOut)
def assign(request: HttpRequest, task_id: Id, payload: RunnerAssignIn):
    """A head runner gives the task to a runner."""
    require(request, ASSIGN_TASKS)
    runner = get_user_model().objects.filter(pk=payload.runner).first()
    if runner is None:
        raise InvalidInput.field("runner", "No such user")
    return _task_out(services.assign_task(task_id, actor=request.user, runner=runner))
