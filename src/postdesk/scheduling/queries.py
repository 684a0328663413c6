"""Reads of scheduling that pages and the API share: bookings, the board, availability.

Bulk reads go from values_list() straight to plain dicts for orjson (DESIGN); each
function issues a fixed number of queries whatever the size of the facility.
"""

import datetime
import functools
import hashlib
import zoneinfo
from collections import defaultdict
from collections.abc import Iterable
from operator import itemgetter

import orjson
from django.conf import settings
from django.db import NotSupportedError
from django.db.models import (
    CharField,
    Count,
    Func,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    TextField,
)
from django.db.models.functions import Cast, Lower
from django.utils import timezone

from postdesk.core.errors import InvalidInput
from postdesk.core.ids import id_from_text
from postdesk.core.roles import role_of, scope_to_client
from postdesk.core.timeutil import (
    facility_zone,
    hours,
    local_day_bounds,
    require_instant,
    zone_or_facility,
)
from postdesk.scheduling import board_notices, slots, spans
from postdesk.scheduling.models import Allocation, Booking, Resource, Skill
from postdesk.scheduling.overlap import max_span, overlapping
from postdesk.scheduling.visibility import BOOKING, RESOURCE

Status = Booking.Status


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


def _resource_dicts(qs, user=None, **extra) -> list[dict]:
    """The resources of `qs` in board order, each with its sorted skills and any `extra`
    columns (name=expression), in one query; only the fields `user` may see (RESOURCE)."""
    keys, columns = _shown_columns(
        RESOURCE_KEYS, RESOURCE_COLUMNS, _hidden(RESOURCE, user), RESOURCE_REQUIRED
    )
    rows = qs.order_by("site__name", "kind", "sort_order", "name").values_list(
        *columns, *extra.values(), SkillNames("id")
    )
    keys = (*keys, *extra)
    out = []
    for *values, skills in rows:
        item = dict(zip(keys, values, strict=True))
        if "working_hours" in item:
            item["working_hours"] = orjson.Fragment(item["working_hours"])
        item["skills"] = skill_list(skills)
        out.append(item)
    return out


def _hidden(policy, user) -> frozenset[str]:
    # user None: an internal read (tests, the benchmark), not a reader's.
    return frozenset() if user is None else policy.hidden(user)


@functools.cache
def _shown_columns(keys: tuple, columns: tuple, hidden: frozenset, required: frozenset):
    """The keys a reader may see and the columns that fetch them, once per hidden set, so
    that the visibility policy costs nothing per row. `required` keys are ones the
    board's ETag and lookups read; a policy hiding one of them is a mistake."""
    if not hidden & set(keys):
        return keys, columns
    if hidden & required:
        raise ValueError(f"The board needs {sorted(hidden & required)}; hide them another way")
    kept = [(k, c) for k, c in zip(keys, columns, strict=True) if k not in hidden]
    return tuple(k for k, _ in kept), tuple(c for _, c in kept)


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
RESOURCE_REQUIRED = frozenset({"id"})
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
# The ETag and the jobs and owners lookups read these, so the visibility policy may not
# hide them (_shown_columns).
ALLOCATION_REQUIRED = frozenset({"id", "job", "owner", "version", "updated_at"})


@functools.cache
def _positions(fields: tuple) -> tuple[int, ...]:
    """Where id, job, owner, version and updated_at are in a row of these fields."""
    return tuple(fields.index(name) for name in ("id", "job", "owner", "version", "updated_at"))


JOB_KEYS = ("number", "client", "client_name", "client_colour", "production", "production_title")
JOB_COLUMNS = (
    "number",
    "client_id",
    "client__name",
    "client__colour",
    "production_id",
    "production__title",
)


def _jobs_and_owners(
    rows: list[tuple], fields: tuple, hidden: frozenset
) -> tuple[dict, dict, tuple]:
    """{job id: its number, client and production}, {owner id: username} for the rows
    (of `fields`), without the `hidden` keys, and when their clients and productions last
    changed (for the ETag)."""
    from postdesk.core.models import User
    from postdesk.productions.models import Job

    _, job_at, owner_at, _, _ = _positions(fields)
    job_keys, job_columns = _shown_columns(JOB_KEYS, JOB_COLUMNS, hidden, frozenset())
    job_ids = {row[job_at] for row in rows} - {None}
    owner_ids = {row[owner_at] for row in rows} - {None}
    jobs, clients_changed, productions_changed = {}, [], []
    if job_ids:
        # order_by(): the jobs' default ordering would only add a sort.
        for job_id, *values, client_changed, production_changed in (
            Job.objects.filter(pk__in=job_ids)
            .order_by()
            .values_list(
                "id",
                *job_columns,
                UtcInstant("client__updated_at"),
                UtcInstant("production__updated_at"),
            )
        ):
            jobs[job_id] = dict(zip(job_keys, values, strict=True))
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
            role_of(user),  # what a reader may see of the rows depends on the role
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

    What the user may see follows the visibility policies (scheduling/visibility.py):
    their fields are chosen once per request, never per row; and a client user's board
    holds only its own company's bookings (scope_to_client in _window_allocations), so
    the policy's rule for other companies' rows is met by leaving those rows out.
    """
    start, end = window["start"], window["end"]
    check_window(start, end)
    hidden = _hidden(BOOKING, user)
    fields, columns = _shown_columns(
        ALLOCATION_FIELDS, ALLOCATION_COLUMNS, hidden, ALLOCATION_REQUIRED
    )
    id_at, _, _, version_at, updated_at = _positions(fields)
    resource_qs = _window_resources(window)
    resources = _resource_dicts(resource_qs, user, changed=UtcInstant("updated_at"))
    ids = [item["id"] for item in resources]
    changed = [item.pop("changed") for item in resources]  # for the ETag, not the payload
    pinned = board_notices.notices(ids)  # e.g. engineering's "room down" banners
    for item in resources:
        item["notices"] = pinned.get(item["id"], [])
    rows = []
    if ids:
        rows = list(
            _window_allocations(user, ids, window)
            .order_by("resource_id", "start", "end", "id")  # the span index's order
            .values_list(*columns)
        )
    jobs, owners, names_changed = _jobs_and_owners(rows, fields, hidden)
    etag = _fingerprint(
        user,
        window,
        (
            len(rows),
            sum(map(itemgetter(id_at), rows)),
            sum(map(itemgetter(version_at), rows)),
            instant_text(max(map(itemgetter(updated_at), rows), default=None)),
            *names_changed,
        ),
        (len(ids), sum(ids), instant_text(max(changed, default=None))),
    )
    payload = {
        "start": start,
        "end": end,
        "time_zone": settings.TIME_ZONE,
        "resources": resources,
        "allocation_fields": fields,
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
    out = _resource_dicts(free_qs, user)
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


def zone_of_resources(ids: Iterable[int]) -> zoneinfo.ZoneInfo:
    """The time zone of the first resource's site (the facility's when unknown)."""
    ids = list(ids)
    name = (
        Resource.objects.filter(pk=ids[0]).values_list("site__time_zone", flat=True).first()
        if ids
        else None
    )
    return zone_or_facility(name)


def _bookable_rows(resource_ids) -> dict[int, tuple]:
    rows = Resource.objects.filter(pk__in=resource_ids).values_list(
        "id", "name", "working_hours", "site__time_zone", "archived_at"
    )
    found = {row[0]: row for row in rows}
    for pk in resource_ids:
        if pk not in found:
            raise InvalidInput.field("resources", f"No resource with id {pk}")
    return found


# "Any one of": at most this many candidates are weighed (a kind and skill that fits more
# is too wide a question to answer span by span).
MAX_CANDIDATES = 200


def _check_skills_exist(skills) -> None:
    """422 for a skill (id or name, any case) that does not exist, rather than an answer
    that no one is free; one query."""
    wanted = [str(s).strip() for s in skills if str(s).strip()]
    ids = {int(s) for s in wanted if s.isdigit()}
    names = {s.lower() for s in wanted if not s.isdigit()}
    known = set(
        Skill.objects.annotate(lname=Lower("name"))
        .filter(Q(pk__in=ids) | Q(lname__in=names))
        .values_list("pk", "lname")
    )
    known_ids, known_names = {k[0] for k in known}, {k[1] for k in known}
    for skill in wanted:
        if (int(skill) not in known_ids) if skill.isdigit() else (skill.lower() not in known_names):
            raise InvalidInput.field("any_skill", f"No skill {skill!r}")


def _candidate_rows(need: dict, exclude) -> list[tuple]:
    """Bookable, unarchived resources of the requirement's kind with all its skills, by
    name: (id, name, working_hours, time zone, archived_at), as _bookable_rows."""
    kind, skills = need.get("kind"), list(need.get("skills") or ())
    if kind and kind not in Resource.Kind.values:
        raise InvalidInput.field(
            "any_kind", f"any_kind must be one of {', '.join(Resource.Kind.values)}"
        )
    if not kind and not skills:
        raise InvalidInput.field("any_kind", "Say what any one resource must be: a kind or skills")
    _check_skills_exist(skills)
    rows = list(
        resources_queryset(kind=kind, skills=skills)
        .filter(bookable=True)
        .exclude(pk__in=list(exclude))
        .order_by("name", "pk")
        .values_list("id", "name", "working_hours", "site__time_zone", "archived_at")
        .distinct()[: MAX_CANDIDATES + 1]
    )
    if len(rows) > MAX_CANDIDATES:
        raise InvalidInput.field(
            "any_kind", f"More than {MAX_CANDIDATES} resources fit; name a skill to narrow it"
        )
    return rows


def earliest_slots(
    *,
    resource_ids,
    duration: datetime.timedelta,
    start,
    end,
    working_hours=False,
    pencils_block=False,
    limit=10,
    need: dict | None = None,
) -> dict:
    """(b) The earliest spans in [start, end) where all the resources are free for
    `duration` (within each resource's working hours when asked): the first possible
    start in each common free interval, with how long the interval lasts, and later
    starts in it where fewer pencils hold the time (slots.choose).

    Each span says how many pencils hold it (`holds`: the most on any one resource; a
    new pencil there ranks after them). `pencils_block` offers only time no pencil holds.
    `need` ({"kind", "skills"}) asks for any one more resource of that kind with those
    skills besides the named ones: each span lists the `candidates` free for all of it,
    least held first. Three queries whatever the number of resources and candidates.
    """
    check_window(start, end)
    if not resource_ids and need is None:
        raise InvalidInput.field("resources", "Name at least one resource")
    if duration <= datetime.timedelta(0):
        raise InvalidInput.field("duration", "duration must be positive")
    if duration > max_span():
        raise InvalidInput.field("duration", "duration is longer than the longest booking")
    found = _bookable_rows(resource_ids) if resource_ids else {}
    candidates = _candidate_rows(need, resource_ids) if need is not None else []
    ids = [*resource_ids, *(row[0] for row in candidates)]
    busy, held = defaultdict(list), defaultdict(list)
    if ids:
        for resource_id, lo, hi, status in overlapping(
            Allocation.objects.filter(resource_id__in=ids, status__in=Booking.ACTIVE_STATUSES),
            start,
            end,
        ).values_list("resource_id", "start", "end", "status"):
            pencil = status == Status.PENCIL
            (held if pencil and not pencils_block else busy)[resource_id].append((lo, hi))

    def free_of(row) -> list[spans.Span]:
        pk, _, hours_json, zone_name, archived = row
        if archived is not None:
            return []
        free = spans.subtract([(start, end)], busy[pk])
        if working_hours:
            free = spans.intersect(
                free,
                spans.merge(
                    spans.working_spans(hours_json or {}, start, end, zone_or_facility(zone_name))
                ),
            )
        return free

    common = [(start, end)]
    for pk in resource_ids:
        common = spans.intersect(common, free_of(found[pk]))
    named_holds = [sorted(held[pk]) for pk in resource_ids]
    if need is None:
        options = [slots.Option(None, common, named_holds)]
    else:
        options = [
            slots.Option(
                row[0], spans.intersect(common, free_of(row)), [*named_holds, sorted(held[row[0]])]
            )
            for row in candidates
        ]
    names = {row[0]: row[1] for row in candidates}
    out = []
    for lo, fits in slots.choose(options, duration, limit):
        slot = {
            "start": lo,
            "end": lo + duration,
            "free_until": fits[0].free_until,
            "holds": fits[0].holds,
        }
        if need is not None:
            slot["candidates"] = [
                {"id": f.key, "name": names[f.key], "holds": f.holds, "free_until": f.free_until}
                for f in fits
            ]
        out.append(slot)
    return {
        "resources": list(resource_ids),
        "duration_hours": duration.total_seconds() / 3600,
        "working_hours": working_hours,
        "pencils_block": pencils_block,
        "any": None
        if need is None
        else {
            "kind": need.get("kind") or None,
            "skills": list(need.get("skills") or ()),
            "candidates": len(candidates),
        },
        "slots": out,
    }


# How each kind of blocking booking is named in a warning.
_BLOCKING_WHAT = {
    "job": "a confirmed booking",
    "maintenance": "maintenance",
    "leave": "leave",
    "internal": "internal use",
}


def _span_text(start: datetime.datetime, end: datetime.datetime, zone) -> str:
    """ "Mon 2 Mar 09:00–19:00", or "Mon 2 Mar 09:00 – Tue 3 Mar 19:00", local."""
    lo, hi = start.astimezone(zone), end.astimezone(zone)

    def day(d):
        return f"{d:%a} {d.day} {d:%b}"

    last = (end - datetime.timedelta(microseconds=1)).astimezone(zone)
    if lo.date() == last.date():
        return f"{day(lo)} {lo:%H:%M}–{hi:%H:%M}"
    return f"{day(lo)} {lo:%H:%M} – {day(hi)} {hi:%H:%M}"


def booking_outlook(*, resource_ids, start, end, status=Status.PENCIL, user=None) -> dict:
    """What stands in the way of booking these resources over [start, end), before it is
    saved: the blocking bookings overlapping it (a pencil would rank behind them; a
    confirmed booking would be refused) and how many pencils already hold each resource
    then. `warnings` says it in words for the booking form; nothing is refused here.

    A client user reads another company's booking as when and where only (BOOKING).
    Two queries whatever the number of resources.
    """
    check_window(start, end, max_days=max_span().days)
    if not resource_ids:
        raise InvalidInput.field("resources", "Name at least one resource")
    found = _bookable_rows(resource_ids)
    rows = (
        overlapping(
            Allocation.objects.filter(
                resource_id__in=resource_ids, status__in=Booking.ACTIVE_STATUSES
            ),
            start,
            end,
        )
        .order_by("start", "resource_id", "id")
        .values_list(
            "resource_id",
            "booking_id",
            "start",
            "end",
            "status",
            "blocking",
            "booking__kind",
            "booking__title",
            "booking__job__number",
            "booking__job__client_id",
            "booking__job__client__name",
        )
    )
    blocking, pencils = [], defaultdict(int)
    for resource_id, booking, lo, hi, state, blocks, kind, title, number, client, name in rows:
        if not blocks:
            pencils[resource_id] += 1
            continue
        item = {
            "booking": booking,
            "resource": resource_id,
            "resource_name": found[resource_id][1],
            "start": lo,
            "end": hi,
            "status": state,
            "kind": kind,
            "title": title,
            "job_number": number,
            "client_name": name,
        }
        blocking.append(BOOKING.strip(user, item, client_id=client, row=True) if user else item)
    holds = [
        {"resource": pk, "resource_name": found[pk][1], "pencils": pencils[pk]}
        for pk in resource_ids
    ]
    warnings = []
    lead = (
        "This pencil would rank behind"
        if status == Status.PENCIL
        else "This booking would clash with"
    )
    for item in blocking:
        zone = zone_or_facility(found[item["resource"]][3])
        label = item.get("job_number") or (item["kind"] != "job" and item.get("title")) or ""
        parts = [item["resource_name"], label, _span_text(item["start"], item["end"], zone)]
        what = _BLOCKING_WHAT.get(item["kind"], "a confirmed booking")
        warnings.append(f"{lead} {what}: {', '.join(p for p in parts if p)}")
    if status == Status.PENCIL:
        for hold in holds:
            n = hold["pencils"]
            if n:
                warnings.append(
                    f"{n} pencil{'s' if n > 1 else ''} already hold{'' if n > 1 else 's'} "
                    f"{hold['resource_name']} then: this one would rank after "
                    f"{'them' if n > 1 else 'it'}."
                )
    return {
        "start": start,
        "end": end,
        "status": status,
        "blocking": blocking,
        "holds": holds,
        "warnings": warnings,
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
                for lo, hi in spans.working_spans(
                    hours_json or {}, start, end, zone_or_facility(zone_name)
                )
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
