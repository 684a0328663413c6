"""Mail about bookings, built here and sent by the worker (scheduling.tasks)."""

import logging

from django.conf import settings
from django.core.mail import EmailMessage

from postdesk.core.timeutil import zone_or_facility
from postdesk.scheduling.models import Booking

logger = logging.getLogger("postdesk")


def challenge_recipients(booking: Booking) -> list[str]:
    """The challenged job's contact, when it has an address. The booking's owner and the
    client's users are users of ours: they hear of it through the notifications app
    (in the app, and by mail as each of them prefers), not from this notice."""
    if booking.job_id and booking.job.contact_id and booking.job.contact.email:
        return [booking.job.contact.email]
    return []


def challenged_booking(booking_id: int) -> Booking | None:
    """The booking with what its challenge notice shows; None when it is gone or no longer
    challenged (confirmed, released or the challenge lifted before the worker got to it)."""
    booking = (
        Booking.objects.select_related(
            "job__contact", "job__client", "job__production", "owner", "challenged_by"
        )
        .filter(pk=booking_id)
        .first()
    )
    if booking is None or booking.challenge_deadline is None:
        return None
    return booking


def challenge_notice(booking: Booking) -> EmailMessage:
    """Tell the holder of a challenged pencil to confirm or release it by the deadline."""
    first = booking.allocations.select_related("resource__site").first()
    zone = zone_or_facility(first.resource.site.time_zone if first is not None else None)
    resources = ", ".join(a.resource.name for a in booking.allocations.select_related("resource"))
    what = (
        f"{booking.job.number} {booking.job.production.title} ({booking.job.client.name})"
        if booking.job_id
        else booking.title or booking.get_kind_display()
    )
    start = booking.start.astimezone(zone)
    end = booking.end.astimezone(zone)
    deadline = booking.challenge_deadline.astimezone(zone)
    facility = settings.POSTDESK["FACILITY_NAME"]
    body = (
        f"Your pencil on {resources} from {start:%a %d %b %H:%M} to {end:%a %d %b %H:%M} "
        f"for {what} has been challenged: another client would like to confirm the same "
        f"time.\n\nPlease confirm or release it by {deadline:%a %d %b %Y %H:%M} "
        f"({zone.key}). If we hear nothing by then, the pencil is released automatically.\n\n"
        f"Booking {booking.pk}\n{facility}\n"
    )
    return EmailMessage(
        subject=f"Pencil challenged: {what}, {start:%a %d %b}",
        body=body,
        to=challenge_recipients(booking),
    )
