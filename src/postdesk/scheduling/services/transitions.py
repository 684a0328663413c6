"""A booking's life after it is made: a pencil is confirmed or released, an active
booking cancelled, a confirmed one completed once it has ended, and a challenged pencil
released by the worker when its deadline lapses."""

from django.utils import timezone

from postdesk.core import audit, events
from postdesk.core.errors import InvalidTransition
from postdesk.scheduling.models import Booking
from postdesk.scheduling.services.challenges import _lift_challenges_made_by
from postdesk.scheduling.services.checks import _check_rights
from postdesk.scheduling.services.conflicts import _check_blocking_clashes, _raise_higher_pencil
from postdesk.scheduling.services.locking import _lock_booking, serialised
from postdesk.scheduling.services.ranks import _higher_pencils, _rerank
from postdesk.scheduling.services.records import _bump, _set_allocations_status, _transition_audit

Status = Booking.Status


@serialised
def confirm_booking(booking: Booking | int, *, actor) -> Booking:
    """Pencil -> confirmed. Refused while an earlier overlapping pencil stands on any of its
    resources (HigherPencil) or a blocking allocation overlaps (BookingConflict)."""
    booking_id = booking.pk if isinstance(booking, Booking) else booking
    booking, ids, _ = _lock_booking(booking_id)
    _check_rights(actor, booking.kind, booking=booking)
    if booking.status != Status.PENCIL:
        raise InvalidTransition(f"Only a pencil can be confirmed; this booking is {booking.status}")
    higher = _higher_pencils(booking, ids)
    if higher:
        _raise_higher_pencil(higher)
    _check_blocking_clashes(ids, booking.start, booking.end, exclude_booking=booking.pk)
    old = booking.status
    _bump(booking, status=Status.CONFIRMED, challenge_deadline=None, challenged_by=None)
    _set_allocations_status(booking, Status.CONFIRMED)
    _rerank(ids, booking.start, booking.end)
    _transition_audit(actor, booking, old, "Confirmed")
    events.publish(events.BOOKING_CONFIRMED, subject=booking, actor=actor)
    return booking


def _end_booking(booking_id: int, *, actor, status: str, allowed: tuple, verb: str, reason=""):
    booking, ids, _ = _lock_booking(booking_id)
    _check_rights(actor, booking.kind, booking=booking)
    if booking.status not in allowed:
        raise InvalidTransition(
            f"A {booking.status} booking cannot be {verb.lower()}; only {' or '.join(allowed)} ones"
        )
    old = booking.status
    _bump(booking, status=status, challenge_deadline=None, challenged_by=None)
    _set_allocations_status(booking, status)
    if old == Status.PENCIL:
        _rerank(ids, booking.start, booking.end)
    _transition_audit(actor, booking, old, verb, reason)
    _lift_challenges_made_by(booking, actor)
    if status == Status.RELEASED:
        events.publish(events.BOOKING_RELEASED, subject=booking, actor=actor, reason=reason)
    return booking


@serialised
def release_booking(booking: Booking | int, *, actor) -> Booking:
    """Pencil -> released; the pencils below move up."""
    booking_id = booking.pk if isinstance(booking, Booking) else booking
    return _end_booking(
        booking_id, actor=actor, status=Status.RELEASED, allowed=(Status.PENCIL,), verb="Released"
    )


@serialised
def cancel_booking(booking: Booking | int, *, actor) -> Booking:
    """Pencil or confirmed -> cancelled (kept, never deleted)."""
    booking_id = booking.pk if isinstance(booking, Booking) else booking
    return _end_booking(
        booking_id,
        actor=actor,
        status=Status.CANCELLED,
        allowed=(Status.PENCIL, Status.CONFIRMED),
        verb="Cancelled",
    )


@serialised
def complete_booking(booking: Booking | int, *, actor, now=None) -> Booking:
    """Confirmed and over -> completed (still blocking: it happened)."""
    booking_id = booking.pk if isinstance(booking, Booking) else booking
    booking, _, _ = _lock_booking(booking_id)
    _check_rights(actor, booking.kind, booking=booking)
    if booking.status != Status.CONFIRMED:
        raise InvalidTransition(
            f"Only a confirmed booking can be completed; this one is {booking.status}"
        )
    if booking.end > (now or timezone.now()):
        raise InvalidTransition("A booking can be completed only once it has ended")
    old = booking.status
    _bump(booking, status=Status.COMPLETED)
    _set_allocations_status(booking, Status.COMPLETED)
    _transition_audit(actor, booking, old, "Completed")
    return booking


@serialised
def release_if_lapsed(booking_id: int, *, now=None) -> bool:
    """Release a challenged pencil whose deadline has passed; False if nothing to do."""
    now = now or timezone.now()
    booking = Booking.objects.filter(pk=booking_id).only("status", "challenge_deadline").first()
    if (
        booking is None
        or booking.status != Status.PENCIL
        or booking.challenge_deadline is None
        or booking.challenge_deadline > now
    ):
        return False
    booking, _, _ = _lock_booking(booking_id)
    if (
        booking.status != Status.PENCIL
        or booking.challenge_deadline is None
        or booking.challenge_deadline > now
    ):
        return False
    _end_booking(
        booking_id,
        actor=audit.WORKER,
        status=Status.RELEASED,
        allowed=(Status.PENCIL,),
        verb="Released",
        reason="challenge lapsed",
    )
    return True


def complete_past_bookings(*, actor, now=None) -> int:
    """Mark confirmed bookings that have ended as completed; returns how many."""
    now = now or timezone.now()
    done = 0
    for pk in Booking.objects.filter(status=Status.CONFIRMED, end__lte=now).values_list(
        "pk", flat=True
    ):
        complete_booking(pk, actor=actor, now=now)
        done += 1
    return done
