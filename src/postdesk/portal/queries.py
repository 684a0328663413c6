"""What a client user's portal shows: their company's bookings (other companies' time on
the same rooms only as "Unavailable"), quotes to answer, invoices and what is owed, media
held for them, their booking requests. Every read is scoped to the user's company
(scope_to_client, library.queries.items_for, billing.queries.invoices_with_amounts), in
a fixed number of queries whatever the data."""

import datetime

from django.db.models import F, Q
from django.utils import timezone

from postdesk.billing.models import Quote
from postdesk.billing.queries import hide_drafts_from_clients, invoices_with_amounts, outstanding
from postdesk.core.roles import scope_to_client
from postdesk.library.queries import items_for
from postdesk.scheduling.models import Allocation, Booking
from postdesk.scheduling.overlap import overlaps

from .models import BookingRequest

AHEAD = datetime.timedelta(days=28)
BEHIND = datetime.timedelta(days=1)
LIST = 25


def bookings(user, now=None) -> tuple[list[dict], list[dict]]:
    """(their bookings, other time on the rooms they hold) from yesterday to four weeks on."""
    now = now or timezone.now()
    lo, hi = now - BEHIND, now + AHEAD
    own = list(
        scope_to_client(
            user,
            Allocation.objects.filter(overlaps(lo, hi), status__in=Booking.ACTIVE_STATUSES),
            "booking__job__client",
        )
        .order_by("start", "booking_id")
        .values(
            "booking_id",
            "start",
            "end",
            "status",
            "resource_id",
            "resource__name",
            "booking__job__number",
            "booking__job__production__title",
        )[: LIST * 4]
    )
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
    found = invoices_with_amounts(user).filter(status="issued")
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
