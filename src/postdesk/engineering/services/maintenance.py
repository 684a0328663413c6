"""Preventive maintenance: schedules, placing a due task on the board, marking it done."""

import datetime

from django.db import transaction
from django.utils import timezone

from postdesk.core import audit
from postdesk.core.errors import Conflict, InvalidInput, NotFound
from postdesk.core.models import AuditEntry
from postdesk.core.timeutil import require_instant
from postdesk.engineering.models import Asset, MaintenanceSchedule
from postdesk.engineering.services.faults import _board_actor, _require_manage
from postdesk.scheduling import services as scheduling_services
from postdesk.scheduling.models import Booking, Resource
from postdesk.scheduling.queries import earliest_slots

FIELDS = ("title", "room", "asset", "every_days", "every_booked_hours", "duration_minutes")
# How far ahead a task looks for a free window before saying there is none.
SEARCH_DAYS = 60
MAX_DURATION_MINUTES = 24 * 60


def _check(s: MaintenanceSchedule) -> None:
    if not isinstance(s.title, str) or not s.title.strip() or len(s.title) > 200:
        raise InvalidInput.field("title", "Give the task a title (at most 200 characters)")
    kind = Resource.objects.filter(pk=s.room_id).values_list("kind", flat=True).first()
    if kind != Resource.Kind.ROOM:
        raise InvalidInput.field("room", f"No room with id {s.room_id}")
    if s.asset_id is not None and not Asset.objects.filter(pk=s.asset_id).exists():
        raise InvalidInput.field("asset", f"No asset with id {s.asset_id}")
    if (s.every_days is None) == (s.every_booked_hours is None):
        raise InvalidInput.field(
            "every_days", "Count either days (every_days) or booked hours (every_booked_hours)"
        )
    for field in ("every_days", "every_booked_hours"):
        value = getattr(s, field)
        if value is not None and not (isinstance(value, int) and 1 <= value <= 10_000):
            raise InvalidInput.field(field, f"{field} is a whole number from 1 to 10000")
    if not (
        isinstance(s.duration_minutes, int) and 15 <= s.duration_minutes <= MAX_DURATION_MINUTES
    ):
        raise InvalidInput.field(
            "duration_minutes", f"duration_minutes is from 15 to {MAX_DURATION_MINUTES}"
        )


@transaction.atomic
def create_schedule(
    *,
    actor,
    title: str,
    room,
    asset=None,
    every_days=None,
    every_booked_hours=None,
    duration_minutes: int = 120,
    last_done_at=None,
) -> MaintenanceSchedule:
    _require_manage(actor)
    schedule = MaintenanceSchedule(
        title=title.strip() if isinstance(title, str) else title,
        room_id=getattr(room, "pk", room),
        asset_id=getattr(asset, "pk", asset),
        every_days=every_days,
        every_booked_hours=every_booked_hours,
        duration_minutes=duration_minutes,
        last_done_at=require_instant(last_done_at or timezone.now(), "last_done_at"),
    )
    _check(schedule)
    schedule.save()
    audit.record(
        actor,
        schedule,
        AuditEntry.Action.CREATE,
        audit.created(schedule, FIELDS),
        f"Maintenance schedule {schedule.title}",
    )
    return schedule


def _lock(schedule) -> MaintenanceSchedule:
    pk = getattr(schedule, "pk", schedule)
    found = MaintenanceSchedule.objects.select_for_update().filter(pk=pk).first()
    if found is None:
        raise NotFound(f"No maintenance schedule with id {pk}")
    return found


@transaction.atomic
def place_task(schedule, *, actor, now=None) -> Booking:
    """Put the task on the board as a maintenance block in the room's next free window
    that fits its duration (time held by pencils is avoided too)."""
    _require_manage(actor)
    schedule = _lock(schedule)
    if schedule.placed_id and schedule.placed.status == Booking.Status.CONFIRMED:
        raise Conflict(f"{schedule.title} is on the board already (booking {schedule.placed_id})")
    now = now or timezone.now()
    duration = datetime.timedelta(minutes=schedule.duration_minutes)
    found = earliest_slots(
        resource_ids=[schedule.room_id],
        duration=duration,
        start=now,
        end=now + datetime.timedelta(days=SEARCH_DAYS),
        pencils_block=True,
        limit=1,
    )["slots"]
    if not found:
        raise Conflict(
            f"No free window of {schedule.duration_minutes} minutes in the next {SEARCH_DAYS} days"
        )
    start = found[0]["start"]
    block = scheduling_services.create_booking(
        job=None,
        kind=Booking.Kind.MAINTENANCE,
        resources=[schedule.room_id],
        start=start,
        end=start + duration,
        actor=_board_actor(actor, Booking.Kind.MAINTENANCE),
        title=f"Maintenance: {schedule.title}"[:200],
    )
    schedule.placed = block
    schedule.save(update_fields=["placed"])
    audit.record(
        actor,
        schedule,
        AuditEntry.Action.UPDATE,
        {"placed": [None, block.pk]},
        f"Placed {schedule.title} on the board",
    )
    return block


@transaction.atomic
def mark_done(schedule, *, actor, at=None) -> MaintenanceSchedule:
    """The task was done: counting starts again from `at`."""
    _require_manage(actor)
    schedule = _lock(schedule)
    at = require_instant(at or timezone.now(), "at")
    before = audit.snapshot(schedule, ("last_done_at", "placed"))
    schedule.last_done_at = at
    schedule.placed = None
    schedule.save(update_fields=["last_done_at", "placed"])
    audit.record(
        actor,
        schedule,
        AuditEntry.Action.UPDATE,
        audit.diff(before, audit.snapshot(schedule, ("last_done_at", "placed"))),
        f"Done: {schedule.title}",
    )
    return schedule
