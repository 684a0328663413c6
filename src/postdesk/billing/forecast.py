"""What a production's booked work not yet on a job sheet will cost the client: the cost
report's "to complete", and its pencils beside it.

Confirmed bookings without a job sheet (work still to come, and work done whose sheet is
not made yet) are priced by the rate card exactly as their job sheet would price them
(billing.pricing, the client's deal first). Pencils are priced the same way but listed
apart: they are not committed, so they are not in the forecast. A booking that cannot be
priced (no rate on the card) is named rather than counted as nothing.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from postdesk.billing.lines import price_resource, require_priceable
from postdesk.billing.rates import RateBook
from postdesk.core.errors import DomainError


@dataclass
class BookedWork:
    currency: str
    to_complete: list[tuple[int | None, str, Decimal]] = field(default_factory=list)
    pencilled: list[tuple[int | None, str, Decimal]] = field(default_factory=list)
    unpriced: list[dict] = field(default_factory=list)
    resource_ids: set[int] = field(default_factory=set)


def booked_work(production) -> BookedWork:
    """(resource id, rate card category, net) per resource per day of the production's
    confirmed bookings without a job sheet and, apart, of its pencils."""
    from postdesk.scheduling.models import Allocation, Booking

    client = production.client
    result = BookedWork(currency=client.currency)
    allocations = list(
        Allocation.objects.filter(
            booking__job__production=production,
            booking__kind=Booking.Kind.JOB,
            booking__status__in=[
                Booking.Status.PENCIL,
                Booking.Status.CONFIRMED,
                Booking.Status.COMPLETED,
            ],
            booking__job_sheet__isnull=True,
        )
        .select_related("resource__site", "booking")
        .order_by("booking__start", "booking_id", "resource__name")
    )
    if not allocations:
        return result
    book = RateBook(client=client, currency=client.currency)
    book.preload_skills([a.resource for a in allocations])
    for allocation in allocations:
        booking, resource = allocation.booking, allocation.resource
        target = result.pencilled if booking.status == Booking.Status.PENCIL else result.to_complete
        try:
            require_priceable(booking.pk, booking.start, booking.end)
            match, charges = price_resource(
                book, resource, booking.start, booking.end, client.currency
            )
        except DomainError as exc:
            result.unpriced.append(
                {
                    "booking": booking.pk,
                    "resource": resource.pk,
                    "status": booking.status,
                    "message": exc.message,
                }
            )
            continue
        result.resource_ids.add(resource.pk)
        for charge in charges:
            target.append((resource.pk, match.entry.category, charge.net))
    return result


def by_category(rows, cmap) -> dict[str, Decimal]:
    """Sum (resource id, card category, net) rows into the categories the mapping gives."""
    out: dict[str, Decimal] = defaultdict(lambda: Decimal("0.00"))
    for resource_id, category, net in rows:
        out[cmap.category(resource_id, category)] += net
    return dict(out)
