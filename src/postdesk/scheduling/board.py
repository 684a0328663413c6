"""The booking board: the resources of a window and the allocations overlapping it, in
one payload of rows (not a dict per allocation) with the jobs and owners they name, and
the ETag that lets a poll answer 304 from two aggregate queries.

Bulk reads go from values_list() straight to plain dicts and rows for orjson (DESIGN);
each function issues a fixed number of queries whatever the size of the facility. The
resources' filter (`resources_queryset`) and row shape (`_resource_dicts`) are the
availability reads' too.
"""

import datetime
import functools
import hashlib
from operator import itemgetter

import orjson
from django.conf import settings
from django.db.models import Count, Max, Q, QuerySet, Subquery, Sum, TextField
from django.db.models.functions import Cast

from postdesk.core.errors import InvalidInput
from postdesk.core.ids import id_from_text
from postdesk.core.roles import role_of, scope_to_client
from postdesk.core.timeutil import facility_zone, require_instant
from postdesk.scheduling import board_bands, board_notices
from postdesk.scheduling.db import SkillNames, UtcInstant, instant_text, skill_list
from postdesk.scheduling.models import Allocation, Booking, Resource
from postdesk.scheduling.overlap import overlapping
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


def _band(user, resources, window: dict, job_ids=None) -> list[dict]:
    """The band above the rows (board_bands: coordination's milestones) for the window's
    days and the productions of the allocations the board shows, in one query: the
    providers read those productions through a subquery, of the jobs of the rows when
    the board has read them (`job_ids`), else of the same allocations (the ETag poll).

    The full read passes its rows' jobs: through the allocations again, the subquery
    read the whole window a second time (the week's board of 100 rooms at 1,000,000
    bookings: 22.4 ms with it, 20.5 ms without, one SQLite bench run each)."""
    zone = facility_zone()
    first = window["start"].astimezone(zone).date()
    last = (window["end"] - datetime.timedelta(microseconds=1)).astimezone(zone).date()
    if job_ids is not None:
        from postdesk.productions.models import Job

        productions = Job.objects.filter(pk__in=job_ids).order_by().values("production_id")
    else:
        productions = (
            _window_allocations(user, resources, window)
            .filter(booking__job__isnull=False)
            .order_by()
            .values("booking__job__production_id")
        )
    return board_bands.bands(productions, first, last)


def _fingerprint(user, window: dict, allocations: tuple, resources: tuple, band: list[dict]) -> str:
    """The board's ETag from what identifies the request and summarises its rows.

    `allocations` is (count, sum of ids, sum of booking versions, latest booking change,
    latest change of their clients, of their productions) and `resources` (count, sum of
    ids, latest change): they change whenever a booking in the window is created, moved,
    re-resourced or changes state, a client or production on it is renamed, or a resource
    shown is edited, in whatever order transactions commit; and `band`, the items drawn
    above the rows, whole (a milestone moved or slipped changes it).
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
            board_bands.fingerprint(band),
        )
    )
    return 'W/"' + hashlib.blake2b(key.encode(), digest_size=12).hexdigest() + '"'


def _window_resources(window: dict):
    return resources_queryset(
        site=window.get("site"), kind=window.get("kind"), skills=window.get("skills") or ()
    )


def board_etag(user, **window) -> str:
    """What `board` would return as its ETag, from two aggregate queries and the band's
    one: the cheap answer to a poll with If-None-Match, which is 304 unless something
    changed."""
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
        _band(user, resource_qs, window),
    )


def board(user, **window) -> tuple[dict, str]:
    """Everything the booking board draws for the window [start, end), and its ETag.

    Resources (filtered by site, kind, skills) and the allocations of active bookings
    overlapping the window (filtered by client, production, status, search), the band
    above (board_bands). Six queries; the ETag comes from those rows, as `board_etag`'s.

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
    band = _band(user, ids, window, list(jobs)) if jobs else []  # no job: no production
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
        band,
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
        "bands": band,
    }
    return payload, etag
