"""The kinds of notification: what each is called, who may receive it, and how each role
hears of it until the user chooses otherwise (their preferences)."""

from dataclasses import dataclass

from django.db import models

from postdesk.core import events


class Mode(models.TextChoices):
    IMMEDIATELY = "immediately", "Immediately"
    DIGEST = "digest", "Daily digest"
    OFF = "off", "Off"


@dataclass(frozen=True)
class Kind:
    key: str
    label: str
    # Internal kinds are the facility's own business: never for outside users (clients),
    # whatever their preferences say.
    internal: bool
    default: str


KINDS: dict[str, Kind] = {
    k.key: k
    for k in (
        Kind(events.BOOKING_CONFIRMED, "Booking confirmed", False, Mode.IMMEDIATELY),
        Kind(events.BOOKING_MOVED, "Booking moved", False, Mode.IMMEDIATELY),
        Kind(events.BOOKING_CHALLENGED, "Pencil challenged", False, Mode.IMMEDIATELY),
        Kind(events.BOOKING_RELEASED, "Booking released", False, Mode.DIGEST),
        Kind(events.QUOTE_TO_APPROVE, "Quote to approve", True, Mode.IMMEDIATELY),
        Kind(events.QUOTE_TO_ACCEPT, "Quote to accept", False, Mode.IMMEDIATELY),
        Kind(events.INVOICE_ISSUED, "Invoice issued", False, Mode.IMMEDIATELY),
        Kind(events.INVOICE_OVERDUE, "Invoice overdue", False, Mode.DIGEST),
        Kind(events.DELIVERY_RECEIVED, "Delivery received", True, Mode.IMMEDIATELY),
        Kind(events.MESSAGE_TAKEN, "Message taken", True, Mode.IMMEDIATELY),
        Kind(events.RUNNER_TASK_DONE, "Runner task done", True, Mode.DIGEST),
        Kind(events.ROOM_FAULT, "Fault on a room you booked", True, Mode.IMMEDIATELY),
    )
}
CHOICES = [(k.key, k.label) for k in KINDS.values()]

# Where a role's defaults differ from the kind's. The bookings office moves and confirms
# all day: a mail for each of its own bookings' changes would bury the rest, so those
# wait for the digest; a client hears at once of anything about its own work, since
# that is all it hears about; accounts chase overdue invoices first thing.
ROLE_DEFAULTS: dict[str, dict[str, str]] = {
    "admin": {
        events.BOOKING_CONFIRMED: Mode.DIGEST,
        events.BOOKING_MOVED: Mode.DIGEST,
    },
    "bookings": {
        events.BOOKING_CONFIRMED: Mode.DIGEST,
        events.BOOKING_MOVED: Mode.DIGEST,
    },
    "client": {
        events.BOOKING_RELEASED: Mode.IMMEDIATELY,
        events.INVOICE_OVERDUE: Mode.IMMEDIATELY,
    },
    "accounts": {events.INVOICE_OVERDUE: Mode.IMMEDIATELY},
}


def default_mode(role: str | None, kind: str) -> str:
    return ROLE_DEFAULTS.get(role or "", {}).get(kind, KINDS[kind].default)


def kinds_for(outside: bool) -> list[Kind]:
    """The kinds a user may hear of: outside users never the internal ones."""
    return [k for k in KINDS.values() if not (outside and k.internal)]
