"""Challenges: a pencil presses the pencils ranked above it to confirm or release by a
deadline (CHALLENGE_HOURS), after which the worker releases them
(transitions.release_if_lapsed). A challenge stands only while the two still overlap."""

import datetime
from collections.abc import Iterable

from django.conf import settings
from django.utils import timezone

from postdesk.core import audit, events, jobs
from postdesk.core.errors import InvalidTransition
from postdesk.core.models import AuditEntry
from postdesk.scheduling.models import Allocation, Booking
from postdesk.scheduling.services.checks import _check_rights
from postdesk.scheduling.services.locking import _current_resource_ids, _lock_booking, serialised
from postdesk.scheduling.services.ranks import _higher_pencils
from postdesk.scheduling.services.records import _audit_booking, _bump

Status = Booking.Status


def _lift_challenges_made_by(challenger: Booking, actor, keep: Iterable[int] = ()) -> None:
    """A challenger that goes away (or moves off) no longer presses the pencils it
    challenged, except those in `keep`."""
    held_qs = Booking.objects.select_for_update().filter(
        challenged_by=challenger, status=Status.PENCIL, challenge_deadline__isnull=False
    )
    for held in held_qs.exclude(pk__in=list(keep)):
        before = held.challenge_deadline
        reason = (
            "it is " + challenger.status
            if challenger.status != Status.PENCIL
            else ("they no longer overlap")
        )
        _bump(held, challenge_deadline=None, challenged_by=None)
        _audit_booking(
            actor,
            held,
            AuditEntry.Action.TRANSITION,
            {"challenge_deadline": [audit._plain(before), None]},
            f"Challenge by booking {challenger.pk} lifted: {reason}",
        )


def _reconcile_challenges(booking: Booking, actor) -> None:
    """After a pencil moves or changes resources, challenges stand only between pencils
    that still overlap with the challenged one ranked higher."""
    if Booking.objects.filter(challenged_by=booking, challenge_deadline__isnull=False).exists():
        ids = _current_resource_ids(booking.pk)
        still_higher = Allocation.objects.filter(pk__in=_higher_pencils(booking, ids)).values_list(
            "booking_id", flat=True
        )
        _lift_challenges_made_by(booking, actor, keep=set(still_higher))
    if booking.challenge_deadline is not None and booking.challenged_by_id is not None:
        challenger = Booking.objects.filter(pk=booking.challenged_by_id).first()
        if challenger is None:
            return
        higher = _higher_pencils(challenger, _current_resource_ids(challenger.pk))
        if not Allocation.objects.filter(pk__in=higher, booking_id=booking.pk).exists():
            before = booking.challenge_deadline
            _bump(booking, challenge_deadline=None, challenged_by=None)
            _audit_booking(
                actor,
                booking,
                AuditEntry.Action.TRANSITION,
                {"challenge_deadline": [audit._plain(before), None]},
                f"Challenge by booking {challenger.pk} lifted: they no longer overlap",
            )


@serialised
def challenge_booking(challenger: Booking | int, *, actor) -> list[Booking]:
    """The pencil `challenger` presses every higher overlapping pencil: each must confirm or
    release by now + CHALLENGE_HOURS, or a background task releases it. Their job's
    contact and their owner are emailed. Returns the challenged bookings."""
    challenger_id = challenger.pk if isinstance(challenger, Booking) else challenger
    challenger, ids, _ = _lock_booking(challenger_id)
    _check_rights(actor, challenger.kind, booking=challenger)
    if challenger.status != Status.PENCIL:
        raise InvalidTransition(f"Only a pencil can challenge; this booking is {challenger.status}")
    higher = _higher_pencils(challenger, ids)
    if not higher:
        raise InvalidTransition(
            f"Booking {challenger.pk} is the first pencil on all its resources: "
            "there is nothing to challenge; confirm it instead"
        )
    held_ids = sorted(
        set(Allocation.objects.filter(pk__in=higher).values_list("booking_id", flat=True))
    )
    now = timezone.now()
    deadline = now + datetime.timedelta(hours=settings.POSTDESK["CHALLENGE_HOURS"])
    challenged = []
    for held in Booking.objects.select_for_update().filter(pk__in=held_ids).order_by("pk"):
        if held.challenge_deadline is not None and held.challenge_deadline > now:
            challenged.append(held)  # already running against the clock; not extended
            continue
        _bump(held, challenge_deadline=deadline, challenged_by=challenger)
        _audit_booking(
            actor,
            held,
            AuditEntry.Action.TRANSITION,
            {
                "challenge_deadline": [None, deadline.isoformat()],
                "challenged_by": [None, challenger.pk],
            },
            f"Challenged by booking {challenger.pk}: confirm or release by "
            f"{deadline:%Y-%m-%d %H:%M} UTC",
        )
        challenged.append(held)
        # The job's contact (no user of ours) is mailed the notice; the users who hear of
        # it (its owner, the client's users) are the notifications app's to find.
        jobs.enqueue_on_commit("postdesk.scheduling.tasks.mail_challenge_notice", held.pk)
        events.publish(
            events.BOOKING_CHALLENGED, subject=held, actor=actor, challenger=challenger.pk
        )
        jobs.enqueue_on_commit(
            "postdesk.scheduling.tasks.release_lapsed_challenge", held.pk, run_after=deadline
        )
    _audit_booking(
        actor,
        challenger,
        AuditEntry.Action.TRANSITION,
        {"challenged": [None, [b.pk for b in challenged]]},
        f"Booking {challenger.pk} challenged {', '.join(str(b.pk) for b in challenged)}",
    )
    return challenged
