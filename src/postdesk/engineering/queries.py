"""Engineering's reads that pages, the API and the board share: the register, tickets and
what a room down is in the way of, downtime and repair times, what is due."""

import datetime
from collections import defaultdict

from django.db.models import Case, Exists, OuterRef, Q, Sum, Value, When
from django.utils import timezone

from postdesk.core.timeutil import facility_zone
from postdesk.engineering.models import (
    Asset,
    FaultTicket,
    Licence,
    MaintenanceSchedule,
    PatTest,
    QcReport,
)
from postdesk.productions.models import Contact
from postdesk.scheduling.models import Allocation, Booking, Resource
from postdesk.scheduling.overlap import overlapping
from postdesk.scheduling.queries import free_resources

State = FaultTicket.State
Severity = FaultTicket.Severity


# --- the register ---------------------------------------------------------------------


def assets():
    """The register with what its lists show of each asset (room, resource); searched,
    filtered and sorted by engineering/lists.ASSETS."""
    return Asset.objects.select_related("room", "library_location", "resource")


def critical_assets(room_id: int):
    """What the room cannot work without."""
    return Asset.objects.filter(room_id=room_id, critical=True).order_by("tag")


# --- tickets ----------------------------------------------------------------------------


def open_tickets():
    return FaultTicket.objects.filter(state__in=FaultTicket.OPEN_STATES)


def rooms_down(now=None) -> dict[int, FaultTicket]:
    """Rooms with an open room-down ticket, each with its (earliest) ticket."""
    out: dict[int, FaultTicket] = {}
    for ticket in (
        open_tickets()
        .filter(severity=Severity.ROOM_DOWN)
        .select_related("room")
        .order_by("opened_at", "pk")
    ):
        out.setdefault(ticket.room_id, ticket)
    return out


def time_spent(ticket: FaultTicket) -> int:
    return ticket.notes.aggregate(total=Sum("minutes"))["total"] or 0


def affected_bookings(ticket: FaultTicket, *, now=None) -> list[Booking]:
    """The blocking bookings (not the ticket's own blocks) on the down room over
    [now, estimate): what stands between the block and the whole span."""
    if ticket.severity != Severity.ROOM_DOWN or not ticket.is_open or not ticket.estimate_until:
        return []
    now = now or timezone.now()
    start, end = max(now, ticket.opened_at), ticket.estimate_until
    if end <= start:
        return []
    own = ticket.blocks.values("pk")
    booking_ids = (
        overlapping(
            Allocation.objects.filter(resource_id=ticket.room_id, blocking=True), start, end
        )
        .exclude(booking_id__in=own)
        .values("booking_id")
    )
    return list(
        Booking.objects.filter(pk__in=booking_ids, kind=Booking.Kind.JOB)
        .select_related("job__client", "job__contact", "job__production")
        .order_by("start", "pk")
    )


def _contacts(bookings: list[Booking]) -> dict[int, list[dict]]:
    """Who to call about each booking: the job's contact, else the client's contacts."""
    client_ids = {b.job.client_id for b in bookings if b.job and not b.job.contact_id}
    by_client = defaultdict(list)
    for c in Contact.objects.filter(client_id__in=client_ids).order_by("name"):
        by_client[c.client_id].append(c)
    out = {}
    for b in bookings:
        people = [b.job.contact] if b.job.contact_id else by_client[b.job.client_id]
        out[b.pk] = [{"name": c.name, "email": c.email, "phone": c.phone} for c in people]
    return out


def room_down_plan(ticket: FaultTicket, *, now=None) -> list[dict]:
    """Per booking in the way: the booking, its client contacts, and the free rooms of the
    down room's kind and skills at its site for the booking's whole span (scheduling's
    availability), leaving out rooms that are down themselves."""
    bookings = affected_bookings(ticket, now=now)
    if not bookings:
        return []
    room = Resource.objects.get(pk=ticket.room_id)
    skills = list(room.skills.values_list("name", flat=True))
    down = set(rooms_down())
    contacts = _contacts(bookings)
    plan = []
    for booking in bookings:
        # The same building: a session does not cross town because a suite broke.
        free = free_resources(
            start=booking.start,
            end=booking.end,
            kind=Resource.Kind.ROOM,
            skills=skills,
            site=room.site_id,
        )
        suggestions = [
            {"id": r["id"], "name": r["name"]}
            for r in free["resources"]
            if r["id"] != ticket.room_id and r["id"] not in down
        ]
        plan.append(
            {"booking": booking, "contacts": contacts[booking.pk], "suggestions": suggestions}
        )
    return plan


# --- downtime and repair times -------------------------------------------------------


def _month(at: datetime.datetime) -> str:
    return at.astimezone(facility_zone()).strftime("%Y-%m")


def downtime(*, now=None) -> dict:
    """Per month (of opening, facility time): downtime hours per room (room-down tickets)
    and per asset (tickets on an asset that are not cosmetic), from open to resolution
    (to now while open); and the mean time to repair of the tickets resolved that month."""
    now = now or timezone.now()
    per_place: dict[tuple, dict] = {}
    repairs: dict[str, list[float]] = defaultdict(list)
    rows = FaultTicket.objects.select_related("room", "asset").order_by("opened_at", "pk")
    for t in rows:
        ended = t.resolved_at or now
        hours = max(0.0, (ended - t.opened_at).total_seconds() / 3600)
        month = _month(t.opened_at)
        places = []
        if t.severity == Severity.ROOM_DOWN and t.room_id:
            places.append(("room", t.room_id, t.room.name))
        if t.asset_id and t.severity != Severity.COSMETIC:
            places.append(("asset", t.asset_id, t.asset.tag))
        for kind, pk, name in places:
            row = per_place.setdefault(
                (month, kind, pk),
                {"month": month, "kind": kind, "id": pk, "name": name, "tickets": 0, "hours": 0.0},
            )
            row["tickets"] += 1
            row["hours"] += hours
        if t.resolved_at:
            repairs[_month(t.resolved_at)].append(
                (t.resolved_at - t.opened_at).total_seconds() / 3600
            )
    places = sorted(per_place.values(), key=lambda r: (r["month"], r["kind"], r["name"]))
    for row in places:
        row["hours"] = round(row["hours"], 2)
    mttr = [
        {"month": m, "resolved": len(v), "mttr_hours": round(sum(v) / len(v), 2)}
        for m, v in sorted(repairs.items())
    ]
    return {"downtime": places, "mttr": mttr}


def downtime_csv_rows(report: dict) -> list[list]:
    rows = [["month", "kind", "name", "tickets", "downtime_hours", "mttr_hours"]]
    mttr = {m["month"]: m["mttr_hours"] for m in report["mttr"]}
    for r in report["downtime"]:
        rows.append([r["month"], r["kind"], r["name"], r["tickets"], r["hours"], ""])
    for month, value in sorted(mttr.items()):
        rows.append([month, "all", "mean time to repair", "", "", value])
    return rows


# --- PAT ---------------------------------------------------------------------------------


def latest_pat_tests():
    """Each asset's latest test (by date, then the last recorded)."""
    later = PatTest.objects.filter(asset_id=OuterRef("asset_id")).filter(
        Q(tested_on__gt=OuterRef("tested_on"))
        | Q(tested_on=OuterRef("tested_on"), pk__gt=OuterRef("pk"))
    )
    return PatTest.objects.filter(~Exists(later)).select_related("asset")


def pat_due(*, by: datetime.date):
    """Assets in use whose latest test falls due on or before `by` (exact to the day),
    and assets with a risk class that have never been tested."""
    latest = latest_pat_tests().exclude(asset__status=Asset.Status.RETIRED)
    due = list(latest.filter(next_due__lte=by).order_by("next_due", "asset__tag"))
    tested = PatTest.objects.filter(asset_id=OuterRef("pk"))
    never = list(
        Asset.objects.exclude(risk_class="")
        .exclude(status=Asset.Status.RETIRED)
        .filter(~Exists(tested))
        .order_by("tag")
    )
    return {"due": due, "never_tested": never}


# --- preventive maintenance ------------------------------------------------------------


def booked_hours(resource_id: int, since: datetime.datetime, until: datetime.datetime) -> float:
    """Hours of job bookings (confirmed or completed) on a resource in [since, until)."""
    total = 0.0
    for lo, hi in overlapping(
        Allocation.objects.filter(
            resource_id=resource_id, blocking=True, booking__kind=Booking.Kind.JOB
        ),
        since,
        until,
    ).values_list("start", "end"):
        total += (min(hi, until) - max(lo, since)).total_seconds() / 3600
    return total


def schedule_status(schedule: MaintenanceSchedule, *, now=None) -> dict:
    """Whether the schedule's task is due, and why: days since it was done, or hours the
    room (or the asset's bookable resource) has been booked since."""
    now = now or timezone.now()
    if schedule.every_days is not None:
        due_at = schedule.last_done_at + datetime.timedelta(days=schedule.every_days)
        return {"due": due_at <= now, "due_at": due_at, "used_hours": None}
    resource_id = (
        schedule.asset.resource_id
        if schedule.asset_id and schedule.asset.resource_id
        else schedule.room_id
    )
    used = booked_hours(resource_id, schedule.last_done_at, now)
    return {
        "due": used >= schedule.every_booked_hours,
        "due_at": None,
        "used_hours": round(used, 2),
    }


def maintenance_due(*, now=None) -> list[dict]:
    now = now or timezone.now()
    out = []
    for s in MaintenanceSchedule.objects.filter(active=True).select_related(
        "room", "asset", "placed"
    ):
        status = schedule_status(s, now=now)
        if status["due"]:
            out.append({"schedule": s, **status})
    return out


# --- IT ----------------------------------------------------------------------------------


def licences_due(*, by: datetime.date):
    """Licences that run out on or before `by`, soonest first."""
    return Licence.objects.filter(renews_on__lte=by).select_related("machine", "room")


def qc_reports():
    return QcReport.objects.select_related("spec", "requested_by")


def qc_running():
    """Checks queued or running, oldest first: the engineer's home card and the QC list."""
    return QcReport.objects.filter(
        state__in=(QcReport.State.QUEUED, QcReport.State.RUNNING)
    ).order_by("created_at", "pk")


# --- the engineer's home cards ----------------------------------------------------------


def open_tickets_by_priority():
    """Open tickets worst first (room down, degraded, cosmetic), oldest first within each,
    with the room and asset they are about."""
    rank = Case(
        When(severity=Severity.ROOM_DOWN, then=Value(0)),
        When(severity=Severity.DEGRADED, then=Value(1)),
        default=Value(2),
    )
    return open_tickets().select_related("room", "asset").order_by(rank, "opened_at", "pk")


def qc_failed(*, days: int = 7, now=None):
    """Checks of the last `days` days that failed or could not run, latest first: media
    that someone must look at before it is delivered."""
    since = (now or timezone.now()) - datetime.timedelta(days=days)
    return QcReport.objects.filter(
        Q(verdict=QcReport.Verdict.FAIL) | Q(state=QcReport.State.ERROR), created_at__gte=since
    ).order_by("-created_at", "-pk")
