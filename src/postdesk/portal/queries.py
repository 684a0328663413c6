"""What a client user's portal shows: their company's bookings (other companies' time on
the same rooms only as "Unavailable"), quotes to answer, invoices and what is owed, media
held for them, their booking requests. Every read is scoped to the user's company
(scope_to_client, library.queries.items_for, billing.queries.invoices_with_amounts), in
a fixed number of queries whatever the data."""

import datetime
import functools

from django.db import connection
from django.db.models import F, Prefetch, Q
from django.utils import timezone

from postdesk.billing.models import Quote
from postdesk.billing.queries import hide_drafts_from_clients, invoices_with_amounts, outstanding
from postdesk.coordination.models import Deliverable, Invitee, Screening
from postdesk.coordination.queries import flag
from postdesk.coordination.queries import today as facility_today
from postdesk.core import hotsql
from postdesk.core.roles import scope_to_client
from postdesk.library.queries import items_for
from postdesk.productions.models import Job, Production
from postdesk.scheduling.models import Allocation, Booking, Resource
from postdesk.scheduling.overlap import max_span, overlaps

from .models import BookingRequest

AHEAD = datetime.timedelta(days=28)
BEHIND = datetime.timedelta(days=1)
LIST = 25


OWN_KEYS = (
    "booking_id",
    "start",
    "end",
    "status",
    "resource_id",
    "resource__name",
    "booking__job__number",
    "booking__job__production__title",
)


@functools.lru_cache(maxsize=4)
def _own_sql(vendor: str, running: bool) -> str:
    """The client's allocations running at the window's start (`running`) or starting in
    it, in start order. Written by hand so that the allocations are read first, by
    their own indexes, and only those found are joined to their jobs: the planner,
    left to itself, read every booking of the client's jobs (all of a year's history)
    to find a month of them (bench/reports.py, portal_home_ms).

    Running at the start: per resource, the (resource, start, end) index answers
    start and end without reading a row. Starting in the window: the start index, read
    in order until the page is full. SQLite takes CROSS JOIN as the order to read the
    tables in; PostgreSQL plans from its statistics and needs no telling."""
    cross = "CROSS JOIN" if vendor == "sqlite" else "JOIN"
    a, b = Allocation._meta.db_table, Booking._meta.db_table
    r, j, p = Resource._meta.db_table, Job._meta.db_table, Production._meta.db_table
    col = hotsql.column
    active = ", ".join(f"'{x}'" for x in Booking.ACTIVE_STATUSES)
    source = (
        f"{r} r {cross} {a} a ON a.{col(Allocation, 'resource')} = r.id "
        'AND a."start" > %s AND a."start" < %s AND a."end" > %s'
        if running
        else f"{a} a {cross} {r} r ON r.id = a.{col(Allocation, 'resource')} "
        'AND a."start" >= %s AND a."start" < %s'
    )
    return (
        f'SELECT a.{col(Allocation, "booking")}, a."start", a."end", a.status, r.id, r.name, '
        f"j.number, p.title FROM {source} "
        f"{cross} {b} b ON b.id = a.{col(Allocation, 'booking')} "
        f"{cross} {j} j ON j.id = b.{col(Booking, 'job')} "
        f"{cross} {p} p ON p.id = j.{col(Job, 'production')} "
        f"WHERE a.status IN ({active}) AND j.{col(Job, 'client')} = %s "
        f'ORDER BY a."start", a.{col(Allocation, "booking")} LIMIT %s'
    )


def _instant(value) -> datetime.datetime:
    """As the ORM reads a timestamp: aware (SQLite hands back UTC text)."""
    if isinstance(value, str):
        value = datetime.datetime.fromisoformat(value)
    return value if value.tzinfo else value.replace(tzinfo=datetime.UTC)


def _own(user, limit: int, lo, hi, running: bool) -> list[dict]:
    if not getattr(user, "client_id", None):
        return []
    span = [lo - max_span(), lo, lo] if running else [lo, hi]
    params = [hotsql.instant(v) for v in span] + [user.client_id, limit]
    out = []
    for row in hotsql.fetch(_own_sql(connection.vendor, running), params):
        item = dict(zip(OWN_KEYS, row, strict=True))
        item["start"], item["end"] = _instant(item["start"]), _instant(item["end"])
        out.append(item)
    return out


def bookings(user, now=None) -> tuple[list[dict], list[dict]]:
    """(their bookings, other time on the rooms they hold) from yesterday to four weeks
    on: their own in start order, those running at the window's start then those
    starting in it (two reads, see _own_sql)."""
    now = now or timezone.now()
    lo, hi = now - BEHIND, now + AHEAD
    limit = LIST * 4
    own = _own(user, limit, lo, hi, running=True)
    if len(own) < limit:
        own += _own(user, limit - len(own), lo, hi, running=False)
    rooms = {row["resource_id"] for row in own}
    other = list(
        Allocation.objects.filter(overlaps(lo, hi), resource_id__in=rooms, blocking=True)
        .filter(Q(booking__job__isnull=True) | ~Q(booking__job__client_id=user.client_id))
        .order_by("start")
        .values("resource__name", "start", "end")[: LIST * 4]
    )
    return own, [{**row, "label": "Unavailable"} for row in other]


def quotes(user) -> list:
    found = hide_drafts_from_clients(
        user, scope_to_client(user, Quote.objects.select_related("job__production"), "job__client")
    )
    return list(found.filter(status__in=("sent", "accepted", "declined", "expired"))[:LIST])


def invoices(user) -> list:
    # Only what the portal shows: not the job and client rows billing's list joins in.
    found = (
        invoices_with_amounts(user)
        .filter(status="issued")
        .select_related(None)
        .only("id", "number", "issue_date", "due_date", "gross", "currency")
    )
    return list(
        found.annotate(owed=outstanding(F("gross"), F("paid"), F("credited"))).order_by(
            "-issue_date", "-pk"
        )[:LIST]
    )


def media(user) -> list:
    return list(items_for(user).select_related("production").order_by("-pk")[:LIST])


def requests(user) -> list:
    return list(
        scope_to_client(user, BookingRequest.objects.select_related("production"), "client")[:LIST]
    )


# What a client sees of a deliverable: its status and delivery record; who at the
# facility owns it and the internal notes stay out (coordination.visibility.DELIVERABLE).
DELIVERABLE_FIELDS = (
    "id",
    "production_id",
    "production__title",
    "name",
    "spec",
    "due",
    "status",
    "rejection_reason",
    "delivered_to",
    "delivered_at",
    "method",
    "reference",
    "accepted_by",
    "accepted_at",
)
SCREENINGS_BEHIND = datetime.timedelta(days=30)


def deliverables(user, on: datetime.date | None = None) -> list[dict]:
    """The company's productions' deliverables, by production and position, each with its
    flag (overdue, at risk) as the coordinator's checklist has it. One query."""
    on = on or facility_today()
    rows = scope_to_client(user, Deliverable.objects.all(), "production__client")
    out = []
    for row in rows.order_by("production__title", "production_id", "position", "id").values(
        *DELIVERABLE_FIELDS
    )[: LIST * 8]:
        item = Deliverable(due=row["due"], status=row["status"])
        out.append({**row, "flag": flag(item, on), "status_label": item.get_status_display()})
    return out


def screenings(user, now=None) -> list[dict]:
    """The company's productions' screenings from a month back on, with whom each invites
    and their answers; the RSVP token only on the user's own invitation (same email), so
    one person of the company cannot answer for another. Two queries."""
    now = now or timezone.now()
    email = (user.email or "").strip().lower()
    found = (
        scope_to_client(user, Screening.objects.all(), "production__client")
        .filter(starts_at__gte=now - SCREENINGS_BEHIND)
        .select_related("production", "room")
        .prefetch_related(Prefetch("invitees", queryset=Invitee.objects.order_by("name", "id")))
        .order_by("starts_at", "id")[:LIST]
    )
    out = []
    for s in found:
        invitees = [
            {
                "name": i.name,
                "response": i.response,
                "response_label": i.get_response_display(),
                "plus_ones": i.plus_ones,
                "mine": bool(email) and i.email.lower() == email,
                "token": i.token if email and i.email.lower() == email else None,
            }
            for i in s.invitees.all()
        ]
        out.append(
            {
                "id": s.pk,
                "production": s.production_id,
                "production_title": s.production.title,
                "starts_at": s.starts_at,
                "venue": s.room.name if s.room_id else s.external_venue,
                "cut_version": s.cut_version,
                "nda_required": s.nda_required,
                "plus_ones_allowed": s.plus_ones_allowed,
                "invitees": invitees,
            }
        )
    return out


def home(user) -> dict:
    own, unavailable = bookings(user)
    return {
        "bookings": own,
        "unavailable": unavailable,
        "quotes": quotes(user),
        "invoices": invoices(user),
        "media": media(user),
        "requests": requests(user),
    }


def open_requests():
    """The requests waiting for the bookings office, soonest first."""
    return (
        BookingRequest.objects.filter(status="open")
        .select_related("client", "production", "requested_by")
        .order_by("start", "pk")
    )
