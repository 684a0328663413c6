"""Every write to resources, skills and bookings. One transaction each, audited.

Concurrency (DOMAIN rule 1): a booking write first locks the rows of every resource it
touches, in id order (SELECT ... FOR UPDATE on PostgreSQL; on SQLite the IMMEDIATE
transaction already serialises writers), then checks for overlaps and writes. Concurrent
conflicting requests therefore queue on the resource rows and the losers see the winner's
allocation: a BookingConflict (409), never a deadlock. The PostgreSQL exclusion
constraint stays as the last word; if it ever fires, or a serialisation failure or
deadlock happens anyway, the whole transaction is retried a bounded number of times.
"""

import contextvars
import datetime
import functools
import itertools
import random
import time
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence

from django.conf import settings
from django.db import IntegrityError, OperationalError, connection, transaction
from django.db.models import Case, F, IntegerField, Value, When
from django.utils import timezone

from postdesk.core import audit, hotsql, jobs
from postdesk.core.errors import Conflict, Forbidden, InvalidInput, InvalidTransition
from postdesk.core.ids import is_id
from postdesk.core.inserts import insert_family, new
from postdesk.core.models import AuditEntry
from postdesk.core.roles import booking_refusal
from postdesk.core.timeutil import require_instant, zone_or_facility
from postdesk.scheduling.models import CLASH_INDEX, Allocation, Booking, Resource, Skill
from postdesk.scheduling.overlap import max_span, overlaps
from postdesk.scheduling.spans import MAX_OCCURRENCES, validate_working_hours

Status = Booking.Status
Kind = Booking.Kind

MAX_ATTEMPTS = 5
# Choices' .values builds a new list on every access; the hot path checks against these.
KINDS = frozenset(Kind.values)
BOOKING_FIELDS = ("kind", "job_id", "status", "title", "notes", "start", "end", "series")


class BookingConflict(Conflict):
    code = "booking_conflict"


class HigherPencil(Conflict):
    code = "higher_pencil"


class _StaleLocks(Exception):
    """The booking's resources changed between reading them and locking them."""


# --- transactions and locks -------------------------------------------------------------


def _sqlstate(exc: Exception) -> str | None:
    return getattr(exc.__cause__, "sqlstate", None)


def _retryable(exc: Exception) -> bool:
    if isinstance(exc, _StaleLocks):
        return True
    if isinstance(exc, IntegrityError):
        return _sqlstate(exc) == "23P01"  # exclusion_violation: re-check to name the clash
    # serialization_failure, deadlock_detected, lock_not_available; SQLite busy.
    return _sqlstate(exc) in ("40001", "40P01", "55P03") or "database is locked" in str(exc)


# Which attempt of a serialised write is running (1 = first), for _constraint_decides.
_ATTEMPT: contextvars.ContextVar[int] = contextvars.ContextVar("booking_attempt", default=1)


def serialised(func: Callable) -> Callable:
    """Run `func` in its own transaction (or savepoint), retrying races a few times.

    After the last attempt a race still unresolved is reported as a BookingConflict,
    so a client never sees a database error for a clash.
    """

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        for attempt in range(1, MAX_ATTEMPTS + 1):
            marker = _ATTEMPT.set(attempt)
            try:
                with transaction.atomic():
                    return func(*args, **kwargs)
            except (IntegrityError, OperationalError, _StaleLocks) as exc:
                if not _retryable(exc):
                    raise
                if attempt == MAX_ATTEMPTS:
                    raise BookingConflict(
                        "Another change to the same resources was being saved at the same "
                        "moment; please try again",
                        details={"conflicts": []},
                    ) from exc
                # A refusal by the exclusion constraint is a clash, not a race: go straight
                # to the attempt that names it. Races back off a little before retrying.
                if _sqlstate(exc) != "23P01":
                    time.sleep(random.uniform(0.001, 0.005) * attempt)
            finally:
                _ATTEMPT.reset(marker)
        raise AssertionError("unreachable")

    return wrapper


def _constraint_decides() -> bool:
    """Whether a new blocking allocation may skip the clash query and let the database's
    exclusion constraint refuse an overlap (PostgreSQL, first attempt).

    The resources are locked either way, so concurrent writers still queue. When the
    constraint refuses, the transaction rolls back and the next attempt runs the query,
    which names the clash for the 409. A create then costs one statement less, the one
    that grew with the booking history (bench/RESULTS.md).
    """
    return connection.vendor == "postgresql" and _ATTEMPT.get() == 1


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


# The two statements of every booking write are plain SQL: building them through the ORM
# cost more than running them (DESIGN: create within 2.5x of the raw transaction). Their
# text depends only on how many resources there are, so it is built once per count.
@functools.cache
def _lock_sql(count: int, for_update: bool) -> str:
    pk = Resource._meta.pk.column
    columns = ", ".join(
        hotsql.column(Resource, f) for f in ("id", "name", "bookable", "archived_at", "site")
    )
    return (
        f"SELECT {columns} FROM {Resource._meta.db_table} "
        f"WHERE {pk} IN ({_marks(count)}) ORDER BY {pk}{' FOR UPDATE' if for_update else ''}"
    )


@functools.cache
def _clash_sql(count: int, exclude_booking: bool, vendor: str) -> str:
    # SQLite's planner picks the (resource, start) index, which has no "end" and so reads
    # every row of the last 90 days; the partial index answers from the index alone, in
    # under half the time at a million bookings (bench/RESULTS.md: 66 -> 29 us warm,
    # 250 -> 100 us cold).
    hint = f" INDEXED BY {CLASH_INDEX}" if vendor == "sqlite" else ""
    qn, col = connection.ops.quote_name, functools.partial(hotsql.column, Allocation)
    start, end = qn(col("start")), qn(col("end"))  # quoted: both are SQL keywords
    other = f" AND {col('booking')} <> %s" if exclude_booking else ""
    return (
        f"SELECT {Allocation._meta.pk.column} FROM {Allocation._meta.db_table}{hint} "
        f"WHERE {col('resource')} IN ({_marks(count)}) "
        f"AND {col('blocking')} AND {start} < %s AND {start} > %s AND {end} > %s{other} "
        f"ORDER BY {start} LIMIT 20"
    )


def _marks(count: int) -> str:
    return ", ".join(["%s"] * count)


def _lock_resources(ids: Iterable[int]) -> dict[int, dict]:
    """Lock the resources' rows in id order and return their bookability facts."""
    ids = sorted(set(ids))
    if not ids:
        return {}
    db = hotsql.database()
    rows = hotsql.fetch(_lock_sql(len(ids), db.features.has_select_for_update), ids, db)
    return {
        pk: {
            "id": pk,
            "name": name,
            "bookable": bool(bookable),
            "archived_at": archived,
            "site_id": site,
        }
        for pk, name, bookable, archived, site in rows
    }


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


# --- conflicts ------------------------------------------------------------------------


def _overlapping(resource_ids, start, end):
    """Allocations of these resources overlapping [start, end), index-friendly."""
    return Allocation.objects.filter(overlaps(start, end), resource_id__in=resource_ids)


def _when(start: datetime.datetime, end: datetime.datetime, zone) -> str:
    """ "from 10:00 to 19:00 on Mon 2 Mar" in the site's local time."""
    lo, hi = start.astimezone(zone), end.astimezone(zone)

    def day(d):
        return f"{d:%a} {d.day} {d:%b}"

    if lo.date() == hi.date():
        return f"from {lo:%H:%M} to {hi:%H:%M} on {day(lo)}"
    return f"from {lo:%H:%M} on {day(lo)} to {hi:%H:%M} on {day(hi)}"


def _for(row: dict) -> str:
    kind = row["booking__kind"]
    if kind == Kind.JOB:
        client = row["booking__job__client__name"]
        return f"for {client} / {row['booking__job__production__title']}"
    if kind == Kind.INTERNAL:
        title = row["booking__title"]
        return "for internal use" + (f" ({title})" if title else "")
    return f"for {kind}"


def _predicate(row: dict) -> str:
    kind = row["booking__kind"]
    if kind == Kind.MAINTENANCE:
        return "is blocked for maintenance"
    if kind == Kind.LEAVE:
        return "is on leave"
    return f"is confirmed {_for(row)}"


DETAIL_FIELDS = (
    "id",
    "booking_id",
    "resource_id",
    "resource__name",
    "resource__site__time_zone",
    "start",
    "end",
    "hold_rank",
    "booking__kind",
    "booking__title",
    "booking__status",
    "booking__job_id",
    "booking__job__number",
    "booking__job__client__name",
    "booking__job__production__title",
    "booking__owner__username",
)


def _details(allocation_ids: Iterable[int]) -> list[dict]:
    return list(
        Allocation.objects.filter(pk__in=list(allocation_ids))
        .order_by("start", "resource_id")
        .values(*DETAIL_FIELDS)
    )


def _conflict_item(row: dict) -> dict:
    return {
        "booking": row["booking_id"],
        "resource": row["resource_id"],
        "resource_name": row["resource__name"],
        "start": row["start"],
        "end": row["end"],
        "kind": row["booking__kind"],
        "status": row["booking__status"],
        "job": row["booking__job_id"],
        "job_number": row["booking__job__number"],
        "client": row["booking__job__client__name"],
        "production": row["booking__job__production__title"],
    }


def _raise_conflicts(allocation_ids: list[int]) -> None:
    rows = _details(allocation_ids)
    first = rows[0]
    zone = zone_or_facility(first["resource__site__time_zone"])
    message = (
        f"{first['resource__name']} {_predicate(first)} {_when(first['start'], first['end'], zone)}"
    )
    if len(rows) > 1:
        message += f" (and {len(rows) - 1} more clash{'es' if len(rows) > 2 else ''})"
    raise BookingConflict(message, details={"conflicts": [_conflict_item(r) for r in rows]})


def _check_blocking_clashes(resource_ids, start, end, exclude_booking: int | None = None):
    """Raise BookingConflict if a blocking allocation of these resources overlaps
    [start, end): resource IN (...) AND blocking AND start < :end
    AND start > :start - max_span AND end > :start (both sides of the index bounded)."""
    ids = sorted(set(resource_ids))
    db = hotsql.database()
    params = [*ids, *(hotsql.instant(t, db) for t in (end, start - max_span(), start))]
    if exclude_booking is not None:
        params.append(exclude_booking)
    sql = _clash_sql(len(ids), exclude_booking is not None, db.vendor)
    clashes = [row[0] for row in hotsql.fetch(sql, params, db)]
    if clashes:
        _raise_conflicts(clashes)


# --- pencil ranks -----------------------------------------------------------------------


def _pencil_rows(resource_ids, lo, hi) -> list[tuple]:
    """Active pencil allocations of these resources in every overlap group touching
    [lo, hi): the window widens until no pencil straddles its edges."""
    while True:
        rows = list(
            _overlapping(resource_ids, lo, hi)
            .filter(status=Status.PENCIL)
            .values_list("id", "resource_id", "start", "end", "hold_rank", "held_since")
        )
        new_lo = min([lo, *(r[2] for r in rows)])
        new_hi = max([hi, *(r[3] for r in rows)])
        if (new_lo, new_hi) == (lo, hi):
            return rows
        lo, hi = new_lo, new_hi


def rank_groups(rows: Iterable[tuple]) -> dict:
    """{key: rank} for rows (key, resource_id, start, end): per resource, overlap groups
    (connected components, half-open) ranked 1..n in key order (the order the holds were
    made: (held_since, id))."""
    by_resource = defaultdict(list)
    for row in rows:
        by_resource[row[1]].append(row)
    ranks = {}
    for items in by_resource.values():
        items.sort(key=lambda r: (r[2], r[0]))
        group: list = []
        group_end = None
        for row in [*items, None]:
            if row is not None and group and row[2] < group_end:
                group.append(row)
                group_end = max(group_end, row[3])
                continue
            for rank, member in enumerate(sorted(group, key=lambda r: r[0]), start=1):
                ranks[member[0]] = rank
            if row is not None:
                group, group_end = [row], row[3]
    return ranks


def _rerank(resource_ids, lo, hi, pending: Sequence[Allocation] = ()) -> None:
    """Recompute pencil ranks around [lo, hi); give `pending` (not yet saved) allocations
    their rank in place and update stored ranks that changed.

    Holds rank by when they were made (held_since), then by id; pending ones come after
    stored ones made at the same moment."""
    rows = _pencil_rows(resource_ids, lo, hi)
    big = 1 << 62
    keyed = [((r[5], r[0]), r[1], r[2], r[3]) for r in rows]
    pending_keyed = [((a.held_since, big + i), a) for i, a in enumerate(pending)]
    keyed += [(key, a.resource_id, a.start, a.end) for key, a in pending_keyed]
    ranks = rank_groups(keyed)
    for key, allocation in pending_keyed:
        allocation.hold_rank = ranks[key]
    changed = {r[0]: ranks[(r[5], r[0])] for r in rows if ranks[(r[5], r[0])] != r[4]}
    if changed:
        Allocation.objects.filter(pk__in=list(changed)).update(
            hold_rank=Case(
                *[When(pk=pk, then=Value(rank)) for pk, rank in changed.items()],
                output_field=IntegerField(),
            )
        )


# --- bookings: creation -----------------------------------------------------------------


def _actor_user(actor):
    from postdesk.core.models import User

    return actor if isinstance(actor, User) else None


def _audit_booking(actor, booking, action, changes, summary):
    audit.record(actor, booking, action, changes, summary)


def _summary(booking: Booking, verb: str) -> str:
    return f"{verb} {booking.kind} booking {booking.pk} ({booking.status})"


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


def _check_text(title, notes) -> None:
    if not isinstance(title, str) or len(title) > 200:
        raise InvalidInput.field("title", "title is text of at most 200 characters")
    if not isinstance(notes, str):
        raise InvalidInput.field("notes", "notes must be text")


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
    ids = _resource_ids(resources)
    info = _lock_resources(ids)
    _check_bookable(ids, info)
    series = uuid.uuid4()
    made, skipped = [], []
    for start, end in spans:
        try:
            with transaction.atomic():
                made.append(
                    _insert_booking(
                        job=job,
                        kind=kind,
                        status=status,
                        start=start,
                        end=end,
                        ids=ids,
                        actor=actor,
                        title=title,
                        notes=notes,
                        series=series,
                    )
                )
        except BookingConflict as exc:
            if not skip_conflicts:
                raise
            skipped.append(
                {
                    "start": start,
                    "end": end,
                    "message": exc.message,
                    "conflicts": exc.details["conflicts"],
                }
            )
    for booking in made:
        booking.resource_names = {pk: info[pk]["name"] for pk in ids}
    if not made:
        raise BookingConflict(
            "Every occurrence clashes with a confirmed booking; nothing was booked",
            details={"conflicts": [c for s in skipped for c in s["conflicts"]], "skipped": skipped},
        )
    return made, skipped


# --- bookings: changes ----------------------------------------------------------------


def _current_resource_ids(booking_id: int) -> list[int]:
    return list(
        Allocation.objects.filter(booking_id=booking_id)
        .order_by("pk")
        .values_list("resource_id", flat=True)
    )


def _lock_booking(booking_id: int, extra_resource_ids: Iterable[int] = ()):
    """Lock the booking's resources (plus extra ones) in id order, then the booking.

    Returns (booking, its resource ids, info of all locked resources).
    """
    ids = _current_resource_ids(booking_id)
    info = _lock_resources([*ids, *extra_resource_ids])
    booking = Booking.objects.select_for_update().filter(pk=booking_id).first()
    if booking is None:
        from postdesk.core.errors import NotFound

        raise NotFound(f"No booking with id {booking_id}")
    if _current_resource_ids(booking_id) != ids:
        raise _StaleLocks()
    return booking, ids, info


def _bump(booking: Booking, **fields) -> None:
    fields.setdefault("updated_at", timezone.now())
    for name, value in fields.items():
        setattr(booking, name, value)
    booking.version += 1
    Booking.objects.filter(pk=booking.pk).update(version=F("version") + 1, **fields)


def _set_allocations_status(booking: Booking, status: str) -> None:
    Allocation.objects.filter(booking_id=booking.pk).update(
        status=status, blocking=status in Booking.BLOCKING_STATUSES, hold_rank=None
    )


UNSET = object()


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
    new_ids = list(wanted) if wanted is not None else list(old_ids)
    new_ids += [pk for pk in add_ids if pk not in new_ids]
    for pk in remove_ids:
        if pk not in old_ids:
            raise InvalidInput.field("remove", f"Resource {pk} is not on this booking")
    new_ids = [pk for pk in new_ids if pk not in remove_ids]
    added = [pk for pk in new_ids if pk not in old_ids]
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
    removed = [pk for pk in old_ids if pk not in new_ids]
    if removed:
        Allocation.objects.filter(booking_id=booking.pk, resource_id__in=removed).delete()
    if moved:
        Allocation.objects.filter(booking_id=booking.pk).update(start=new_start, end=new_end)
    _bump(booking, **fields)
    if added:
        Allocation.objects.bulk_create(
            Allocation(
                booking=booking,
                resource_id=pk,
                start=new_start,
                end=new_end,
                status=booking.status,
                blocking=booking.is_blocking,
            )
            for pk in added
        )
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
    return booking


def move_booking(booking, *, start, end, actor) -> Booking:
    return update_booking(booking, start=start, end=end, actor=actor)


def add_resources(booking, *, resources, actor) -> Booking:
    return update_booking(booking, add=resources, actor=actor)


def remove_resources(booking, *, resources, actor) -> Booking:
    return update_booking(booking, remove=resources, actor=actor)


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
    from postdesk.core.timeutil import split_by_local_day
    from postdesk.scheduling.spans import day_span

    booking_id = booking.pk if isinstance(booking, Booking) else booking
    booking, ids, _ = _lock_booking(booking_id)
    _check_rights(actor, booking.kind, booking=booking)
    if booking.status not in (Status.PENCIL, Status.CONFIRMED):
        raise InvalidTransition(f"A {booking.status} booking cannot be split")
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
    _audit_booking(
        actor,
        booking,
        AuditEntry.Action.UPDATE,
        {
            **audit.diff(before, audit.snapshot(booking, BOOKING_FIELDS)),
            "split_into": [None, [b.pk for b in made]],
        },
        f"Split booking {booking.pk} into {len(made)} days",
    )
    return made


# --- bookings: transitions ------------------------------------------------------------


def _transition_audit(actor, booking, old_status, verb, reason=""):
    changes = {"status": [old_status, booking.status]}
    summary = _summary(booking, verb) + (f": {reason}" if reason else "")
    _audit_booking(actor, booking, AuditEntry.Action.TRANSITION, changes, summary)


def _higher_pencils(booking: Booking, ids) -> list[int]:
    """Allocation ids of active pencils made before this booking's own allocation on the
    same resource that overlap it (in the order holds rank: held_since, then id)."""
    own = {
        resource_id: (held_since, pk)
        for resource_id, held_since, pk in Allocation.objects.filter(
            booking_id=booking.pk
        ).values_list("resource_id", "held_since", "id")
    }
    rows = (
        _overlapping(ids, booking.start, booking.end)
        .filter(status=Status.PENCIL)
        .exclude(booking_id=booking.pk)
        .values_list("id", "resource_id", "held_since")
    )
    return [
        pk
        for pk, resource_id, held_since in rows
        if resource_id in own and (held_since, pk) < own[resource_id]
    ]


def _ordinal(n: int | None) -> str:
    if n is None:
        return "a"
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


@serialised
def confirm_booking(booking: Booking | int, *, actor) -> Booking:
    """Pencil -> confirmed. Refused while an earlier overlapping pencil stands on any of its
    resources (HigherPencil) or a blocking allocation overlaps (BookingConflict)."""
    booking_id = booking.pk if isinstance(booking, Booking) else booking
    booking, ids, _ = _lock_booking(booking_id)
    _check_rights(actor, booking.kind, booking=booking)
    if booking.status != Status.PENCIL:
        raise InvalidTransition(f"Only a pencil can be confirmed; this booking is {booking.status}")
    higher = _higher_pencils(booking, ids)
    if higher:
        rows = _details(higher)
        first = rows[0]
        zone = zone_or_facility(first["resource__site__time_zone"])
        holder = first["booking__owner__username"]
        message = (
            f"{first['resource__name']} has a higher pencil: booking {first['booking_id']} "
            f"{_for(first)} ({_ordinal(first['hold_rank'])} pencil"
            f"{', held by ' + holder if holder else ''}) "
            f"{_when(first['start'], first['end'], zone)}. Challenge it or wait for its release."
        )
        raise HigherPencil(
            message,
            details={
                "pencils": [
                    {
                        **_conflict_item(r),
                        "hold_rank": r["hold_rank"],
                        "owner": r["booking__owner__username"],
                    }
                    for r in rows
                ]
            },
        )
    _check_blocking_clashes(ids, booking.start, booking.end, exclude_booking=booking.pk)
    old = booking.status
    _bump(booking, status=Status.CONFIRMED, challenge_deadline=None, challenged_by=None)
    _set_allocations_status(booking, Status.CONFIRMED)
    _rerank(ids, booking.start, booking.end)
    _transition_audit(actor, booking, old, "Confirmed")
    return booking


def _end_booking(booking_id: int, *, actor, status: str, allowed: tuple, verb: str, reason=""):
    booking, ids, _ = _lock_booking(booking_id)
    _check_rights(actor, booking.kind, booking=booking)
    if booking.status not in allowed:
        raise InvalidTransition(
            f"A {booking.status} booking cannot be {verb.lower()}; only {' or '.join(allowed)} ones"
        )
    old = booking.status
    _bump(booking, status=status, challenge_deadline=None, challenged_by=None)
    _set_allocations_status(booking, status)
    if old == Status.PENCIL:
        _rerank(ids, booking.start, booking.end)
    _transition_audit(actor, booking, old, verb, reason)
    _lift_challenges_made_by(booking, actor)
    return booking


def _lift_challenges_made_by(challenger: Booking, actor, keep: Iterable[int] = ()) -> None:
    """A challenger that goes away (or moves off) no longer presses the pencils it
    challenged, except those in `keep`."""
    held_qs = Booking.objects.select_for_update().filter(
        challenged_by=challenger, status=Status.PENCIL, challenge_deadline__isnull=False
    )
    for held in held_qs.exclude(pk__in=list(keep)):
        before = held.challenge_deadline
        reason = (
            "it is " + challenger.status
            if challenger.status != Status.PENCIL
            else ("they no longer overlap")
        )
        _bump(held, challenge_deadline=None, challenged_by=None)
        _audit_booking(
            actor,
            held,
            AuditEntry.Action.TRANSITION,
            {"challenge_deadline": [audit._plain(before), None]},
            f"Challenge by booking {challenger.pk} lifted: {reason}",
        )


def _reconcile_challenges(booking: Booking, actor) -> None:
    """After a pencil moves or changes resources, challenges stand only between pencils
    that still overlap with the challenged one ranked higher."""
    if Booking.objects.filter(challenged_by=booking, challenge_deadline__isnull=False).exists():
        ids = _current_resource_ids(booking.pk)
        still_higher = Allocation.objects.filter(pk__in=_higher_pencils(booking, ids)).values_list(
            "booking_id", flat=True
        )
        _lift_challenges_made_by(booking, actor, keep=set(still_higher))
    if booking.challenge_deadline is not None and booking.challenged_by_id is not None:
        challenger = Booking.objects.filter(pk=booking.challenged_by_id).first()
        if challenger is None:
            return
        higher = _higher_pencils(challenger, _current_resource_ids(challenger.pk))
        if not Allocation.objects.filter(pk__in=higher, booking_id=booking.pk).exists():
            before = booking.challenge_deadline
            _bump(booking, challenge_deadline=None, challenged_by=None)
            _audit_booking(
                actor,
                booking,
                AuditEntry.Action.TRANSITION,
                {"challenge_deadline": [audit._plain(before), None]},
                f"Challenge by booking {challenger.pk} lifted: they no longer overlap",
            )


@serialised
def release_booking(booking: Booking | int, *, actor) -> Booking:
    """Pencil -> released; the pencils below move up."""
    booking_id = booking.pk if isinstance(booking, Booking) else booking
    return _end_booking(
        booking_id, actor=actor, status=Status.RELEASED, allowed=(Status.PENCIL,), verb="Released"
    )


@serialised
def cancel_booking(booking: Booking | int, *, actor) -> Booking:
    """Pencil or confirmed -> cancelled (kept, never deleted)."""
    booking_id = booking.pk if isinstance(booking, Booking) else booking
    return _end_booking(
        booking_id,
        actor=actor,
        status=Status.CANCELLED,
        allowed=(Status.PENCIL, Status.CONFIRMED),
        verb="Cancelled",
    )


@serialised
def complete_booking(booking: Booking | int, *, actor, now=None) -> Booking:
    """Confirmed and over -> completed (still blocking: it happened)."""
    booking_id = booking.pk if isinstance(booking, Booking) else booking
    booking, _, _ = _lock_booking(booking_id)
    _check_rights(actor, booking.kind, booking=booking)
    if booking.status != Status.CONFIRMED:
        raise InvalidTransition(
            f"Only a confirmed booking can be completed; this one is {booking.status}"
        )
    if booking.end > (now or timezone.now()):
        raise InvalidTransition("A booking can be completed only once it has ended")
    old = booking.status
    _bump(booking, status=Status.COMPLETED)
    _set_allocations_status(booking, Status.COMPLETED)
    _transition_audit(actor, booking, old, "Completed")
    return booking


@serialised
def challenge_booking(challenger: Booking | int, *, actor) -> list[Booking]:
    """The pencil `challenger` presses every higher overlapping pencil: each must confirm or
    release by now + CHALLENGE_HOURS, or a background task releases it. Their job's
    contact and their owner are emailed. Returns the challenged bookings."""
    challenger_id = challenger.pk if isinstance(challenger, Booking) else challenger
    challenger, ids, _ = _lock_booking(challenger_id)
    _check_rights(actor, challenger.kind, booking=challenger)
    if challenger.status != Status.PENCIL:
        raise InvalidTransition(f"Only a pencil can challenge; this booking is {challenger.status}")
    higher = _higher_pencils(challenger, ids)
    if not higher:
        raise InvalidTransition(
            f"Booking {challenger.pk} is the first pencil on all its resources: "
            "there is nothing to challenge; confirm it instead"
        )
    held_ids = sorted(
        set(Allocation.objects.filter(pk__in=higher).values_list("booking_id", flat=True))
    )
    now = timezone.now()
    deadline = now + datetime.timedelta(hours=settings.POSTDESK["CHALLENGE_HOURS"])
    challenged = []
    for held in Booking.objects.select_for_update().filter(pk__in=held_ids).order_by("pk"):
        if held.challenge_deadline is not None and held.challenge_deadline > now:
            challenged.append(held)  # already running against the clock; not extended
            continue
        _bump(held, challenge_deadline=deadline, challenged_by=challenger)
        _audit_booking(
            actor,
            held,
            AuditEntry.Action.TRANSITION,
            {
                "challenge_deadline": [None, deadline.isoformat()],
                "challenged_by": [None, challenger.pk],
            },
            f"Challenged by booking {challenger.pk}: confirm or release by "
            f"{deadline:%Y-%m-%d %H:%M} UTC",
        )
        challenged.append(held)
        jobs.enqueue_on_commit("postdesk.scheduling.tasks.mail_challenge_notice", held.pk)
        jobs.enqueue_on_commit(
            "postdesk.scheduling.tasks.release_lapsed_challenge", held.pk, run_after=deadline
        )
    _audit_booking(
        actor,
        challenger,
        AuditEntry.Action.TRANSITION,
        {"challenged": [None, [b.pk for b in challenged]]},
        f"Booking {challenger.pk} challenged {', '.join(str(b.pk) for b in challenged)}",
    )
    return challenged


@serialised
def release_if_lapsed(booking_id: int, *, now=None) -> bool:
    """Release a challenged pencil whose deadline has passed; False if nothing to do."""
    now = now or timezone.now()
    booking = Booking.objects.filter(pk=booking_id).only("status", "challenge_deadline").first()
    if (
        booking is None
        or booking.status != Status.PENCIL
        or booking.challenge_deadline is None
        or booking.challenge_deadline > now
    ):
        return False
    booking, _, _ = _lock_booking(booking_id)
    if (
        booking.status != Status.PENCIL
        or booking.challenge_deadline is None
        or booking.challenge_deadline > now
    ):
        return False
    _end_booking(
        booking_id,
        actor="worker",
        status=Status.RELEASED,
        allowed=(Status.PENCIL,),
        verb="Released",
        reason="challenge lapsed",
    )
    return True


def complete_past_bookings(*, actor, now=None) -> int:
    """Mark confirmed bookings that have ended as completed; returns how many."""
    now = now or timezone.now()
    done = 0
    for pk in Booking.objects.filter(status=Status.CONFIRMED, end__lte=now).values_list(
        "pk", flat=True
    ):
        complete_booking(pk, actor=actor, now=now)
        done += 1
    return done


# --- resources and skills ---------------------------------------------------------------

RESOURCE_FIELDS = (
    "kind",
    "name",
    "site_id",
    "capacity",
    "bookable",
    "colour",
    "working_hours",
    "notes",
    "employment",
    "day_rate",
    "currency",
    "email",
    "phone",
    "location_id",
    "sort_order",
    "archived_at",
)


def _skills_of(skills) -> list[Skill]:
    out = []
    for item in skills:
        if isinstance(item, Skill):
            out.append(item)
            continue
        if isinstance(item, int) and not isinstance(item, bool):
            skill = Skill.objects.filter(pk=item).first() if is_id(item) else None
        else:
            skill = Skill.objects.filter(name=item).first()
        if skill is None:
            raise InvalidInput.field("skills", f"No skill {item!r}")
        out.append(skill)
    return out


def _with_new_skills(skills: list[Skill], names: Iterable[str], actor) -> list[Skill]:
    """`skills` plus the skills named in `names`: a name the house has already (in any
    case: "avid" is "Avid") is that skill, any other is created (and audited) here, so
    a resource form can tag a resource with a skill nobody has entered yet."""
    out = list(skills)
    for raw in names:
        name = " ".join(str(raw).split())
        if not name:
            continue
        limit = Skill._meta.get_field("name").max_length
        if len(name) > limit:
            raise InvalidInput.field("new_skills", f"A skill name has at most {limit} characters")
        skill = Skill.objects.filter(name__iexact=name).first()
        if skill is None:
            skill = create_skill(actor=actor, name=name)
        if all(s.pk != skill.pk for s in out):
            out.append(skill)
    return out


def _check_resource(resource: Resource) -> None:
    from postdesk.core.crud import validate

    resource.working_hours = validate_working_hours(resource.working_hours)
    if resource.location_id is not None:
        location = Resource.objects.filter(pk=resource.location_id).first()
        if location is None:
            raise InvalidInput.field("location", f"No resource with id {resource.location_id}")
        if location.kind != Resource.Kind.ROOM:
            raise InvalidInput.field("location", "An item can only be located in a room")
        if resource.pk is not None and location.pk == resource.pk:
            raise InvalidInput.field("location", "A resource cannot be located in itself")
    validate(resource, exclude=["location"])


@transaction.atomic
def create_resource(
    *, actor, skills: Iterable = (), new_skills: Iterable[str] = (), **fields
) -> Resource:
    """A new resource with `skills` (skills, ids or names) and `new_skills` (names, made
    into skills when the house has none of that name)."""
    resource = Resource(**fields)
    _check_resource(resource)
    try:
        with transaction.atomic():
            resource.save()
    except IntegrityError as exc:
        raise Conflict(f"A resource named {resource.name!r} exists at this site already") from exc
    skill_list = _with_new_skills(_skills_of(skills), new_skills, actor)
    resource.skills.set(skill_list)
    changes = audit.diff({}, audit.snapshot(resource, RESOURCE_FIELDS))
    changes["skills"] = [None, sorted(s.name for s in skill_list)]
    audit.record(
        actor,
        resource,
        AuditEntry.Action.CREATE,
        changes,
        f"Created {resource.kind} {resource.name}",
    )
    return resource


@transaction.atomic
def update_resource(
    resource: Resource,
    *,
    actor,
    skills: Iterable | None = None,
    new_skills: Iterable[str] = (),
    summary: str = "",
    **changes,
) -> Resource:
    """Change the fields in `changes`; `skills` replaces the skills, `new_skills` adds
    skills by name (creating those the house has not got)."""
    resource = Resource.objects.select_for_update().get(pk=resource.pk)
    before = audit.snapshot(resource, RESOURCE_FIELDS)
    old_skills = sorted(resource.skills.values_list("name", flat=True))
    for name, value in changes.items():
        setattr(resource, name, value)
    _check_resource(resource)
    try:
        with transaction.atomic():
            resource.save()
    except IntegrityError as exc:
        raise Conflict(f"A resource named {resource.name!r} exists at this site already") from exc
    diff = audit.diff(before, audit.snapshot(resource, RESOURCE_FIELDS))
    new_skills = list(new_skills)
    if skills is not None or new_skills:
        kept = _skills_of(skills) if skills is not None else list(resource.skills.all())
        skill_list = _with_new_skills(kept, new_skills, actor)
        resource.skills.set(skill_list)
        names = sorted(s.name for s in skill_list)
        if names != old_skills:
            diff["skills"] = [old_skills, names]
    if diff:
        audit.record(
            actor,
            resource,
            AuditEntry.Action.UPDATE,
            diff,
            summary or f"Changed {resource.name}",
        )
    return resource


@transaction.atomic
def archive_resource(resource: Resource, *, actor, now=None) -> Resource:
    """Archived resources keep their history but cannot be booked. Refused while active
    bookings still lie ahead on it."""
    now = now or timezone.now()
    # Lock the row first: a booking made meanwhile locks it too (_lock_resources), so it
    # either lands before the count below or finds the resource archived.
    resource = Resource.objects.select_for_update().get(pk=resource.pk)
    ahead = Allocation.objects.filter(
        resource=resource, end__gt=now, status__in=(Status.PENCIL, Status.CONFIRMED)
    ).count()
    if ahead:
        raise Conflict(
            f"{resource.name} still has {ahead} active booking{'s' if ahead > 1 else ''} "
            "ahead; move or cancel them before archiving",
            details={"active_bookings_ahead": ahead},
        )
    if resource.archived_at is not None:
        return resource
    return update_resource(
        resource, actor=actor, archived_at=now, summary=f"Archived {resource.name}"
    )


def restore_resource(resource: Resource, *, actor) -> Resource:
    return update_resource(
        resource, actor=actor, archived_at=None, summary=f"Restored {resource.name}"
    )


@transaction.atomic
def delete_resource(resource: Resource, *, actor) -> str:
    """Delete a resource never booked; one with history is archived instead.
    Returns "deleted" or "archived"."""
    if Allocation.objects.filter(resource=resource).exists():
        archive_resource(resource, actor=actor)
        return "archived"
    before = audit.snapshot(resource, RESOURCE_FIELDS)
    before["id"] = resource.pk
    Resource.objects.filter(location=resource).update(location=None)
    resource.delete()
    audit.record_delete(actor, resource, before, f"Deleted {before['kind']} {resource.name}")
    return "deleted"


def create_skill(*, actor, name: str) -> Skill:
    from postdesk.core import crud

    return crud.create(Skill, actor=actor, name=name)


def update_skill(skill: Skill, *, actor, name: str) -> Skill:
    from postdesk.core import crud

    return crud.update(skill, actor=actor, name=name)


def delete_skill(skill: Skill, *, actor) -> None:
    from postdesk.core import crud

    crud.delete(skill, actor=actor)
