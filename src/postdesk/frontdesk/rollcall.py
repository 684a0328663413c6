"""On site now and the fire roll call: who is in the building (staff on shift, staff
signed in, visitors and contractors), who is expected and not arrived, who is marked safe.

Set-based: a handful of queries whatever the head count (the bench measures 300 on site).
"On site" reads the present instant, never a calendar day, so a night shift or a visitor
still in after midnight is on the list; "expected" is the current day's list.
"""

import hashlib

from django.db import IntegrityError, transaction
from django.db.models import Count, Max
from django.utils import timezone

from postdesk.core import audit
from postdesk.core.errors import Conflict, NotFound
from postdesk.core.models import AuditEntry
from postdesk.frontdesk import visitor_queries
from postdesk.frontdesk.models import RollCall, RollCallMark, StaffPresence, Visit
from postdesk.scheduling.queries import bookings_for, filter_bookings


def _shifts(user, now) -> list[dict]:
    """Person resources booked (confirmed or done) across this instant."""
    bookings = filter_bookings(
        bookings_for(user),
        status=["confirmed", "completed"],
        start=now,
        end=now + timezone.timedelta(microseconds=1),
    )
    rows, seen = [], set()
    for booking in bookings:
        for a in booking.allocations.all():
            person = a.resource
            if person.kind != "person" or person.pk in seen or not (a.start <= now < a.end):
                continue
            seen.add(person.pk)
            rooms = [
                b.resource.name for b in booking.allocations.all() if b.resource.kind == "room"
            ]
            rows.append(
                {
                    "key": f"shift:{person.pk}",
                    "kind": "staff",
                    "name": person.name,
                    "detail": ", ".join(rooms) or (booking.title or "on shift"),
                    "since": a.start,
                }
            )
    return rows


def _person(first: str, last: str, username: str) -> str:
    """A user's display name (User.display_name) from plain columns."""
    return f"{first} {last}".strip() or username


def on_site(user, now=None) -> list[dict]:
    """Everyone in the building now, staff first, then visitors and contractors."""
    now = now or timezone.now()
    rows = _shifts(user, now)
    # Plain rows, not model instances: the list is read in a fire, at any head count.
    staff = StaffPresence.objects.filter(out_at__isnull=True).values_list(
        "user_id", "in_at", "user__first_name", "user__last_name", "user__username"
    )
    for user_id, in_at, first, last, username in staff:
        rows.append(
            {
                "key": f"staff:{user_id}",
                "kind": "staff",
                "name": _person(first, last, username),
                "detail": "signed in",
                "since": in_at,
            }
        )
    visits = Visit.objects.filter(signed_out_at__isnull=True).values_list(
        "pk",
        "kind",
        "name",
        "company",
        "signed_in_at",
        "host__first_name",
        "host__last_name",
        "host__username",
    )
    for pk, kind, name, company, since, first, last, username in visits:
        host = _person(first, last, username) if username else "reception"
        rows.append(
            {
                "key": f"visit:{pk}",
                "kind": kind,
                "name": name,
                "detail": f"{company} · host {host}" if company else f"host {host}",
                "since": since,
            }
        )
    return rows


def current() -> RollCall | None:
    return RollCall.objects.filter(is_open=True).first()


def fingerprint(user, now=None) -> str:
    """The roll call's ETag from three aggregates: who is in (visits, staff in/out) and
    the marks of the open roll call; a booking shift starting or ending changes the
    minute, which is in the key too."""
    now = now or timezone.now()
    visits = Visit.objects.aggregate(n=Count("id"), last=Max("id"), out=Max("signed_out_at"))
    staff = StaffPresence.objects.aggregate(n=Count("id"), last=Max("id"), out=Max("out_at"))
    call = current()
    marks = call.marks.aggregate(n=Count("id"), last=Max("id")) if call is not None else {}
    key = repr(
        (
            now.replace(second=0, microsecond=0).isoformat(),
            call.pk if call else None,
            sorted(visits.items()),
            sorted(staff.items()),
            sorted(marks.items()),
        )
    )
    return 'W/"' + hashlib.blake2b(key.encode(), digest_size=12).hexdigest() + '"'


def roll_call(user, now=None) -> dict:
    """The three lists: on site (not yet marked), expected but not arrived, marked safe."""
    now = now or timezone.now()
    call = current()
    marked = {}
    if call is not None:
        for m in call.marks.select_related("marked_by"):
            marked[m.person] = m
    present, safe = [], []
    for row in on_site(user, now):
        mark = marked.pop(row["key"], None)
        if mark is None:
            present.append(row)
        else:
            safe.append(
                {**row, "marked_by": mark.marked_by.display_name, "marked_at": mark.marked_at}
            )
    # Marked, then left the building or their shift ended: still safe.
    for key, mark in marked.items():
        safe.append(
            {
                "key": key,
                "kind": key.split(":")[0],
                "name": mark.name,
                "detail": "",
                "since": None,
                "marked_by": mark.marked_by.display_name,
                "marked_at": mark.marked_at,
            }
        )
    expected = [
        {
            "name": r["name"],
            "company": r["company"],
            "expected_at": r["expected_at"],
            "host": r["host"],
        }
        for r in visitor_queries.expected(user)
        if not r["arrived"]
    ]
    return {
        "as_of": now,
        "roll_call": call.pk if call else None,
        "started_at": call.started_at if call else None,
        "on_site": sorted(present, key=lambda r: (r["kind"] != "staff", r["name"])),
        "expected": expected,
        "safe": sorted(safe, key=lambda r: r["name"]),
    }


@transaction.atomic
def start(*, actor, now=None) -> RollCall:
    """Start the roll call, or join the one already open (two marshals at once share it)."""
    existing = current()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            call = RollCall.objects.create(started_at=now or timezone.now(), started_by=actor)
    except IntegrityError:
        return current()
    audit.record_create(actor, call, summary="Started a fire roll call")
    return call


@transaction.atomic
def mark_safe(*, actor, person: str, name: str, now=None) -> RollCallMark:
    """Tick a person off. Ticking someone already ticked (another marshal) is no error."""
    call = current()
    if call is None:
        raise Conflict("No roll call is open; start one first")
    mark, made = RollCallMark.objects.get_or_create(
        roll_call=call,
        person=person,
        defaults={"name": name, "marked_by": actor, "marked_at": now or timezone.now()},
    )
    if made:
        audit.record_create(actor, mark, summary=f"Marked {name} safe")
    return mark


@transaction.atomic
def unmark(*, actor, person: str) -> None:
    call = current()
    mark = call.marks.filter(person=person).first() if call else None
    if mark is None:
        raise NotFound("That person is not marked safe")
    before = audit.snapshot(mark)
    mark.delete()
    audit.record_delete(actor, mark, before, summary=f"Unmarked {mark.name}")


@transaction.atomic
def close(*, actor, now=None) -> RollCall:
    call = current()
    if call is None:
        raise Conflict("No roll call is open")
    RollCall.objects.filter(pk=call.pk).update(is_open=None, closed_at=now or timezone.now())
    call.refresh_from_db()
    audit.record(
        actor,
        call,
        AuditEntry.Action.TRANSITION,
        {"closed_at": [None, call.closed_at.isoformat()]},
        "Closed the fire roll call",
    )
    return call


@transaction.atomic
def staff_in(*, actor, now=None) -> StaffPresence:
    """The simple staff in: signing in twice keeps the first."""
    open_stay = StaffPresence.objects.filter(user=actor, out_at__isnull=True).first()
    if open_stay is not None:
        return open_stay
    stay = StaffPresence.objects.create(user=actor, in_at=now or timezone.now())
    audit.record_create(actor, stay, summary="Signed in (staff)")
    return stay


@transaction.atomic
def staff_out(*, actor, now=None) -> int:
    now = now or timezone.now()
    done = StaffPresence.objects.filter(user=actor, out_at__isnull=True).update(out_at=now)
    if done:
        audit.record(
            actor,
            actor,
            AuditEntry.Action.TRANSITION,
            {"staff_out": [None, now.isoformat()]},
            "Signed out (staff)",
        )
    return done
