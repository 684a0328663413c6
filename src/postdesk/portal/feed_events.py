"""The events of a calendar feed that are not bookings: a production's milestones,
deliverable due dates and screenings at an outside venue; the screenings a person is
invited to.

A production's ADR sessions and the screenings in its own rooms are bookings of its jobs,
so they are in the feed as bookings already (titled "ADR: ..." and "Screening: ...");
they are not repeated here.

Coordination's records keep no version of their own, so an event's SEQUENCE is read
from the audit log, where every write of them is recorded: the number of entries after
the one that made the record (for an invitation, its screening's and its own). It only
grows, as RFC 5545 asks; LAST-MODIFIED is the newest entry's time. A few small queries,
made only for production and person feeds."""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Max, Q

from postdesk.coordination.models import Deliverable, Invitee, Milestone, Screening
from postdesk.core.audit import object_type
from postdesk.core.models import AuditEntry

from .models import CalendarFeed

Kind = CalendarFeed.Kind
# A screening records when it starts, not how long the film runs: an outside venue's
# screening is shown as two hours.
SCREENING_LENGTH = datetime.timedelta(hours=2)
RESPONSE_STATUS = {
    Invitee.Response.PENDING: "TENTATIVE",
    Invitee.Response.ACCEPTED: "CONFIRMED",
    Invitee.Response.DECLINED: "CANCELLED",
}


@dataclass
class Event:
    uid: str
    summary: str
    status: str = "CONFIRMED"
    location: str = ""
    description: str = ""
    start: datetime.datetime | None = None
    end: datetime.datetime | None = None
    day: datetime.date | None = None  # an all-day event
    sequence: int = 0
    created: datetime.datetime | None = None
    modified: datetime.datetime | None = None
    # The audit records the event's SEQUENCE counts: (object type, id) pairs.
    sources: tuple = ()


def _uid(kind: str, pk: int) -> str:
    return f"{kind}-{pk}@postdesk"


def _milestones(production, lo: datetime.date, hi: datetime.date) -> list[Event]:
    out = []
    for m in Milestone.objects.filter(production=production).order_by("planned", "id"):
        if not lo <= m.current <= hi:
            continue
        summary = f"{m.get_kind_display()}: {production.title}"
        if m.actual is None and m.slipped:
            summary += f" (planned {m.planned:%d %b})"
        out.append(
            Event(
                uid=_uid("milestone", m.pk),
                summary=summary,
                status="CONFIRMED" if m.actual else "TENTATIVE",
                day=m.current,
                sources=((object_type(Milestone), m.pk),),
            )
        )
    return out


def _deliverables(production, lo: datetime.date, hi: datetime.date) -> list[Event]:
    rows = Deliverable.objects.filter(production=production, due__gte=lo, due__lte=hi)
    return [
        Event(
            uid=_uid("deliverable", d.pk),
            summary=f"Due: {d.name} ({production.title})",
            description=f"Status: {d.get_status_display()}",
            day=d.due,
            sources=((object_type(Deliverable), d.pk),),
        )
        for d in rows.order_by("due", "position", "id")
    ]


def _screening_event(s: Screening, *, status="CONFIRMED", invitee=None) -> Event:
    booking = s.booking
    sources = [(object_type(Screening), s.pk)]
    if invitee is not None:
        sources.append((object_type(Invitee), invitee.pk))
    return Event(
        uid=_uid("screening", s.pk),
        summary=f"Screening: {s.production.title}, {s.cut_version}",
        status=status,
        location=s.room.name if s.room_id else s.external_venue,
        start=s.starts_at,
        end=booking.end if booking is not None else s.starts_at + SCREENING_LENGTH,
        sources=tuple(sources),
    )


def _window(now, past, ahead) -> Q:
    return Q(starts_at__gte=now - past, starts_at__lt=now + ahead)


def _production_events(feed, now, past, ahead) -> list[Event]:
    production = feed.production
    lo, hi = (now - past).date(), (now + ahead).date()
    outside = (
        Screening.objects.filter(_window(now, past, ahead), production=production)
        .filter(Q(booking__isnull=True) | Q(room__isnull=True))
        .select_related("production", "room", "booking")
    )
    return [
        *_milestones(production, lo, hi),
        *_deliverables(production, lo, hi),
        *(_screening_event(s) for s in outside.order_by("starts_at", "id")),
    ]


def _person_events(feed, now, past, ahead) -> list[Event]:
    email = (feed.owner.email or "").strip()
    if not email:
        return []
    invited = (
        Invitee.objects.filter(email__iexact=email)
        .filter(Q(screening__starts_at__gte=now - past), Q(screening__starts_at__lt=now + ahead))
        .select_related("screening__production", "screening__room", "screening__booking")
        .order_by("screening__starts_at", "id")
    )
    return [
        _screening_event(i.screening, status=RESPONSE_STATUS[i.response], invitee=i)
        for i in invited
    ]


def _number(events: list[Event]) -> None:
    """Each event's SEQUENCE, CREATED and LAST-MODIFIED from the audit log, in one query."""
    wanted = defaultdict(set)
    for e in events:
        for kind, pk in e.sources:
            wanted[kind].add(str(pk))
    if not wanted:
        return
    where = Q()
    for kind, pks in wanted.items():
        where |= Q(object_type=kind, object_id__in=pks)
    found = {
        (r["object_type"], r["object_id"]): r
        for r in AuditEntry.objects.filter(where)
        .values("object_type", "object_id")
        .annotate(n=Count("id"), first=Max("at", filter=Q(action="create")), last=Max("at"))
        .order_by()
    }
    for e in events:
        rows = [found.get((kind, str(pk))) for kind, pk in e.sources]
        rows = [r for r in rows if r]
        e.sequence = sum(max(r["n"] - 1, 0) for r in rows)
        e.modified = max((r["last"] for r in rows), default=None)
        e.created = rows[0]["first"] if rows else None


def events(feed: CalendarFeed, now, past, ahead) -> list[Event]:
    """The feed's events besides its bookings (none for a resource's or a company's)."""
    if feed.kind == Kind.PRODUCTION:
        found = _production_events(feed, now, past, ahead)
    elif feed.kind == Kind.PERSON:
        found = _person_events(feed, now, past, ahead)
    else:
        return []
    _number(found)
    return found


def stamp_parts(found: list[Event]) -> tuple[int, int, datetime.datetime | None]:
    """(count, sum of SEQUENCE, newest change) for the feed's ETag: an event added,
    removed or changed changes one of them."""
    last = max((e.modified for e in found if e.modified), default=None)
    return len(found), sum(e.sequence for e in found), last
