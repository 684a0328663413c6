"""What a booking must be before it is written: its kind and status, its span, its
title and notes, its resources, and the actor's right to make it (core/roles.py)."""

import datetime
from collections.abc import Iterable, Sequence

from postdesk.core.errors import Forbidden, InvalidInput
from postdesk.core.ids import is_id
from postdesk.core.roles import booking_refusal
from postdesk.core.timeutil import require_instant
from postdesk.scheduling.models import Booking, Resource
from postdesk.scheduling.overlap import max_span

Status = Booking.Status
Kind = Booking.Kind

# Choices' .values builds a new list on every access; the hot path checks against these.
KINDS = frozenset(Kind.values)


def default_status(kind: str) -> str:
    """The status a new booking takes when none is asked for: blocks of the facility's own
    (maintenance, leave) are firm; work for a client starts as a pencil."""
    return Status.CONFIRMED if kind in (Kind.MAINTENANCE, Kind.LEAVE) else Status.PENCIL


def _check_kind(kind, job, status) -> None:
    if kind not in KINDS:
        raise InvalidInput.field("kind", f"kind must be one of {', '.join(Kind.values)}")
    if kind == Kind.JOB and job is None:
        raise InvalidInput.field("job", "A job booking needs a job")
    if kind != Kind.JOB and job is not None:
        raise InvalidInput.field("job", f"A {kind} booking has no job")
    if kind in (Kind.MAINTENANCE, Kind.LEAVE):
        if status != Status.CONFIRMED:
            raise InvalidInput.field("status", f"{kind.capitalize()} is always confirmed")
    elif status not in (Status.PENCIL, Status.CONFIRMED):
        raise InvalidInput.field("status", "A new booking is a pencil or confirmed")


def _check_span(start, end) -> tuple[datetime.datetime, datetime.datetime]:
    if not isinstance(start, datetime.datetime):
        raise InvalidInput.field("start", "start must be a date and time")
    if not isinstance(end, datetime.datetime):
        raise InvalidInput.field("end", "end must be a date and time")
    start = require_instant(start, "start")
    end = require_instant(end, "end")
    if end <= start:
        raise InvalidInput.field("end", "end must be after start")
    if end - start > max_span():
        raise InvalidInput.field("end", f"A booking may span at most {max_span().days} days")
    return start, end


def _check_text(title, notes) -> None:
    if not isinstance(title, str) or len(title) > 200:
        raise InvalidInput.field("title", "title is text of at most 200 characters")
    if not isinstance(notes, str):
        raise InvalidInput.field("notes", "notes must be text")


def _resource_ids(resources: Iterable, field: str = "resources") -> list[int]:
    ids = []
    for item in resources:
        pk = item.pk if isinstance(item, Resource) else item
        if not is_id(pk):
            raise InvalidInput.field(field, f"{pk!r} is not a resource id")
        ids.append(pk)
    if len(set(ids)) != len(ids):
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        raise InvalidInput.field(field, f"Resource {dupes[0]} is listed more than once")
    return ids


def _check_bookable(ids: Sequence[int], info: dict[int, dict], field="resources") -> None:
    if not ids:
        raise InvalidInput.field(field, "A booking needs at least one resource")
    for pk in ids:
        row = info.get(pk)
        if row is None:
            raise InvalidInput.field(field, f"No resource with id {pk}")
        if row["archived_at"] is not None:
            raise InvalidInput.field(field, f"{row['name']} is archived and cannot be booked")
        if not row["bookable"]:
            raise InvalidInput.field(field, f"{row['name']} is not bookable")


def _actor_user(actor):
    from postdesk.core.models import User

    return actor if isinstance(actor, User) else None


def _check_rights(actor, kind: str, job=None, *, booking: Booking | None = None) -> None:
    """Refuse (403) a booking write the actor's role may not make: booking rights depend
    on the booking's kind and, for some roles, its job's work type (core/roles.py). The
    job is read only for roles whose right depends on it. Actors that are not users (the
    worker, the demo loader) are the system itself and are not limited."""
    user = _actor_user(actor)
    if user is None:
        return

    def work_type():
        found = booking.job if booking is not None else job
        return found.work_type if found is not None else None

    reason = booking_refusal(user, kind, work_type)
    if reason is not None:
        raise Forbidden(reason, details={"kind": kind}, code="booking_rights")
