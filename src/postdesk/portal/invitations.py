"""A booking's invitation mail: the booking as an iCalendar REQUEST (one VEVENT, in the
site's zone with its VTIMEZONE), attached to a plain message for the client contact."""

import datetime

import icalendar
from django.conf import settings
from django.core.mail import EmailMessage

from postdesk.core.timeutil import zone_or_facility
from postdesk.productions.models import Contact
from postdesk.scheduling.models import Booking

from .feeds import ICAL_STATUS, booking_uid


def invitation_ics(booking: Booking, contact: Contact) -> bytes:
    places = [a.resource for a in booking.allocations.select_related("resource__site")]
    zone = zone_or_facility(places[0].site.time_zone if places else None)
    job = booking.job
    cal = icalendar.Calendar()
    cal.add("prodid", f"-//{settings.POSTDESK['FACILITY_NAME']}//postdesk//EN")
    cal.add("version", "2.0")
    cal.add("method", "REQUEST")
    event = icalendar.Event()
    event.add("uid", booking_uid(booking.pk))
    event.add("sequence", booking.version - 1)
    event.add("dtstamp", booking.updated_at)
    event.add("dtstart", booking.start.astimezone(zone))
    event.add("dtend", booking.end.astimezone(zone))
    event.add("summary", f"{job.number} {job.production.title}")
    event.add("location", ", ".join(p.name for p in places))
    event.add("status", ICAL_STATUS[booking.status])
    event.add("organizer", f"mailto:{settings.DEFAULT_FROM_EMAIL}")
    attendee = icalendar.vCalAddress(f"mailto:{contact.email}")
    attendee.params["cn"] = contact.name
    attendee.params["role"] = "REQ-PARTICIPANT"
    event.add("attendee", attendee)
    cal.add_component(event)
    year = booking.start.year
    cal.add_missing_timezones(
        first_date=datetime.date(year - 1, 1, 1), last_date=datetime.date(year + 2, 1, 1)
    )
    return cal.to_ical()


def invitation(booking: Booking, contact: Contact) -> EmailMessage:
    places = ", ".join(a.resource.name for a in booking.allocations.select_related("resource"))
    zone = zone_or_facility(None)
    start = booking.start.astimezone(zone)
    end = booking.end.astimezone(zone)
    job = booking.job
    facility = settings.POSTDESK["FACILITY_NAME"]
    message = EmailMessage(
        subject=f"Booking confirmed: {job.number} {job.production.title}, {start:%a %d %b}",
        body=(
            f"Dear {contact.name},\n\nYour booking of {places} from {start:%a %d %b %Y %H:%M} "
            f"to {end:%a %d %b %H:%M} ({zone.key}) for {job.number} {job.production.title} "
            f"is confirmed. The attached invitation adds it to your calendar.\n\n{facility}\n"
        ),
        to=[contact.email],
    )
    message.attach("booking.ics", invitation_ics(booking, contact), "text/calendar; method=REQUEST")
    return message
