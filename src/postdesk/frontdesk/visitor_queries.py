"""Reads of the visitors: each day's expected list (from the bookings and the
pre-registrations), who is in, the kiosk's name search."""

import datetime

from django.db.models import Q
from django.utils import timezone

from postdesk.core.timeutil import facility_zone, local_day_bounds
from postdesk.frontdesk.models import Attendee, PreRegistration, Visit
from postdesk.scheduling.queries import bookings_for, filter_bookings

# The kiosk's search starts matching at this many letters (fewer match half the house).
MIN_SEARCH = 3
MAX_RESULTS = 20


def day_bounds(day: datetime.date | None = None):
    day = day or timezone.localdate(timezone=facility_zone())
    return local_day_bounds(day, facility_zone())


def _suite(booking) -> str:
    rooms = [a.resource.name for a in booking.allocations.all() if a.resource.kind == "room"]
    return ", ".join(sorted(set(rooms)))


def _from_bookings(user, start, end) -> list[dict]:
    """The client contacts attending the day's client sessions: a booking's named
    attendees, else its job's contact."""
    bookings = list(
        filter_bookings(
            bookings_for(user).select_related("job__contact__client", "owner"),
            kind="job",
            status=["pencil", "confirmed", "completed"],
            start=start,
            end=end,
        )
    )
    named: dict[int, list] = {}
    for row in Attendee.objects.filter(booking__in=bookings).select_related("contact__client"):
        named.setdefault(row.booking_id, []).append(row.contact)
    rows = []
    for booking in bookings:
        contacts = named.get(booking.pk) or ([booking.job.contact] if booking.job.contact else [])
        for contact in contacts:
            rows.append(
                {
                    "source": "booking",
                    "name": contact.name,
                    "company": contact.client.name,
                    "contact": contact.pk,
                    "preregistration": None,
                    "booking": booking.pk,
                    "expected_at": booking.start,
                    "suite": _suite(booking),
                    "host": booking.owner.display_name if booking.owner else "",
                    "host_id": booking.owner_id,
                    "production": booking.job.production_id,
                    "production_title": booking.job.production.title,
                }
            )
    return rows


def _preregistered(start, end) -> list[dict]:
    regs = PreRegistration.objects.filter(expected_at__gte=start, expected_at__lt=end)
    return [
        {
            "source": "preregistration",
            "name": reg.name,
            "company": reg.company,
            "contact": None,
            "preregistration": reg.pk,
            "booking": None,
            "expected_at": reg.expected_at,
            "suite": "",
            "host": reg.host.display_name,
            "host_id": reg.host_id,
            "production": reg.production_id,
            "production_title": reg.production.title if reg.production_id else "",
        }
        for reg in regs.select_related("host", "production")
    ]


def expected(user, day: datetime.date | None = None) -> list[dict]:
    """Everyone expected on `day` (default today) by arrival time, each marked with the
    visit that signed them in that day, if any. A contact in two sessions is listed once,
    at their first."""
    start, end = day_bounds(day)
    rows, seen = [], set()
    for row in sorted(
        _from_bookings(user, start, end) + _preregistered(start, end),
        key=lambda r: (r["expected_at"], r["name"]),
    ):
        key = ("c", row["contact"]) if row["contact"] else ("p", row["preregistration"])
        if key not in seen:
            seen.add(key)
            rows.append(row)
    visits = Visit.objects.filter(signed_in_at__gte=start, signed_in_at__lt=end)
    by_contact, by_reg = {}, {}
    for pk, contact, reg in visits.values_list("pk", "contact_id", "preregistration_id"):
        if contact:
            by_contact[contact] = pk
        if reg:
            by_reg[reg] = pk
    for row in rows:
        row["visit"] = by_contact.get(row["contact"]) or by_reg.get(row["preregistration"])
        row["arrived"] = row["visit"] is not None
    return rows


# What a search hit tells the kiosk of an expected visitor: who, and how to sign them in
# (the rest of the expected row, its production and arrival, is the desk's, not the kiosk's).
FOUND_KEYS = (
    "source",
    "name",
    "company",
    "contact",
    "preregistration",
    "booking",
    "host",
    "host_id",
    "suite",
)


def search(user, q: str) -> list[dict]:
    """The kiosk's name search: nothing under three letters; today's expected visitors
    who have not arrived first, then earlier visitors by name (returning guests)."""
    q = q.strip()
    if len(q) < MIN_SEARCH:
        return []
    needle = q.casefold()
    found = [
        {**{k: row[k] for k in FOUND_KEYS}, "expected": True}
        for row in expected(user)
        if needle in row["name"].casefold() and not row["arrived"]
    ][:MAX_RESULTS]
    names = {(r["name"], r["company"]) for r in found}
    earlier = (
        Visit.objects.filter(Q(name__icontains=q), anonymised_at__isnull=True)
        .exclude(name="")
        .values_list("name", "company")
        .order_by("name", "company")
        .distinct()[: MAX_RESULTS * 2]
    )
    for name, company in earlier:
        if len(found) >= MAX_RESULTS:
            break
        if (name, company) not in names:
            names.add((name, company))
            found.append({"source": "earlier", "name": name, "company": company, "expected": False})
    return found


def on_site():
    """Visitors signed in and not yet out."""
    return Visit.objects.filter(signed_out_at__isnull=True).select_related("host")
