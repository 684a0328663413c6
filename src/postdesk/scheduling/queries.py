"""Reads of scheduling that pages and the API share: bookings, and the day at a glance.

The board (`board.py`) and availability (`availability.py`) have modules of their own,
and the database functions they select through theirs (`db.py`); the names the API,
the pages and the shell read are imported here too, so `queries` stays the one way in.
"""

import datetime

from django.db.models import Count, Prefetch
from django.utils import timezone

from postdesk.core.roles import scope_to_client
from postdesk.core.timeutil import facility_zone, local_day_bounds
from postdesk.scheduling.availability import (
    booking_outlook,
    earliest_slots,
    free_resources,
    utilisation,
    zone_of_resources,
)
from postdesk.scheduling.board import (
    board,
    board_etag,
    board_status,
    check_window,
    resources_queryset,
)
from postdesk.scheduling.models import Allocation, Booking, Skill

__all__ = [
    "board",
    "board_etag",
    "board_status",
    "booking_dict",
    "booking_label",
    "booking_outlook",
    "booking_rows",
    "bookings_for",
    "bookings_today",
    "check_window",
    "earliest_slots",
    "filter_bookings",
    "free_resources",
    "open_challenges",
    "pencils_ahead",
    "resources_queryset",
    "skills_list",
    "utilisation",
    "zone_of_resources",
]


def bookings_for(user):
    """Bookings the user may see: client users only their own company's job bookings."""
    qs = Booking.objects.select_related("job__client", "job__production")
    return scope_to_client(user, qs, "job__client")


def booking_dict(booking: Booking) -> dict:
    """A booking with its allocations (hold_rank on pencils), for API responses."""
    allocations = getattr(booking, "allocation_list", None)
    names = getattr(booking, "resource_names", None)
    if allocations is None or names is None:
        allocations = list(booking.allocations.select_related("resource").order_by("pk"))
        names = {a.resource_id: a.resource.name for a in allocations}
    job = booking.job if booking.job_id else None
    return {
        "id": booking.pk,
        "kind": booking.kind,
        "status": booking.status,
        "job": booking.job_id,
        "job_number": job.number if job else None,
        "client": job.client_id if job else None,
        "client_name": job.client.name if job else None,
        "production": job.production_id if job else None,
        "production_title": job.production.title if job else None,
        "title": booking.title,
        "notes": booking.notes,
        "start": booking.start,
        "end": booking.end,
        "owner": booking.owner_id,
        "series": str(booking.series) if booking.series else None,
        "challenge_deadline": booking.challenge_deadline,
        "challenged_by": booking.challenged_by_id,
        "version": booking.version,
        "allocations": [
            {
                "id": a.pk,
                "resource": a.resource_id,
                "resource_name": names.get(a.resource_id),
                "start": a.start,
                "end": a.end,
                "status": a.status,
                "blocking": a.blocking,
                "hold_rank": a.hold_rank,
            }
            for a in allocations
        ],
    }


def filter_bookings(
    qs,
    *,
    job=None,
    resource=None,
    status=None,
    kind=None,
    client=None,
    production=None,
    start=None,
    end=None,
    series=None,
):
    if job:
        qs = qs.filter(job_id=job)
    if client:
        qs = qs.filter(job__client_id=client)
    if production:
        qs = qs.filter(job__production_id=production)
    if status:
        qs = qs.filter(status__in=status)
    if kind:
        qs = qs.filter(kind=kind)
    if series:
        qs = qs.filter(series=series)
    if resource:
        qs = qs.filter(pk__in=Allocation.objects.filter(resource_id=resource).values("booking_id"))
    if start:
        qs = qs.filter(end__gt=start)
    if end:
        qs = qs.filter(start__lt=end)
    return qs.prefetch_related("allocations__resource")


def skills_list(q: str | None = None):
    qs = Skill.objects.annotate(resources_count=Count("resources"))
    if q:
        qs = qs.filter(name__icontains=q)
    return qs


def _today_bounds():
    return local_day_bounds(timezone.localdate(timezone=facility_zone()), facility_zone())


def bookings_today(user):
    """Active bookings overlapping today (facility local day) that the user may see."""
    start, end = _today_bounds()
    return bookings_for(user).filter(
        status__in=Booking.ACTIVE_STATUSES, start__lt=end, end__gt=start
    )


def open_challenges(user):
    """Pencils under challenge, waiting for their holder to confirm or release."""
    return bookings_for(user).filter(status=Booking.Status.PENCIL, challenge_deadline__isnull=False)


def pencils_ahead(user, days: int = 14):
    """Pencils starting in the next `days` days: holds that still need an answer."""
    now = timezone.now()
    return bookings_for(user).filter(
        status=Booking.Status.PENCIL, start__gte=now, start__lt=now + datetime.timedelta(days=days)
    )


def booking_rows(bookings, limit: int, order=("start", "pk")) -> list[Booking]:
    """The first `limit` of `bookings` (by start unless told), each with its job, production
    and allocations' resources: two queries however many bookings or resources."""
    allocations = Allocation.objects.select_related("resource").order_by("resource__name")
    return list(
        bookings.select_related("job__production")
        .prefetch_related(Prefetch("allocations", queryset=allocations))
        .order_by(*order)[:limit]
    )


def booking_label(booking: Booking) -> str:
    """What a booking is, in a line: its job and production, or its title (maintenance,
    leave and internal use have no job)."""
    if booking.job_id is not None:
        return f"{booking.job.number} {booking.job.production.title}"
    return booking.title or booking.get_kind_display()
