"""Background work for scheduling: lapsed challenges release their pencil."""

import datetime

from django.utils import timezone
from django_tasks import task

from postdesk.scheduling import services
from postdesk.scheduling.models import Booking


@task()
def release_lapsed_challenge(booking_id: int) -> str:
    """Runs at the challenge deadline: releases the pencil if it is still challenged and
    its deadline has passed (a confirm, release or lifted challenge makes it a no-op)."""
    if services.release_if_lapsed(booking_id):
        return f"released booking {booking_id}"
    return f"booking {booking_id}: nothing to release"


def schedule_challenge_expiry(booking_id: int, deadline: datetime.datetime) -> None:
    release_lapsed_challenge.using(run_after=deadline).enqueue(booking_id)


def expire_overdue_challenges_now() -> str:
    """Start-up sweep: release every pencil whose challenge lapsed while no worker ran."""
    due = Booking.objects.filter(
        status=Booking.Status.PENCIL, challenge_deadline__lte=timezone.now()
    ).values_list("pk", flat=True)
    released = sum(1 for pk in list(due) if services.release_if_lapsed(pk))
    return f"released {released} pencil(s) whose challenge lapsed"
