"""Calendar feeds (RFC 5545): who may hold which feed, what is in it, and its ETag.

A feed is read by its secret token, without a session, as its owner: the owner's role and
company decide what it shows, through the same visibility policy as the board's
(scheduling/visibility.BOOKING), and a feed whose owner no longer may see its target
answers as if it did not exist. Feeds carry no money (bookings hold none) and no notes.

Built from values() rows. The calendar's frame comes from the `icalendar` library; each
event's lines are written with its content-line encoder (escaping and folding), memoised
per distinct text, because building one `icalendar.Event` per booking cost ~390 ms for a
room's year (2,500 events) where the budget is 150 ms.
"""

import datetime
import hashlib
import secrets

import icalendar
from django.conf import settings
from django.contrib.auth.models import Group
from django.db.models import Count, Max, OuterRef, Q, Subquery, Sum
from django.utils import timezone
from icalendar.parser import Contentline, Parameters

from postdesk.core.roles import (
    ROLE_NAMES,
    VIEW_BOARD,
    can,
    is_outside,
    remember_role,
    scope_to_client,
)
from postdesk.productions.models import Production
from postdesk.scheduling.models import Allocation, Booking
from postdesk.scheduling.overlap import overlaps
from postdesk.scheduling.visibility import BOOKING

from . import feed_events
from .models import CalendarFeed, PersonLink

Kind = CalendarFeed.Kind
Status = Booking.Status

TOKEN_PREFIX = "pdcal_"
# How far a feed reaches: the recent past (what was done) and the year ahead.
PAST = datetime.timedelta(days=92)
AHEAD = datetime.timedelta(days=400)
# A cancelled or released booking stays in the feed this long as STATUS:CANCELLED, so
# that calendars that saw it remove it; then it leaves the feed.
CANCELLED_KEPT = datetime.timedelta(days=30)
MAX_FEEDS_PER_USER = 20
UID_DOMAIN = "postdesk"

ICAL_STATUS = {
    Status.PENCIL: "TENTATIVE",
    Status.CONFIRMED: "CONFIRMED",
    Status.COMPLETED: "CONFIRMED",
    Status.CANCELLED: "CANCELLED",
    Status.RELEASED: "CANCELLED",
}
KIND_LABELS = dict(Booking.Kind.choices)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_token() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def booking_uid(booking_id: int) -> str:
    """Stable for the booking's life: the feed's event and an invitation's are one."""
    return f"booking-{booking_id}@{UID_DOMAIN}"


def forbidden(user, kind: str) -> str | None:
    """Why `user`'s role may not hold a feed of this kind at all, or None."""
    if not (user and user.is_active and can(user, VIEW_BOARD)):
        return "Your role may not see bookings"
    if kind == Kind.RESOURCE and is_outside(user):
        return "A resource's calendar is internal to the facility"
    if kind == Kind.COMPANY and not getattr(user, "client_id", None):
        return "Only a client's users have their company's calendar"
    if kind == Kind.PERSON and is_outside(user):
        return "Only the facility's people have a calendar of their own"
    if kind not in Kind.values:
        return f"Unknown feed kind {kind!r}"
    return None


def refusal(
    user, kind: str, *, resource=None, production=None, client_id=None, person=None
) -> str | None:
    """Why `user` may not hold a feed of this target, or None. Asked when a feed is made
    and again on every read, so a feed follows its owner's rights. `person` is the id of
    the user's person resource when the caller has read it already."""
    reason = forbidden(user, kind)
    if reason:
        return reason
    if kind == Kind.PERSON:
        if person is None:
            person = PersonLink.objects.filter(user=user).values_list("resource_id", flat=True)
            person = person.first()
        return None if person else "You are not linked to a person on the board yet"
    if kind == Kind.RESOURCE and resource is None:
        return "Choose a resource"
    if kind == Kind.PRODUCTION:
        if production is None:
            return "Choose a production"
        if not scope_to_client(user, Production.objects.filter(pk=production.pk)).exists():
            return "No such production"
    if kind == Kind.COMPANY and client_id != user.client_id:
        return "Only your own company's calendar"
    return None


def open_feed(token: str) -> CalendarFeed | None:
    """The active feed holding `token` whose owner may still see it, or None."""
    if not token.startswith(TOKEN_PREFIX) or len(token) > 80:
        return None
    # The owner's role and person in the same query: the rights check then costs none.
    role = Subquery(
        Group.objects.filter(user=OuterRef("owner_id"), name__in=ROLE_NAMES).values("name")[:1]
    )
    person = Subquery(
        PersonLink.objects.filter(user=OuterRef("owner_id")).values("resource_id")[:1]
    )
    feed = (
        CalendarFeed.objects.select_related("owner", "resource__site", "production")
        .annotate(owner_role=role, person_resource_id=person)
        .filter(token_hash=hash_token(token), revoked_at__isnull=True)
        .first()
    )
    if feed is None:
        return None
    remember_role(feed.owner, feed.owner_role)
    reason = refusal(
        feed.owner,
        feed.kind,
        resource=feed.resource,
        production=feed.production,
        client_id=feed.client_id,
        person=feed.person_resource_id or 0,
    )
    return None if reason else feed


def person_of(feed: CalendarFeed) -> int | None:
    """The person resource a person feed shows: read with the feed by `open_feed`, else
    looked up (and kept on the feed)."""
    if getattr(feed, "person_resource_id", None) is None:
        feed.person_resource_id = (
            PersonLink.objects.filter(user_id=feed.owner_id)
            .values_list("resource_id", flat=True)
            .first()
        )
    return feed.person_resource_id


def _shown(now):
    """Active bookings, and those ended by cancel or release in the last 30 days."""
    return Q(booking__status__in=Booking.ACTIVE_STATUSES) | Q(
        booking__status__in=(Status.CANCELLED, Status.RELEASED),
        booking__updated_at__gte=now - CANCELLED_KEPT,
    )


def _allocations(feed: CalendarFeed, now):
    """The feed's allocation rows in its window: one per booking for a resource's feed;
    one per held resource for a production's or a company's."""
    # Bounded on both sides of the (resource, start) index by the longest booking.
    rows = Allocation.objects.filter(overlaps(now - PAST, now + AHEAD))
    if feed.kind == Kind.RESOURCE:
        rows = rows.filter(resource_id=feed.resource_id)
    elif feed.kind == Kind.PRODUCTION:
        rows = rows.filter(booking__job__production_id=feed.production_id)
    elif feed.kind == Kind.PERSON:
        rows = rows.filter(resource_id=person_of(feed))
    else:
        rows = rows.filter(booking__job__client_id=feed.client_id)
    return rows.filter(_shown(now)).order_by()


def extras(feed: CalendarFeed, now) -> list:
    """The feed's events that are not bookings (feed_events): a production's milestones,
    due dates and outside screenings, a person's invitations; none for other feeds."""
    return feed_events.events(feed, now, PAST, AHEAD)


def stamp(feed: CalendarFeed, now=None) -> tuple[str, datetime.datetime]:
    """(ETag, Last-Modified) from one aggregate query: any write to a booking in the feed
    bumps its version, and a booking entering or leaving the window changes the count.
    The day is part of it: cancellations age out of the feed day by day. A production's
    or a person's feed adds its other events' count, SEQUENCEs and newest change."""
    now = now or timezone.now()
    agg = _allocations(feed, now).aggregate(
        n=Count("id"), last=Max("booking__updated_at"), versions=Sum("booking__version")
    )
    return stamp_values(feed, now, agg["n"], agg["versions"], agg["last"], extras(feed, now))


def stamp_of_rows(
    feed: CalendarFeed, feed_rows: list[tuple], now, others: list = ()
) -> tuple[str, datetime.datetime]:
    """The same (ETag, Last-Modified) as `stamp`, from the rows a full answer reads anyway."""
    if not feed_rows:
        return stamp_values(feed, now, 0, None, None, others)
    return stamp_values(
        feed,
        now,
        len(feed_rows),
        sum(r[VERSION] for r in feed_rows),
        max(r[UPDATED] for r in feed_rows),
        others,
    )


def stamp_values(
    feed, now, count, versions, last_update, others=()
) -> tuple[str, datetime.datetime]:
    """The ETag and Last-Modified from the aggregate of the feed's bookings (`count`,
    sum of `versions`, newest `last_update`) and its other events; feed_stamp computes
    the aggregate with its own SQL and calls this too, so both give one ETag."""
    issued = feed.token_issued_at or feed.created_at
    n_other, seq_other, last_other = feed_events.stamp_parts(list(others))
    # A person feed shows whoever the owner is linked to: a new link is a new feed.
    person = person_of(feed) if feed.kind == Kind.PERSON else None
    last = max(filter(None, (last_update, issued, last_other)))
    key = (
        f"{feed.pk}:{feed.kind}:{count}:{versions}:{last.isoformat()}:"
        f"{issued.isoformat()}:{now.date().isoformat()}:{feed.owner.client_id}:"
        f"{n_other}:{seq_other}:{person}"
    )
    return '"' + hashlib.sha256(key.encode()).hexdigest()[:32] + '"', last


FIELDS = (
    "booking_id",
    "booking__kind",
    "booking__status",
    "booking__title",
    "booking__version",
    "booking__created_at",
    "booking__updated_at",
    "booking__start",
    "booking__end",
    "booking__job__number",
    "booking__job__work_type",
    "booking__job__client_id",
    "booking__job__client__name",
    "booking__job__production__title",
    "resource__name",
)
(
    BOOKING_ID,
    KIND,
    STATUS,
    TITLE,
    VERSION,
    CREATED,
    UPDATED,
    START,
    END,
    NUMBER,
    WORK_TYPE,
    CLIENT_ID,
    CLIENT_NAME,
    PRODUCTION,
    PLACE,
) = range(len(FIELDS))


def rows(feed: CalendarFeed, now=None) -> list[tuple]:
    """The feed's rows (FIELDS), ordered by start then booking."""
    now = now or timezone.now()
    return list(
        _allocations(feed, now)
        .order_by("booking__start", "booking_id", "resource__name")
        .values_list(*FIELDS)
    )


def _utc(value: datetime.datetime) -> str:
    """20260301T090000Z. Sliced from isoformat(), which is C: strftime was half the cost of
    a year's feed."""
    if value.tzinfo is None:  # a bulk read's naive instant is UTC
        value = value.replace(tzinfo=datetime.UTC)
    elif value.utcoffset():
        value = value.astimezone(datetime.UTC)
    s = value.isoformat()
    return f"{s[0:4]}{s[5:7]}{s[8:10]}T{s[11:13]}{s[14:16]}{s[17:19]}Z"


class _Lines:
    """Text properties escaped and folded by icalendar's content-line encoder, each
    distinct (name, text) once: a feed repeats the same few jobs and rooms."""

    def __init__(self):
        self.memo: dict[tuple[str, str], bytes] = {}

    def __call__(self, name: str, text: str) -> bytes:
        key = (name, text)
        line = self.memo.get(key)
        if line is None:
            clean = " ".join(text.split())
            line = Contentline.from_parts(name, Parameters(), clean).to_ical() + b"\r\n"
            self.memo[key] = line
        return line


def _summary(row: tuple, hidden: frozenset) -> tuple[str, str]:
    """(SUMMARY, DESCRIPTION) as the viewer may read them."""
    kind, title, number, work_type, client_name, production = (
        row[KIND],
        row[TITLE],
        row[NUMBER],
        row[WORK_TYPE],
        row[CLIENT_NAME],
        row[PRODUCTION],
    )
    if "title" in hidden:
        return "Unavailable", ""
    if kind != Booking.Kind.JOB:
        return title or KIND_LABELS[kind], ""
    what = f"{number} {production}"
    if "client_name" not in hidden:
        what += f" ({client_name})"
    if title:
        what += f": {title}"
    return what, f"Job {number}, {work_type}"


def calendar_name(feed: CalendarFeed) -> str:
    if feed.kind == Kind.RESOURCE:
        return feed.resource.name
    if feed.kind == Kind.PRODUCTION:
        return feed.production.title
    if feed.kind == Kind.PERSON:
        return f"{feed.owner.get_full_name() or feed.owner.username}: my calendar"
    return "Our bookings"


def frame(name: str) -> tuple[bytes, bytes]:
    """The VCALENDAR's opening properties and its closing line, from icalendar."""
    cal = icalendar.Calendar()
    cal.add("prodid", f"-//{settings.POSTDESK['FACILITY_NAME']}//postdesk//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", settings.TIME_ZONE)
    cal.add("x-published-ttl", datetime.timedelta(hours=1))
    text = cal.to_ical()
    end = b"END:VCALENDAR\r\n"
    return text[: -len(end)], end


def _other_event(e, line) -> list[bytes]:
    """One of feed_events' events: timed in UTC, or an all-day date."""
    # DTSTAMP is the last change, so the same event always reads the same.
    stamp = _utc(
        e.modified or e.start or datetime.datetime.combine(e.day, datetime.time(0), datetime.UTC)
    )
    if e.day is not None:
        nxt = e.day + datetime.timedelta(days=1)
        when = f"DTSTART;VALUE=DATE:{e.day:%Y%m%d}\r\nDTEND;VALUE=DATE:{nxt:%Y%m%d}\r\n"
    else:
        when = f"DTSTART:{_utc(e.start)}\r\nDTEND:{_utc(e.end)}\r\n"
    created = f"CREATED:{_utc(e.created)}\r\n" if e.created else ""
    out = [
        (
            f"BEGIN:VEVENT\r\nUID:{e.uid}\r\nSEQUENCE:{e.sequence}\r\nDTSTAMP:{stamp}\r\n"
            f"{created}LAST-MODIFIED:{stamp}\r\n{when}STATUS:{e.status}\r\n"
            f"TRANSP:{'OPAQUE' if e.day is None and e.status != 'CANCELLED' else 'TRANSPARENT'}\r\n"
        ).encode(),
        line("SUMMARY", e.summary),
    ]
    if e.location:
        out.append(line("LOCATION", e.location))
    if e.description:
        out.append(line("DESCRIPTION", e.description))
    out.append(b"END:VEVENT\r\n")
    return out


def render(feed: CalendarFeed, feed_rows: list[tuple], others: list = ()) -> bytes:
    """The feed as iCalendar bytes: one VEVENT per booking, its resources as LOCATION;
    then the feed's other events (`extras`)."""
    head, tail = frame(calendar_name(feed))
    out = [head]
    line = _Lines()
    owner = feed.owner
    # Rows come ordered by start then booking: a booking's resources are adjacent.
    groups: list[tuple[tuple, list[str]]] = []
    last_id = None
    for row in feed_rows:
        if row[BOOKING_ID] == last_id:
            groups[-1][1].append(row[PLACE])
        else:
            groups.append((row, [row[PLACE]]))
            last_id = row[BOOKING_ID]
    hidden_for: dict = {}
    for row, places in groups:
        client_id = row[CLIENT_ID]
        hidden = hidden_for.get(client_id)
        if hidden is None:
            hidden = hidden_for[client_id] = BOOKING.hidden_on_row(owner, client_id)
        summary, description = _summary(row, hidden)
        status = ICAL_STATUS[row[STATUS]]
        updated = _utc(row[UPDATED])
        out.append(
            (
                f"BEGIN:VEVENT\r\nUID:{booking_uid(row[BOOKING_ID])}\r\n"
                f"SEQUENCE:{row[VERSION] - 1}\r\nDTSTAMP:{updated}\r\n"
                f"CREATED:{_utc(row[CREATED])}\r\nLAST-MODIFIED:{updated}\r\n"
                f"DTSTART:{_utc(row[START])}\r\nDTEND:{_utc(row[END])}\r\n"
                f"STATUS:{status}\r\n"
                f"TRANSP:{'TRANSPARENT' if status == 'CANCELLED' else 'OPAQUE'}\r\n"
            ).encode()
        )
        out.append(line("SUMMARY", summary))
        out.append(line("LOCATION", ", ".join(places)))
        if description:
            out.append(line("DESCRIPTION", description))
        out.append(b"END:VEVENT\r\n")
    for e in others:
        out.extend(_other_event(e, line))
    out.append(tail)
    return b"".join(out)
