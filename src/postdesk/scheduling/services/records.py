"""The writes every change to a booking makes besides its own: the booking's version
bumped, its allocations' status set, and the audit entry that says what happened."""

from django.db.models import F
from django.utils import timezone

from postdesk.core import audit
from postdesk.core.models import AuditEntry
from postdesk.scheduling.models import Allocation, Booking

BOOKING_FIELDS = ("kind", "job_id", "status", "title", "notes", "start", "end", "series")


def _bump(booking: Booking, **fields) -> None:
    fields.setdefault("updated_at", timezone.now())
    for name, value in fields.items():
        setattr(booking, name, value)
    booking.version += 1
    Booking.objects.filter(pk=booking.pk).update(version=F("version") + 1, **fields)


def _set_allocations_status(booking: Booking, status: str) -> None:
    Allocation.objects.filter(booking_id=booking.pk).update(
        status=status, blocking=status in Booking.BLOCKING_STATUSES, hold_rank=None
    )


def _audit_booking(actor, booking, action, changes, summary):
    audit.record(actor, booking, action, changes, summary)


def _summary(booking: Booking, verb: str) -> str:
    return f"{verb} {booking.kind} booking {booking.pk} ({booking.status})"


def _transition_audit(actor, booking, old_status, verb, reason=""):
    changes = {"status": [old_status, booking.status]}
    summary = _summary(booking, verb) + (f": {reason}" if reason else "")
    _audit_booking(actor, booking, AuditEntry.Action.TRANSITION, changes, summary)
