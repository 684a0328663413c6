"""Reads of scheduling that pages and the API share: bookings, the board, availability.

Bulk reads go from values_list() straight to plain dicts for orjson (DESIGN); each
function issues a fixed number of queries whatever the size of the facility.
"""

import datetime
import hashlib
import zoneinfo
from collections import defaultdict
from collections.abc import Iterable
from operator import itemgetter

import orjson
from django.conf import settings
from django.db import NotSupportedError, connection
from django.db.models import (
    BooleanField,
    CharField,
    Count,
    F,
    Func,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    TextField,
    Value,
)
from django.db.models.functions import Cast
from django.utils import timezone

from postdesk.core.errors import InvalidInput
from postdesk.core.ids import id_from_text
from postdesk.core.roles import scope_to_client
from postdesk.core.timeutil import facility_zone, hours, local_day_bounds, require_instant
from postdesk.scheduling import spans
from postdesk.scheduling.models import Allocation, Booking, Resource, Skill

Status = Booking.Status


def max_span() -> datetime.timedelta:
    return datetime.timedelta(days=settings.POSTDESK["MAX_BOOKING_DAYS"])


class SpanOverlaps(Func):
    """PostgreSQL: tstzrange(start, end, '[)') && tstzrange(:lo, :hi, '[)'), which the
    (resource, span) GiST index of migration 0004 answers without reading older rows."""

    arity = 4
    conditional = True
    output_field = BooleanField()

    def as_sql(self, compiler, connection, **extra):
        parts = [compiler.compile(expr) for expr in self.get_source_expressions()]
        (start, end, lo, hi) = (sql for sql, _ in parts)
        params = [p for _, ps in parts for p in ps]
        return f"tstzrange({start}, {end}, '[)') && tstzrange({lo}, {hi}, '[)')", params


def overlapping(qs, start, end):
    """Rows of an allocation queryset overlapping [start, end).

    On SQLite the (resource, start) b-tree is bounded on both sides by the longest allowed
    span; on PostgreSQL a range overlap uses the GiST index instead.
    """
    if connection.vendor == "postgresql":
        return qs.filter(SpanOverlaps(F("start"), F("end"), Value(start), Value(end)))
    return qs.filter(start__lt=end, start__gt=start - max_span(), end__gt=start)


def check_window(start, end, *, max_days: int = 366, fields=("start", "end")) -> None:
    """A window of at most `max_days` inside the accepted dates: what a read may cover."""
    require_instant(start, fields[0])
    require_instant(end, fields[1])
    if end <= start:
        raise InvalidInput.field(fields[1], f"{fields[1]} must be after {fields[0]}")
    if end - start > datetime.timedelta(days=max_days):
        raise InvalidInput.field(fields[1], f"The window may span at most {max_days} days")


# --- bookings ---------------------------------------------------------------------------


def bookings_for(user):
    """Bookings the user may see: client users only their own company's job bookings."""
    qs = Booking.objects.select_related("job__client", "job__production")
    return scope_to_client(user, qs, "job__client")


def booking_dict(booking: Booking) -> dict:
    """A booking with its allocations (hold_rank on pencils), for API responses."""
    allocations = getattr(booking, "allocation_list", None)
    names = getattr(booking, "resource_names", None)
    if allocations is None or names is None:
        allocations = list(booking.allocations.select_related("resource").order_by("pk"))
        names = {a.resource_id: a.resource.name for a in allocations}
    job = booking.job if booking.job_id else None
    return {
        "id": booking.pk,
        "kind": booking.kind,
        "status": booking.status,
        "job": booking.job_id,
        "job_number": job.number if job else None,
        "client": job.client_id if job else None,
        "client_name": job.client.name if job else None,
        "production": job.production_id if job else None,
        "production_title": job.production.title if job else None,
        "title": booking.title,
        "notes": booking.notes,
        "start": booking.start,
        "end": booking.end,
        "owner": booking.owner_id,
        "series": str(booking.series) if booking.series else None,
        "challenge_deadline": booking.challenge_deadline,
        "challenged_by": booking.challenged_by_id,
        "version": booking.version,
        "allocations": [
            {
                "id": a.pk,
                "resource": a.resource_id,
                "resource_name": names.get(a.resource_id),
                "start": a.start,
                "end": a.end,
                "status": a.status,
                "blocking": a.blocking,
                "hold_rank": a.hold_rank,
            }
            for a in allocations
        ],
    }


def filter_bookings(
    qs,
    *,
    job=None,
    resource=None,
    status=None,
    kind=None,
    client=None,
    production=None,
    start=None,
    end=None,
    series=None,
):
    if job:
        qs = qs.filter(job_id=job)
    if client:
        qs = qs.filter(job__client_id=client)
    if production:
        qs = qs.filter(job__production_id=production)
    if status:
        qs = qs.filter(status__in=status)
    if kind:
        qs = qs.filter(kind=kind)
    if series:
        qs = qs.filter(series=series)
    if resource:
        qs = qs.filter(pk__in=Allocation.objects.filter(resource_id=resource).values("booking_id"))
    if start:
        qs = qs.filter(end__gt=start)
    if end:
        qs = qs.filter(start__lt=end)
    return qs.prefetch_related("allocations__resource")


# --- the board --------------------------------------------------------------------------


class UtcInstant(Func):
    """A UTC instant for bulk JSON output, in the form each database gives most cheaply;
    `json_response` writes both exactly as orjson writes an aware datetime
    ("2026-03-02T09:00:00+00:00", microseconds only when present):

    - PostgreSQL: a naive UTC datetime (`x AT TIME ZONE 'UTC'`), which psycopg builds in
      C. Django loads timestamptz through a Python loader (about 4 us a value, most of
      a board's time), and formatting text in SQL cost 3 ms of a week's board
      (bench/RESULTS.md).
    - SQLite: ISO text made from the stored UTC text "YYYY-MM-DD HH:MM:SS[.ffffff]".
    """

    output_field = CharField()  # a field Django converts nothing for, on either database
    arity = 1

    def as_sql(self, compiler, connection, **extra_context):
        raise NotSupportedError(f"UtcInstant is not available on {connection.vendor}")

    def as_postgresql(self, compiler, connection, **extra_context):
        template = "(%(expressions)s AT TIME ZONE 'UTC')"
        return super().as_sql(compiler, connection, template=template, **extra_context)

    def as_sqlite(self, compiler, connection, **extra_context):
        template = "(replace(%(expressions)s, ' ', 'T') || '+00:00')"
        return super().as_sql(compiler, connection, template=template, **extra_context)


def instant_text(value: datetime.datetime | str | None) -> str | None:
    """The text the API shows for an instant: a UtcInstant value (naive UTC datetime or
    ISO text) or an aware datetime. For comparing instants in fingerprints."""
    if value is None or isinstance(value, str):
        return value
    if value.tzinfo is None:
        return value.isoformat() + "+00:00"
    return value.astimezone(datetime.UTC).isoformat()


class SkillNames(Func):
    """A resource's skill names, sorted, as a column of the resource's own row (one query
    for resources and skills). PostgreSQL gives an array; SQLite a text joined by U+001F,
    which `skill_list` splits."""

    arity = 1  # the resource's id
    output_field = CharField()
    SEPARATOR = "\x1f"

    def _names(self) -> str:
        through = Resource.skills.through._meta.db_table
        return (
            f"SELECT s.name AS name FROM {through} rs "
            f"INNER JOIN {Skill._meta.db_table} s ON s.id = rs.skill_id "
            "WHERE rs.resource_id = %(expressions)s ORDER BY s.name"
        )

    def as_sql(self, compiler, connection, **extra_context):
        raise NotSupportedError(f"SkillNames is not available on {connection.vendor}")

    def as_postgresql(self, compiler, connection, **extra_context):
        template = f"ARRAY({self._names()})"
        return super().as_sql(compiler, connection, template=template, **extra_context)

    def as_sqlite(self, compiler, connection, **extra_context):
        template = f"(SELECT group_concat(name, char(31)) FROM ({self._names()}))"
        return super().as_sql(compiler, connection, template=template, **extra_context)


def skill_list(value) -> list[str]:
    if not value:
        return []
    return value.split(SkillNames.SEPARATOR) if isinstance(value, str) else list(value)


def _resource_dicts(qs, **extra) -> list[dict]:
    """The resources of `qs` in board order, each with its sorted skills and any `extra`
    columns (name=expression), in one query."""
    rows = qs.order_by("site__name", "kind", "sort_order", "name").values_list(
        *RESOURCE_COLUMNS, *extra.values(), SkillNames("id")
    )
    keys = (*RESOURCE_KEYS, *extra)
    out = []
    for *values, skills in rows:
        item = dict(zip(keys, values, strict=True))
        item["working_hours"] = orjson.Fragment(item["working_hours"])
        item["skills"] = skill_list(skills)
        out.append(item)
    return out


RESOURCE_KEYS = (
    "id",
    "name",
    "kind",
    "site",
    "site_name",
    "colour",
    "capacity",
    "working_hours",
    "sort_order",
    "location",
)
RESOURCE_COLUMNS = (
    "id",
    "name",
    "kind",
    "site_id",
    "site__name",
    "colour",
    "capacity",
    # As the JSON text stored, which json_response writes as it is (orjson.Fragment):
    # parsing it into a dict cost more than the rest of a resource's row.
    Cast("working_hours", TextField()),
    "sort_order",
    "location_id",
)

# The board sends allocations as rows of these fields (named once in
# "allocation_fields"), straight from the database cursor: building a dict per allocation
# cost more than the query at 15,000 allocations (bench/RESULTS.md). Jobs and owners,
# shared by many allocations, come once each in "jobs" and "owners", keyed by id.
ALLOCATION_FIELDS = (
    "id",
    "booking",
    "resource",
    "start",
    "end",
    "status",
    "kind",
    "blocking",
    "hold_rank",
    "title",
    "job",
    "challenge_deadline",
    "owner",
    "version",
    "updated_at",
)
ALLOCATION_COLUMNS = (
    "id",
    "booking_id",
    "resource_id",
    UtcInstant("start"),
    UtcInstant("end"),
    "status",
    "booking__kind",
    "blocking",
    "hold_rank",
    "booking__title",
    "booking__job_id",
    UtcInstant("booking__challenge_deadline"),
    "booking__owner_id",
    "booking__version",
    UtcInstant("booking__updated_at"),
)
_ID, _JOB, _OWNER, _VERSION, _UPDATED = (
    ALLOCATION_FIELDS.index(name) for name in ("id", "job", "owner", "version", "updated_at")
)
JOB_KEYS = ("number", "client", "client_name", "client_colour", "production", "production_title")
JOB_COLUMNS = (
    "number",
    "client_id",
    "client__name",
    "client__colour",
    "production_id",
    "production__title",
)


def _jobs_and_owners(rows: list[tuple]) -> tuple[dict, dict, tuple]:
    """{job id: its number, client and production}, {owner id: username} for the rows,
    and when their clients and productions last changed (for the ETag)."""
    from postdesk.core.models import User
    from postdesk.productions.models import Job

    job_ids = {row[_JOB] for row in rows} - {None}
    owner_ids = {row[_OWNER] for row in rows} - {None}
    jobs, clients_changed, productions_changed = {}, [], []
    if job_ids:
        # order_by(): the jobs' default ordering would only add a sort.
        for job_id, *values, client_changed, production_changed in (
            Job.objects.filter(pk__in=job_ids)
            .order_by()
            .values_list(
                "id",
                *JOB_COLUMNS,
                UtcInstant("client__updated_at"),
                UtcInstant("production__updated_at"),
            )
        ):
            jobs[job_id] = dict(zip(JOB_KEYS, values, strict=True))
            clients_changed.append(client_changed)
            productions_changed.append(production_changed)
    owners = dict(User.objects.filter(pk__in=owner_ids).order_by().values_list("id", "username"))
    names_changed = (
        instant_text(max(clients_changed, default=None)),
        instant_text(max(productions_changed, default=None)),
    )
    return jobs, owners, names_changed


def _ints(values: Iterable, field: str) -> list[int]:
    out = []
    for value in values:
        try:
            out.append(int(value))
        except (TypeError, ValueError):
            raise InvalidInput.field(field, f"{value!r} is not an id") from None
    return out


def resources_queryset(*, site=None, kind=None, skills=(), ids=None, archived=False):
    """Resources filtered for the board and availability. `site` is an id or a code;
    `skills` ids or names, all of which a resource must have."""
    qs = Resource.objects.all()
    if archived is not None:
        qs = qs.filter(archived_at__isnull=not archived)
    if site not in (None, ""):
        site = str(site)
        if site.isdigit():
            # A number no site can have matches none, like an unknown code.
            site_id = id_from_text(site)
            qs = qs.filter(site_id=site_id) if site_id is not None else qs.none()
        else:
            qs = qs.filter(site__code=site)
    if kind:
        if kind not in Resource.Kind.values:
            raise InvalidInput.field(
                "kind", f"kind must be one of {', '.join(Resource.Kind.values)}"
            )
        qs = qs.filter(kind=kind)
    for skill in skills:
        skill = str(skill).strip()
        if skill.isdigit():
            skill_id = id_from_text(skill)
            qs = qs.filter(skills__id=skill_id) if skill_id is not None else qs.none()
        elif skill:
            qs = qs.filter(skills__name__iexact=skill)
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    return qs


def _window_allocations(user, resources, window: dict):
    """Allocations of the window's resources overlapping [start, end), filtered by status
    (default: the active ones), client, production and search, scoped to client users.

    `resources` is a queryset of them or, when they have been read already, their ids:
    PostgreSQL plans a list of ids in a quarter of the time of the subquery, and reads
    them in one scan of the span index rather than one scan per resource
    (bench/RESULTS.md)."""
    client, production, q = window.get("client"), window.get("production"), window.get("q")
    if isinstance(resources, QuerySet):
        # order_by(): the default ordering would only add a sort to the subquery.
        resources = Subquery(resources.order_by().values("pk"))
    qs = overlapping(Allocation.objects.all(), window["start"], window["end"]).filter(
        status__in=board_status(window.get("status")) or Booking.ACTIVE_STATUSES,
        resource_id__in=resources,
    )
    qs = scope_to_client(user, qs, "booking__job__client")
    if client:
        qs = qs.filter(booking__job__client_id=client)
    if production:
        qs = qs.filter(booking__job__production_id=production)
    if q:
        qs = qs.filter(
            Q(booking__job__number__icontains=q)
            | Q(booking__job__client__name__icontains=q)
            | Q(booking__job__production__title__icontains=q)
            | Q(booking__title__icontains=q)
        )
    return qs


def board_status(status) -> list[str] | None:
    if not status:
        return None
    wanted = [
        s.strip() for s in (status if isinstance(status, list) else status.split(",")) if s.strip()
    ]
    for s in wanted:
        if s not in Status.values:
            raise InvalidInput.field("status", f"status must be among {', '.join(Status.values)}")
    return wanted


def _fingerprint(user, window: dict, allocations: tuple, resources: tuple) -> str:
    """The board's ETag from what identifies the request and summarises its rows.

    `allocations` is (count, sum of ids, sum of booking versions, latest booking change,
    latest change of their clients, of their productions) and `resources` (count, sum of
    ids, latest change): they change whenever a booking in the window is created, moved,
    re-resourced or changes state, a client or production on it is renamed, or a resource
    shown is edited, in whatever order transactions commit.
    """
    key = repr(
        (
            window["start"].isoformat(),
            window["end"].isoformat(),
            window.get("site"),
            window.get("kind"),
            tuple(window.get("skills") or ()),
            window.get("client"),
            window.get("production"),
            window.get("status"),
            window.get("q"),
            getattr(user, "client_id", None),
            allocations,
            resources,
        )
    )
    return 'W/"' + hashlib.blake2b(key.encode(), digest_size=12).hexdigest() + '"'


def _window_resources(window: dict):
    return resources_queryset(
        site=window.get("site"), kind=window.get("kind"), skills=window.get("skills") or ()
    )


def board_etag(user, **window) -> str:
    """What `board` would return as its ETag, from two aggregate queries: the cheap answer
    to a poll with If-None-Match, which is 304 unless something changed."""
    resource_qs = _window_resources(window)
    totals = _window_allocations(user, resource_qs, window).aggregate(
        n=Count("id"),
        ids=Sum("id"),
        versions=Sum("booking__version"),
        latest=Max("booking__updated_at"),
        clients=Max("booking__job__client__updated_at"),
        productions=Max("booking__job__production__updated_at"),
    )
    shown = resource_qs.aggregate(n=Count("id"), ids=Sum("id"), latest=Max("updated_at"))
    return _fingerprint(
        user,
        window,
        (
            totals["n"],
            int(totals["ids"] or 0),
            int(totals["versions"] or 0),
            instant_text(totals["latest"]),
            instant_text(totals["clients"]),
            instant_text(totals["productions"]),
        ),
        (shown["n"], int(shown["ids"] or 0), instant_text(shown["latest"])),
    )


def board(user, **window) -> tuple[dict, str]:
    """Everything the booking board draws for the window [start, end), and its ETag.

    Resources (filtered by site, kind, skills) and the allocations of active bookings
    overlapping the window (filtered by client, production, status, search). Five queries
    whatever the size; the ETag comes from the same rows, equal to `board_etag`'s.
    """
    start, end = window["start"], window["end"]
    check_window(start, end)
    resource_qs = _window_resources(window)
    resources = _resource_dicts(resource_qs, changed=UtcInstant("updated_at"))
    ids = [item["id"] for item in resources]
    changed = [item.pop("changed") for item in resources]  # for the ETag, not the payload
    rows = []
    if ids:
        rows = list(
            _window_allocations(user, ids, window)
            .order_by("resource_id", "start", "end", "id")  # the span index's order
            .values_list(*ALLOCATION_COLUMNS)
        )
    jobs, owners, names_changed = _jobs_and_owners(rows)
    etag = _fingerprint(
        user,
        window,
        (
            len(rows),
            sum(map(itemgetter(_ID), rows)),
            sum(map(itemgetter(_VERSION), rows)),
            instant_text(max(map(itemgetter(_UPDATED), rows), default=None)),
            *names_changed,
        ),
        (len(ids), sum(ids), instant_text(max(changed, default=None))),
    )
    payload = {
        "start": start,
        "end": end,
        "time_zone": settings.TIME_ZONE,
        "resources": resources,
        "allocation_fields": ALLOCATION_FIELDS,
        "allocations": rows,
        "jobs": jobs,
        "owners": owners,
    }
    return payload, etag


# --- availability -----------------------------------------------------------------------


def free_resources(
    *, start, end, kind=None, skills=(), site=None, pencils_block=False, user=None
) -> dict:
    """(a) Bookable resources (kind, all skills, site) free for the whole of [start, end).

    Pencils do not make a resource busy unless pencils_block; the pencils touching each
    free resource are listed with it (for a client user, only their company's).
    """
    check_window(start, end)
    resource_qs = resources_queryset(site=site, kind=kind, skills=skills).filter(bookable=True)
    # Blocking allocations of a resource never overlap, so the one that starts last before
    # `end` also ends last: the resource is free iff that one ends by `start`. One short
    # backward index probe per resource instead of reading every allocation in the span.
    last_blocking_end = Subquery(
        Allocation.objects.filter(resource_id=OuterRef("pk"), blocking=True, start__lt=end)
        .order_by("-start")
        .values("end")[:1]
    )
    free_qs = resource_qs.annotate(last_end=last_blocking_end).filter(
        Q(last_end__isnull=True) | Q(last_end__lte=start)
    )
    window = overlapping(Allocation.objects.filter(status=Status.PENCIL), start, end)
    if pencils_block:
        free_qs = free_qs.exclude(
            pk__in=window.filter(resource_id__in=Subquery(resource_qs.values("pk"))).values(
                "resource_id"
            )
        )
    out = _resource_dicts(free_qs)
    ids = [item["id"] for item in out]
    pencils = defaultdict(list)
    if ids and not pencils_block:
        listed = window if user is None else scope_to_client(user, window, "booking__job__client")
        for p in (
            listed.filter(resource_id__in=ids)
            .order_by("start", "id")
            .values_list(
                "resource_id",
                "booking_id",
                UtcInstant("start"),
                UtcInstant("end"),
                "hold_rank",
                "booking__job__number",
                "booking__job__client__name",
                UtcInstant("booking__challenge_deadline"),
            )
        ):
            pencils[p[0]].append(
                {
                    "booking": p[1],
                    "start": p[2],
                    "end": p[3],
                    "hold_rank": p[4],
                    "job_number": p[5],
                    "client_name": p[6],
                    "challenge_deadline": p[7],
                }
            )
    for item in out:
        item["pencils"] = pencils.get(item["id"], [])
    return {"start": start, "end": end, "pencils_block": pencils_block, "resources": out}


def _zone(name) -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(name) if name else facility_zone()


def zone_of_resources(ids: Iterable[int]) -> zoneinfo.ZoneInfo:
    """The time zone of the first resource's site (the facility's when unknown)."""
    ids = list(ids)
    name = (
        Resource.objects.filter(pk=ids[0]).values_list("site__time_zone", flat=True).first()
        if ids
        else None
    )
    return _zone(name)


def _bookable_rows(resource_ids) -> dict[int, tuple]:
    rows = Resource.objects.filter(pk__in=resource_ids).values_list(
        "id", "name", "working_hours", "site__time_zone", "archived_at"
    )
    found = {row[0]: row for row in rows}
    for pk in resource_ids:
        if pk not in found:
            raise InvalidInput.field("resources", f"No resource with id {pk}")
    return found


def earliest_slots(
    *,
    resource_ids,
    duration: datetime.timedelta,
    start,
    end,
    working_hours=False,
    pencils_block=False,
    limit=10,
) -> dict:
    """(b) The earliest spans in [start, end) where all the resources are free for
    `duration` (within each resource's working hours when asked): the first possible
    start in each common free interval, with how long the interval lasts."""
    check_window(start, end)
    if not resource_ids:
        raise InvalidInput.field("resources", "Name at least one resource")
    if duration <= datetime.timedelta(0):
        raise InvalidInput.field("duration", "duration must be positive")
    if duration > max_span():
        raise InvalidInput.field("duration", "duration is longer than the longest booking")
    found = _bookable_rows(resource_ids)
    statuses = [Status.CONFIRMED, Status.COMPLETED] + ([Status.PENCIL] if pencils_block else [])
    busy = defaultdict(list)
    for resource_id, lo, hi in overlapping(
        Allocation.objects.filter(resource_id__in=resource_ids, status__in=statuses), start, end
    ).values_list("resource_id", "start", "end"):
        busy[resource_id].append((lo, hi))
    common = [(start, end)]
    for pk in resource_ids:
        _, _, hours_json, zone_name, archived = found[pk]
        if archived is not None:
            common = []
            break
        free = spans.subtract([(start, end)], busy[pk])
        if working_hours:
            free = spans.intersect(
                free,
                spans.merge(spans.working_spans(hours_json or {}, start, end, _zone(zone_name))),
            )
        common = spans.intersect(common, free)
    slots = []
    for lo, hi in common:
        if hi - lo >= duration:
            slots.append({"start": lo, "end": lo + duration, "free_until": hi})
            if len(slots) >= limit:
                break
    return {
        "resources": list(resource_ids),
        "duration_hours": duration.total_seconds() / 3600,
        "working_hours": working_hours,
        "slots": slots,
    }


def utilisation(*, resource_ids, start, end) -> list[dict]:
    """(c) Per resource over [start, end): booked (confirmed or completed) hours, pencilled
    hours, working hours and booked / working."""
    check_window(start, end)
    found = _bookable_rows(resource_ids)
    booked = defaultdict(list)
    pencilled = defaultdict(list)
    for resource_id, lo, hi, status in overlapping(
        Allocation.objects.filter(resource_id__in=resource_ids, status__in=Booking.ACTIVE_STATUSES),
        start,
        end,
    ).values_list("resource_id", "start", "end", "status"):
        target = pencilled if status == Status.PENCIL else booked
        target[resource_id].append((max(lo, start), min(hi, end)))
    out = []
    for pk in resource_ids:
        _, name, hours_json, zone_name, _ = found[pk]
        working = sum(
            (
                hi - lo
                for lo, hi in spans.working_spans(hours_json or {}, start, end, _zone(zone_name))
            ),
            datetime.timedelta(0),
        )
        booked_time = sum((hi - lo for lo, hi in spans.merge(booked[pk])), datetime.timedelta(0))
        pencil_time = sum((hi - lo for lo, hi in spans.merge(pencilled[pk])), datetime.timedelta(0))
        out.append(
            {
                "resource": pk,
                "name": name,
                "start": start,
                "end": end,
                "booked_hours": float(hours(booked_time)),
                "pencilled_hours": float(hours(pencil_time)),
                "working_hours": float(hours(working)),
                "utilisation": round(booked_time / working, 4) if working else None,
            }
        )
    return out


def skills_list(q: str | None = None):
    qs = Skill.objects.annotate(resources_count=Count("resources"))
    if q:
        qs = qs.filter(name__icontains=q)
    return qs


# --- the day at a glance (home page) ------------------------------------------------------


def _today_bounds():
    return local_day_bounds(timezone.localdate(timezone=facility_zone()), facility_zone())


def bookings_today(user):
    """Active bookings overlapping today (facility local day) that the user may see."""
    start, end = _today_bounds()
    return bookings_for(user).filter(
        status__in=Booking.ACTIVE_STATUSES, start__lt=end, end__gt=start
    )


def open_challenges(user):
    """Pencils under challenge, waiting for their holder to confirm or release."""
    return bookings_for(user).filter(status=Booking.Status.PENCIL, challenge_deadline__isnull=False)


def pencils_ahead(user, days: int = 14):
    """Pencils starting in the next `days` days: holds that still need an answer."""
    now = timezone.now()
    return bookings_for(user).filter(
        status=Booking.Status.PENCIL, start__gte=now, start__lt=now + datetime.timedelta(days=days)
    )
