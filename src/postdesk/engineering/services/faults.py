"""Fault tickets: reporting, the state machine, notes and time, and the "room down" rule.

A room-down ticket blocks its room on the board in the same transaction that records it:
maintenance bookings over every stretch of [now, the estimate) that no confirmed booking
holds. Confirmed bookings in the way are not touched (the exclusion constraint would
refuse a block over them): the ticket page lists them, and moving one off (to a free room
of the same kind and skills) extends the block over the time it leaves. Resolving ends
the blocks.
"""

import datetime

from django.db import transaction
from django.utils import timezone

from postdesk.core import audit, events
from postdesk.core.audit import SystemActor
from postdesk.core.errors import Conflict, Forbidden, InvalidInput, InvalidTransition, NotFound
from postdesk.core.models import AuditEntry
from postdesk.core.roles import (
    CHANGE_BOOKINGS,
    MANAGE_ENGINEERING,
    REPORT_FAULTS,
    booking_refusal,
    can,
)
from postdesk.core.timeutil import require_instant
from postdesk.engineering.models import Asset, FaultTicket, TicketNote
from postdesk.scheduling import services as scheduling_services
from postdesk.scheduling import spans
from postdesk.scheduling.models import Allocation, Booking, Resource
from postdesk.scheduling.overlap import max_span, overlapping

# Writes engineering makes on the board for a ticket when the person acting may not
# book themselves (a runner reporting a room down; an engineer moving a client's booking
# off a down room). The ticket's own audit entries name the person.
ENGINEERING = SystemActor("engineering")

State = FaultTicket.State
Severity = FaultTicket.Severity
# From each state, where a ticket may go next. Resolving goes through resolve_ticket.
TRANSITIONS = {
    State.OPEN: (State.IN_PROGRESS, State.ON_HOLD, State.RESOLVED),
    State.IN_PROGRESS: (State.ON_HOLD, State.RESOLVED),
    State.ON_HOLD: (State.IN_PROGRESS, State.RESOLVED),
    State.RESOLVED: (State.CLOSED, State.IN_PROGRESS),
    State.CLOSED: (),
}
# When the reporter does not know: the engineer sets the real estimate on the ticket.
DEFAULT_ESTIMATE = datetime.timedelta(hours=4)
DESCRIPTION_MAX = 5000
NOTE_MAX = 5000
MINUTES_MAX = 24 * 60
TICKET_FIELDS = ("severity", "state", "room", "asset", "estimate_until", "resolved_at")


def _user(actor):
    from postdesk.core.models import User

    return actor if isinstance(actor, User) else None


def _board_actor(actor, kind: str, work_type=None):
    """Who writes a booking for the ticket: the person, when their role may book it;
    engineering itself otherwise (reporting and engineers' moves are theirs to make)."""
    user = _user(actor)
    if user is None or booking_refusal(user, kind, work_type) is None:
        return actor
    return ENGINEERING


def _record(actor, ticket, action, changes, summary):
    audit.record(actor, ticket, action, changes, summary)


def _lock(ticket: FaultTicket | int) -> FaultTicket:
    pk = ticket.pk if isinstance(ticket, FaultTicket) else ticket
    found = FaultTicket.objects.select_for_update().filter(pk=pk).first()
    if found is None:
        raise NotFound(f"No ticket with id {pk}")
    return found


def _check_text(value, field: str, limit: int, required: bool = True) -> str:
    if not isinstance(value, str) or len(value) > limit:
        raise InvalidInput.field(field, f"{field} is text of at most {limit} characters")
    value = value.strip()
    if required and not value:
        raise InvalidInput.field(field, f"Say what is wrong: {field} is empty")
    return value


def _check_minutes(minutes) -> int:
    if isinstance(minutes, bool) or not isinstance(minutes, int) or not 0 <= minutes <= MINUTES_MAX:
        raise InvalidInput.field("minutes", f"minutes is a whole number from 0 to {MINUTES_MAX}")
    return minutes


def _check_estimate(until, now) -> datetime.datetime:
    until = require_instant(until, "estimate_until")
    if until <= now:
        raise InvalidInput.field("estimate_until", "The estimate must be later than now")
    if until - now > max_span():
        raise InvalidInput.field(
            "estimate_until", f"The estimate may be at most {max_span().days} days ahead"
        )
    return until


def _place(room_id: int, severity: str, asset) -> tuple[int | None, Asset | None]:
    if asset is not None and not isinstance(asset, Asset):
        found = Asset.objects.filter(pk=asset).first()
        if found is None:
            raise InvalidInput.field("asset", f"No asset with id {asset}")
        asset = found
    if room_id is None and asset is not None:
        room_id = asset.room_id
    if room_id is not None:
        room_id = getattr(room_id, "pk", room_id)
        kind = Resource.objects.filter(pk=room_id).values_list("kind", flat=True).first()
        if kind != Resource.Kind.ROOM:
            raise InvalidInput.field("room", f"No room with id {room_id}")
    if room_id is None and asset is None:
        raise InvalidInput.field("room", "Say which room or asset is at fault")
    if severity == Severity.ROOM_DOWN and room_id is None:
        raise InvalidInput.field("room", "A room-down fault needs the room")
    return room_id, asset


@transaction.atomic
def report_fault(
    *, actor, severity: str, description: str, room=None, asset=None, estimate_until=None, now=None
) -> FaultTicket:
    """Record a fault; a room down also blocks the room on the board, in this transaction."""
    if not can(actor, REPORT_FAULTS):
        raise Forbidden("Your role may not report faults", details={"needs": REPORT_FAULTS})
    if severity not in Severity.values:
        raise InvalidInput.field(
            "severity", f"severity must be one of {', '.join(Severity.values)}"
        )
    description = _check_text(description, "description", DESCRIPTION_MAX)
    now = now or timezone.now()
    room_id, asset = _place(room, severity, asset)
    until = None
    if severity == Severity.ROOM_DOWN:
        until = _check_estimate(estimate_until or now + DEFAULT_ESTIMATE, now)
    ticket = FaultTicket.objects.create(
        reporter=actor,
        room_id=room_id,
        asset=asset,
        severity=severity,
        description=description,
        opened_at=now,
        estimate_until=until,
    )
    _record(
        actor,
        ticket,
        AuditEntry.Action.CREATE,
        audit.created(ticket, TICKET_FIELDS),
        f"Reported {ticket.get_severity_display().lower()} fault {{pk}}",
    )
    if severity == Severity.ROOM_DOWN:
        _cover(ticket, actor, now)
    if room_id is not None:
        # Whoever has the room booked hears of it (the notifications app finds them).
        events.publish(events.ROOM_FAULT, subject=ticket, actor=actor, at=now)
    return ticket


def _active_blocks(ticket: FaultTicket):
    return ticket.blocks.filter(status=Booking.Status.CONFIRMED).order_by("start")


def _cover(ticket: FaultTicket, actor, now) -> list[Booking]:
    """Block every stretch of [now, estimate) on the room that no blocking booking holds."""
    # The room's row lock is the one booking writes take: nothing lands in a gap between
    # reading the gaps and blocking them.
    Resource.objects.select_for_update().filter(pk=ticket.room_id).first()
    start, end = max(now, ticket.opened_at), ticket.estimate_until
    if end is None or end <= start:
        return []
    busy = overlapping(
        Allocation.objects.filter(resource_id=ticket.room_id, blocking=True), start, end
    ).values_list("start", "end")
    placed = []
    for lo, hi in spans.subtract([(start, end)], sorted(busy)):
        block = scheduling_services.create_booking(
            job=None,
            kind=Booking.Kind.MAINTENANCE,
            resources=[ticket.room_id],
            start=lo,
            end=hi,
            actor=_board_actor(actor, Booking.Kind.MAINTENANCE),
            title=f"Room down: fault {ticket.pk}",
            notes=ticket.description[:1000],
        )
        placed.append(block)
    if placed:
        ticket.blocks.add(*placed)
    return placed


def _end_blocks(ticket: FaultTicket, actor, at) -> None:
    """Blocks of the ticket after `at` are cancelled; one running at `at` ends then."""
    who = _board_actor(actor, Booking.Kind.MAINTENANCE)
    for block in _active_blocks(ticket):
        if block.start >= at:
            scheduling_services.cancel_booking(block, actor=who)
        elif block.end > at:
            scheduling_services.update_booking(block, end=at, actor=who)


def _require_open_room_down(ticket: FaultTicket) -> None:
    if ticket.severity != Severity.ROOM_DOWN:
        raise InvalidInput.field("ticket", "Only a room-down ticket blocks the room")
    if not ticket.is_open:
        raise InvalidTransition(f"Ticket {ticket.pk} is {ticket.get_state_display().lower()}")


@transaction.atomic
def set_estimate(ticket, *, actor, estimate_until, now=None) -> FaultTicket:
    """The engineer's new estimate: the block grows or shrinks to it."""
    _require_manage(actor)
    ticket = _lock(ticket)
    _require_open_room_down(ticket)
    now = now or timezone.now()
    until = _check_estimate(estimate_until, now)
    before = audit.snapshot(ticket, TICKET_FIELDS)
    ticket.estimate_until = until
    ticket.save(update_fields=["estimate_until"])
    _end_blocks(ticket, actor, until)
    _cover(ticket, actor, now)
    _record(
        actor,
        ticket,
        AuditEntry.Action.UPDATE,
        audit.diff(before, audit.snapshot(ticket, TICKET_FIELDS)),
        f"Estimate for fault {ticket.pk} now {until:%Y-%m-%d %H:%M} UTC",
    )
    return ticket


def _require_manage(actor) -> None:
    if not can(actor, MANAGE_ENGINEERING):
        raise Forbidden("Only engineers may do this", details={"needs": MANAGE_ENGINEERING})


def _note(ticket, actor, text, minutes, state="") -> TicketNote | None:
    if not text and not minutes and not state:
        return None
    return TicketNote.objects.create(
        ticket=ticket, author=actor, text=text, minutes=minutes, state=state
    )


@transaction.atomic
def add_note(ticket, *, actor, text: str, minutes: int = 0) -> TicketNote:
    _require_manage(actor)
    ticket = _lock(ticket)
    text = _check_text(text, "text", NOTE_MAX)
    note = _note(ticket, actor, text, _check_minutes(minutes))
    _record(
        actor,
        ticket,
        AuditEntry.Action.UPDATE,
        {"note": [None, text[:200]], "minutes": [None, minutes]},
        f"Note on fault {ticket.pk}",
    )
    return note


@transaction.atomic
def change_state(
    ticket, *, actor, state: str, text: str = "", minutes: int = 0, now=None
) -> FaultTicket:
    """Move a ticket along open → in progress → on hold → resolved → closed."""
    _require_manage(actor)
    if state not in State.values:
        raise InvalidInput.field("state", f"state must be one of {', '.join(State.values)}")
    ticket = _lock(ticket)
    text = _check_text(text, "text", NOTE_MAX, required=False)
    minutes = _check_minutes(minutes)
    if state not in TRANSITIONS[ticket.state]:
        allowed = ", ".join(TRANSITIONS[ticket.state]) or "nowhere"
        raise InvalidTransition(
            f"A {ticket.get_state_display().lower()} ticket cannot become {state}; "
            f"it can go to {allowed}"
        )
    now = now or timezone.now()
    before = audit.snapshot(ticket, TICKET_FIELDS)
    old = ticket.state
    ticket.state = state
    if state == State.RESOLVED:
        ticket.resolved_at = now
        if ticket.severity == Severity.ROOM_DOWN:
            _end_blocks(ticket, actor, now)
    elif state == State.CLOSED:
        ticket.closed_at = now
    elif old == State.RESOLVED:
        # Reopened: the repair did not hold. The block is not put back by itself; a new
        # estimate (set_estimate) blocks the room again.
        ticket.resolved_at = None
    ticket.save()
    _note(ticket, actor, text, minutes, state)
    _record(
        actor,
        ticket,
        AuditEntry.Action.TRANSITION,
        audit.diff(before, audit.snapshot(ticket, TICKET_FIELDS)),
        f"Fault {ticket.pk}: {old} → {state}",
    )
    return ticket


def resolve_ticket(ticket, *, actor, text: str = "", minutes: int = 0, now=None) -> FaultTicket:
    return change_state(
        ticket, actor=actor, state=State.RESOLVED, text=text, minutes=minutes, now=now
    )


def _mover(actor, booking: Booking):
    """Who moves a booking off a down room: the person if their role may change it; for an
    engineer (who books maintenance only), engineering itself; anyone else is refused."""
    user = _user(actor)
    if (
        user is not None
        and booking_refusal(user, booking.kind, lambda: booking.job.work_type) is None
    ):
        return actor
    if can(actor, MANAGE_ENGINEERING):
        return ENGINEERING
    raise Forbidden("Your role may not move this booking", code="booking_rights")


def _move_one(ticket: FaultTicket, booking: Booking, to_room: int, actor) -> Booking:
    resource_ids = list(
        Allocation.objects.filter(booking_id=booking.pk).values_list("resource_id", flat=True)
    )
    if ticket.room_id not in resource_ids:
        raise InvalidInput.field("booking", f"Booking {booking.pk} is not in the down room")
    new_ids = [to_room if pk == ticket.room_id else pk for pk in resource_ids]
    moved = scheduling_services.update_booking(
        booking, resources=new_ids, actor=_mover(actor, booking)
    )
    names = dict(
        Resource.objects.filter(pk__in=[ticket.room_id, to_room]).values_list("pk", "name")
    )
    _record(
        actor,
        ticket,
        AuditEntry.Action.UPDATE,
        {"moved_booking": [None, booking.pk], "to_room": [ticket.room_id, to_room]},
        f"Fault {ticket.pk}: moved booking {booking.pk} from {names.get(ticket.room_id)} "
        f"to {names.get(to_room)}",
    )
    return moved


def _affected_booking(ticket: FaultTicket, booking_id: int, now) -> Booking:
    from postdesk.engineering.queries import affected_bookings

    ids = {b.pk for b in affected_bookings(ticket, now=now)}
    if booking_id not in ids:
        raise InvalidInput.field(
            "booking", f"Booking {booking_id} is not a confirmed booking in the down room's span"
        )
    return Booking.objects.select_related("job").get(pk=booking_id)


@transaction.atomic
def move_off(ticket, *, actor, booking: int, to_room: int, now=None) -> Booking:
    """Move one confirmed booking off the down room to `to_room`; the block then grows
    over the time it leaves."""
    if not (can(actor, MANAGE_ENGINEERING) or can(actor, CHANGE_BOOKINGS)):
        raise Forbidden("Your role may not move bookings", details={"needs": MANAGE_ENGINEERING})
    ticket = _lock(ticket)
    _require_open_room_down(ticket)
    now = now or timezone.now()
    found = _affected_booking(ticket, getattr(booking, "pk", booking), now)
    moved = _move_one(ticket, found, getattr(to_room, "pk", to_room), actor)
    _cover(ticket, actor, now)
    return moved


@transaction.atomic
def move_all_off(ticket, *, actor, now=None) -> list[Booking]:
    """Move every booking in the way, each to its first suggested room, when every one
    has a match; else nothing."""
    from postdesk.engineering.queries import room_down_plan

    if not (can(actor, MANAGE_ENGINEERING) or can(actor, CHANGE_BOOKINGS)):
        raise Forbidden("Your role may not move bookings", details={"needs": MANAGE_ENGINEERING})
    ticket = _lock(ticket)
    _require_open_room_down(ticket)
    now = now or timezone.now()
    plan = room_down_plan(ticket, now=now)
    # Confirmed bookings of one room never overlap, so moving one never takes a room
    # another of them needs: each goes to its own first suggestion.
    choice = []
    for item in plan:
        booking = item["booking"]
        if not item["suggestions"]:
            raise Conflict(
                f"Booking {booking.pk} has no free room of the same kind and skills; "
                "move it by hand, then move the rest",
                details={"booking": booking.pk},
            )
        choice.append((booking, item["suggestions"][0]["id"]))
    moved = [_move_one(ticket, booking, room, actor) for booking, room in choice]
    _cover(ticket, actor, now)
    return moved


# Photos a reporter attaches; the file is stored under a name made here, not the user's.
PHOTO_MAX_BYTES = 10 * 1024 * 1024
PHOTO_TYPES = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "HEIF": "heic", "MPO": "jpg"}


@transaction.atomic
def attach_photo(ticket, *, actor, upload, image_format: str):
    """Store a photo of the fault. `image_format` is what Pillow read the file as (the
    form's ImageField checked it is an image)."""
    import uuid

    from django.core.files.base import File

    from postdesk.engineering.models import TicketPhoto

    if not can(actor, REPORT_FAULTS):
        raise Forbidden("Your role may not report faults", details={"needs": REPORT_FAULTS})
    extension = PHOTO_TYPES.get((image_format or "").upper())
    if extension is None:
        raise InvalidInput.field("photo", "A photo is a JPEG, PNG, WebP or HEIC image")
    if upload.size > PHOTO_MAX_BYTES:
        raise InvalidInput.field("photo", "A photo may be at most 10 MB")
    ticket = _lock(ticket)
    photo = TicketPhoto(ticket=ticket, uploaded_by=actor)
    photo.image.save(f"{uuid.uuid4().hex}.{extension}", File(upload), save=True)
    _record(
        actor,
        ticket,
        AuditEntry.Action.UPDATE,
        {"photo": [None, photo.pk]},
        f"Photo on fault {ticket.pk}",
    )
    return photo
