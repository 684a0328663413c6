"""Making and changing bookings: create one or a repeating series, move, resize,
re-resource or retitle one, split one into days. Each is one serialised transaction
(locking.serialised), audited."""

import datetime
import itertools
import uuid
from collections.abc import Iterable, Sequence

from django.db import transaction
from django.utils import timezone

from postdesk.core import audit, events
from postdesk.core.errors import InvalidInput, InvalidTransition
from postdesk.core.inserts import insert_family, new
from postdesk.core.models import AuditEntry
from postdesk.core.timeutil import split_by_local_day, zone_or_facility
from postdesk.scheduling.models import Allocation, Booking, Resource
from postdesk.scheduling.services.challenges import _reconcile_challenges
from postdesk.scheduling.services.checks import (
    _actor_user,
    _check_bookable,
    _check_kind,
    _check_rights,
    _check_span,
    _check_text,
    _resource_ids,
    default_status,
)
from postdesk.scheduling.services.conflicts import BookingConflict, _check_blocking_clashes
from postdesk.scheduling.services.locking import (
    _constraint_decides,
    _lock_booking,
    _lock_resources,
    serialised,
)
from postdesk.scheduling.services.ranks import _rerank
from postdesk.scheduling.services.records import BOOKING_FIELDS, _audit_booking, _bump, _summary
from postdesk.scheduling.spans import MAX_OCCURRENCES, day_span

Status = Booking.Status
Kind = Booking.Kind


def _insert_booking(
    *,
    job,
    kind,
    status,
    start,
    end,
    ids,
    actor,
    title,
    notes,
    series=None,
    owner=None,
    check_clashes=True,
    held_since: dict | None = None,
) -> Booking:
    """Create the booking and its allocations; the resources are already locked.
    `check_clashes=False` leaves refusing an overlap to the exclusion constraint;
    `held_since` ({resource id: when}) keeps the place of holds made earlier (a split)."""
    blocking = status in Booking.BLOCKING_STATUSES
    if blocking and check_clashes:
        _check_blocking_clashes(ids, start, end)
    owner = owner if owner is not None else _actor_user(actor)
    booking = new(
        Booking,
        related={"job": job, "owner": owner},
        kind=kind,
        job_id=job.pk if job is not None else None,
        status=status,
        title=title,
        notes=notes,
        start=start,
        end=end,
        owner_id=owner.pk if owner is not None else None,
        series=series,
    )
    made_at = timezone.now()
    allocations = [
        new(
            Allocation,
            related={"booking": booking},
            resource_id=pk,
            start=start,
            end=end,
            status=status,
            blocking=blocking,
            held_since=(held_since or {}).get(pk, made_at),
        )
        for pk in ids
    ]
    if status == Status.PENCIL:
        _rerank(ids, start, end, pending=allocations)
    changes = audit.created(booking, BOOKING_FIELDS)
    changes["resources"] = [None, list(ids)]
    summary = f"Created {booking.kind} booking {{pk}} ({booking.status})"
    entry = audit.entry(actor, booking, AuditEntry.Action.CREATE, changes, summary)
    insert_family(booking, allocations, entry)
    booking.allocation_list = allocations
    return booking


@serialised
def create_booking(
    *,
    job,
    resources,
    start,
    end,
    status=None,
    actor,
    kind=Kind.JOB,
    title="",
    notes="",
    owner=None,
) -> Booking:
    """Book `resources` over [start, end) as one unit; BookingConflict if a blocking
    allocation of any of them overlaps. Returns the booking with `allocation_list`."""
    if status is None:
        status = default_status(kind)
    _check_kind(kind, job, status)
    _check_rights(actor, kind, job)
    start, end = _check_span(start, end)
    _check_text(title, notes)
    ids = _resource_ids(resources)
    info = _lock_resources(ids)
    _check_bookable(ids, info)
    booking = _insert_booking(
        job=job,
        kind=kind,
        status=status,
        start=start,
        end=end,
        ids=ids,
        actor=actor,
        title=title,
        notes=notes,
        owner=owner,
        check_clashes=not _constraint_decides(),
    )
    booking.resource_names = {pk: info[pk]["name"] for pk in ids}
    return booking


def _series_spans(occurrences: Sequence[tuple]) -> list[tuple]:
    """The occurrences' (start, end), checked and in order: at least one, at most
    MAX_OCCURRENCES, none overlapping another."""
    if not occurrences:
        raise InvalidInput.field("occurrences", "No occurrences to book")
    if len(occurrences) > MAX_OCCURRENCES:
        raise InvalidInput.field(
            "occurrences", f"At most {MAX_OCCURRENCES} occurrences in one series"
        )
    spans = sorted(_check_span(s, e) for s, e in occurrences)
    for (_, prev_end), (next_start, _) in itertools.pairwise(spans):
        if next_start < prev_end:
            raise InvalidInput.field("occurrences", "Occurrences of one series must not overlap")
    return spans


@serialised
def create_repeating(
    *,
    job,
    resources,
    occurrences: Sequence[tuple],
    status=None,
    actor,
    kind=Kind.JOB,
    title="",
    notes="",
    skip_conflicts=False,
) -> tuple[list[Booking], list[dict]]:
    """One booking per (start, end) occurrence, sharing a series id, in one transaction.

    All-or-nothing by default: the first clash refuses the lot. With skip_conflicts the
    clashing occurrences are left out and returned as {"start", "end", "conflicts"}.
    """
    if status is None:
        status = default_status(kind)
    _check_kind(kind, job, status)
    _check_rights(actor, kind, job)
    _check_text(title, notes)
    spans = _series_spans(occurrences)
    ids = _resource_ids(resources)
    info = _lock_resources(ids)
    _check_bookable(ids, info)
    shared = dict(job=job, kind=kind, status=status, ids=ids, actor=actor, title=title, notes=notes)
    shared["series"] = uuid.uuid4()
    made, skipped = [], []
    for start, end in spans:
        try:
            with transaction.atomic():
                made.append(_insert_booking(start=start, end=end, **shared))
        except BookingConflict as exc:
            if not skip_conflicts:
                raise
            conflicts = exc.details["conflicts"]
            skipped.append(
                {"start": start, "end": end, "message": exc.message, "conflicts": conflicts}
            )
    for booking in made:
        booking.resource_names = {pk: info[pk]["name"] for pk in ids}
    if not made:
        raise BookingConflict(
            "Every occurrence clashes with a confirmed booking; nothing was booked",
            details={"conflicts": [c for s in skipped for c in s["conflicts"]], "skipped": skipped},
        )
    return made, skipped


UNSET = object()


def _changed_resource_ids(old_ids, wanted, add_ids, remove_ids) -> list[int]:
    """The booking's resources after a change: `wanted` (or the old ones) with `add_ids`
    and without `remove_ids`, each of which must be on the booking now."""
    new_ids = list(wanted) if wanted is not None else list(old_ids)
    new_ids += [pk for pk in add_ids if pk not in new_ids]
    for pk in remove_ids:
        if pk not in old_ids:
            raise InvalidInput.field("remove", f"Resource {pk} is not on this booking")
    return [pk for pk in new_ids if pk not in remove_ids]


def _write_change(booking, fields: dict, old_ids, new_ids, moved: bool) -> tuple[list, list]:
    """Write a checked change: drop the allocations of removed resources, move the rest,
    bump the booking with `fields`, add allocations for added resources. Returns (added,
    removed) resource ids."""
    added = [pk for pk in new_ids if pk not in old_ids]
    removed = [pk for pk in old_ids if pk not in new_ids]
    if removed:
        Allocation.objects.filter(booking_id=booking.pk, resource_id__in=removed).delete()
    if moved:
        Allocation.objects.filter(booking_id=booking.pk).update(
            start=fields["start"], end=fields["end"]
        )
    _bump(booking, **fields)
    if added:
        Allocation.objects.bulk_create(
            Allocation(
                booking=booking,
                resource_id=pk,
                start=fields["start"],
                end=fields["end"],
                status=booking.status,
                blocking=booking.is_blocking,
            )
            for pk in added
        )
    return added, removed


@serialised
def update_booking(
    booking: Booking | int,
    *,
    actor,
    start=UNSET,
    end=UNSET,
    resources=None,
    add=(),
    remove=(),
    title=None,
    notes=None,
) -> Booking:
    """Move, resize, re-resource or retitle an active booking (pencil or confirmed).

    `resources` replaces the set; `add` / `remove` change it. A confirmed booking must
    still be free of clashes afterwards; pencils are re-ranked around the old and new spans.
    """
    booking_id = booking.pk if isinstance(booking, Booking) else booking
    wanted = None if resources is None else _resource_ids(resources)
    add_ids = _resource_ids(add, "add")
    remove_ids = _resource_ids(remove, "remove")
    booking, old_ids, info = _lock_booking(booking_id, [*(wanted or []), *add_ids])
    _check_rights(actor, booking.kind, booking=booking)
    if booking.status not in (Status.PENCIL, Status.CONFIRMED):
        raise InvalidTransition(f"A {booking.status} booking cannot be changed")
    new_ids = _changed_resource_ids(old_ids, wanted, add_ids, remove_ids)
    _check_bookable(new_ids, info, "resources")
    new_start = booking.start if start is UNSET else start
    new_end = booking.end if end is UNSET else end
    new_start, new_end = _check_span(new_start, new_end)
    _check_text(
        booking.title if title is None else title, booking.notes if notes is None else notes
    )
    before = audit.snapshot(booking, BOOKING_FIELDS)
    old_start, old_end = booking.start, booking.end
    if booking.is_blocking:
        _check_blocking_clashes(new_ids, new_start, new_end, exclude_booking=booking.pk)
    fields = {"start": new_start, "end": new_end}
    if title is not None:
        fields["title"] = title
    if notes is not None:
        fields["notes"] = notes
    moved = (new_start, new_end) != (old_start, old_end)
    added, removed = _write_change(booking, fields, old_ids, new_ids, moved)
    if booking.status == Status.PENCIL and (moved or added or removed):
        touched = sorted(set(old_ids) | set(new_ids))
        _rerank(touched, old_start, old_end)
        _rerank(touched, new_start, new_end)
        _reconcile_challenges(booking, actor)
    changes = audit.diff(before, audit.snapshot(booking, BOOKING_FIELDS))
    if added or removed:
        changes["resources"] = [old_ids, new_ids]
    if changes:
        verb = "Moved" if moved else "Changed"
        _audit_booking(actor, booking, AuditEntry.Action.UPDATE, changes, _summary(booking, verb))
    if moved:
        events.publish(events.BOOKING_MOVED, subject=booking, actor=actor, was=[old_start, old_end])
    return booking


def move_booking(booking, *, start, end, actor) -> Booking:
    return update_booking(booking, start=start, end=end, actor=actor)


def add_resources(booking, *, resources, actor) -> Booking:
    return update_booking(booking, add=resources, actor=actor)


def remove_resources(booking, *, resources, actor) -> Booking:
    return update_booking(booking, remove=resources, actor=actor)


def _day_pieces(booking: Booking, ids, day_start, day_end, weekdays) -> list[tuple]:
    """The (start, end) of each day `split_into_days` cuts the booking into, in the time
    zone of its first resource's site; refused when fewer than two."""
    zone = zone_or_facility(
        Resource.objects.filter(pk=ids[0]).values_list("site__time_zone", flat=True).first()
    )
    local_start, local_end = booking.start.astimezone(zone), booking.end.astimezone(zone)
    open_at = day_start or local_start.time()
    close_at = day_end or local_end.time()
    days = set(range(7) if weekdays is None else weekdays)
    pieces = []
    for day, part_start, part_end in split_by_local_day(booking.start, booking.end, zone):
        if day.weekday() not in days:
            continue
        if close_at > open_at:
            lo, hi = day_span(day, open_at, close_at, zone)
            lo, hi = max(lo, part_start), min(hi, part_end)
        else:
            lo, hi = part_start, part_end
        if lo < hi:
            pieces.append((lo, hi))
    if len(pieces) < 2:
        raise InvalidInput.field("booking", "The booking covers fewer than two days to split")
    return pieces


@serialised
def split_into_days(
    booking: Booking | int,
    *,
    actor,
    day_start: datetime.time | None = None,
    day_end: datetime.time | None = None,
    weekdays: Iterable[int] | None = None,
) -> list[Booking]:
    """Cut an active booking into one booking per local day on the same job and resources.

    Each day keeps the hours day_start-day_end (default: the booking's own local start
    and end times, or the whole day when those do not make a day), clipped to the
    original span. The original booking becomes the first day; the others share a
    series id with it. Days not in `weekdays` (Mon=0) are dropped.
    """
    booking_id = booking.pk if isinstance(booking, Booking) else booking
    booking, ids, _ = _lock_booking(booking_id)
    _check_rights(actor, booking.kind, booking=booking)
    if booking.status not in (Status.PENCIL, Status.CONFIRMED):
        raise InvalidTransition(f"A {booking.status} booking cannot be split")
    pieces = _day_pieces(booking, ids, day_start, day_end, weekdays)
    series = booking.series or uuid.uuid4()
    # Every day keeps the pencil's place on each resource: the holds were made with it.
    held_since = dict(
        Allocation.objects.filter(booking_id=booking.pk).values_list("resource_id", "held_since")
    )
    before = audit.snapshot(booking, BOOKING_FIELDS)
    old_start, old_end = booking.start, booking.end
    first_start, first_end = pieces[0]
    Allocation.objects.filter(booking_id=booking.pk).update(start=first_start, end=first_end)
    _bump(booking, start=first_start, end=first_end, series=series)
    made = [booking]
    for start, end in pieces[1:]:
        made.append(
            _insert_booking(
                job=booking.job,
                kind=booking.kind,
                status=booking.status,
                start=start,
                end=end,
                ids=ids,
                actor=actor,
                title=booking.title,
                notes=booking.notes,
                series=series,
                owner=booking.owner,
                held_since=held_since,
            )
        )
    if booking.status == Status.PENCIL:
        _rerank(ids, old_start, old_end)
    changes = audit.diff(before, audit.snapshot(booking, BOOKING_FIELDS))
    changes["split_into"] = [None, [b.pk for b in made]]
    summary = f"Split booking {booking.pk} into {len(made)} days"
    _audit_booking(actor, booking, AuditEntry.Action.UPDATE, changes, summary)
    return made
