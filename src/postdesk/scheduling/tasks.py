"""Background work for scheduling: a challenged pencil's holder is mailed, and lapsed
challenges release their pencil."""

from django.utils import timezone
from django_tasks import task

from postdesk.core import mailing
from postdesk.scheduling import notifications, services
from postdesk.scheduling.models import Booking


@task()
def mail_challenge_notice(booking_id: int, attempt: int = 1) -> str:
    """Enqueued by services.challenge_booking once the challenge commits."""
    booking = notifications.challenged_booking(booking_id)
    if booking is None or not notifications.challenge_recipients(booking):
        return f"booking {booking_id}: no challenge notice to mail"
    return mailing.deliver(
        lambda: notifications.challenge_notice(booking),
        about=booking,
        what="challenge notice",
        task=mail_challenge_notice,
        task_args=(booking_id,),
        attempt=attempt,
    )


@task()
def release_lapsed_challenge(booking_id: int) -> str:
    """Runs at the challenge deadline: releases the pencil if it is still challenged and
    its deadline has passed (a confirm, release or lifted challenge makes it a no-op)."""
    if services.release_if_lapsed(booking_id):
        return f"released booking {booking_id}"
    return f"booking {booking_id}: nothing to release"


def expire_overdue_challenges_now() -> str:
    """Start-up sweep: release every pencil whose challenge lapsed while no worker ran."""
    due = Booking.objects.filter(
        status=Booking.Status.PENCIL, challenge_deadline__lte=timezone.now()
    ).values_list("pk", flat=True)
    released = sum(1 for pk in list(due) if services.release_if_lapsed(pk))
    return f"released {released} pencil(s) whose challenge lapsed"
