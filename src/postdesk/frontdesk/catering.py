"""Catering: drinks rounds and lunch orders per session (a booking) or job, each from a
supplier at a cost, charged to the job as a catering line on its job sheet through
billing's services, priced by the rate card's entry for the order's `service` ("Catering:
lunch"), so catering is billed and not forgotten. A client contact's drinks and dietary
needs are remembered from their order and offered the next time."""

import datetime
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from postdesk.billing import services as billing
from postdesk.billing.models import JobSheet, LineKind
from postdesk.core import audit
from postdesk.core.errors import Conflict, Forbidden, InvalidInput
from postdesk.core.money import round_money
from postdesk.core.roles import RUN_FRONT_OFFICE, can
from postdesk.core.timeutil import facility_zone, local_day_bounds
from postdesk.frontdesk.models import CateringOrder, CateringPreference

MAX_COVERS = 500
MAX_COST = Decimal("99999999.99")  # the column's ten digits


def _need(actor) -> None:
    if not can(actor, RUN_FRONT_OFFICE):
        raise Forbidden("Your role may not order catering", details={"needs": RUN_FRONT_OFFICE})


def _text(field: str, value, limit: int, *, required: bool = False) -> str:
    value = value.strip() if isinstance(value, str) else value
    if not isinstance(value, str) or "\x00" in value:
        raise InvalidInput.field(field, f"{field} must be plain text")
    if len(value) > limit:
        raise InvalidInput.field(field, f"{field} is at most {limit} characters")
    if required and not value:
        raise InvalidInput.field(field, f"{field} is required")
    return value


def _cost(value, currency: str) -> Decimal:
    try:
        cost = round_money(Decimal(str(value)), currency)
    except (InvalidOperation, ValueError, TypeError) as exc:
        raise InvalidInput.field("cost", "The cost is an amount, e.g. 24.50") from exc
    if not cost.is_finite() or not Decimal(0) <= cost <= MAX_COST:
        raise InvalidInput.field("cost", f"The cost is between 0 and {MAX_COST}")
    return cost


def _sheet_for(job, booking, actor) -> JobSheet:
    """The job sheet the order is charged on: the session's (made for it if it has none),
    else the job's latest sheet still open."""
    if booking is not None:
        sheet = JobSheet.objects.filter(booking=booking).first()
        return sheet or billing.create_job_sheet(booking=booking, actor=actor)
    sheet = JobSheet.objects.filter(job=job, status=JobSheet.Status.DRAFT).order_by("-pk").first()
    if sheet is None:
        raise Conflict(
            f"Job {job.number} has no open job sheet to charge: order for one of its sessions",
            details={"job": job.pk},
            code="no_job_sheet",
        )
    return sheet


def _remember(contact, *, kind: str, items: str, dietary: str) -> None:
    """The contact's drinks (from a drinks round) and dietary needs, for next time."""
    pref, _ = CateringPreference.objects.get_or_create(
        contact=contact, defaults={"updated_at": timezone.now()}
    )
    if kind == CateringOrder.Kind.DRINKS:
        pref.drinks = items
    if dietary:
        pref.dietary = dietary
    pref.updated_at = timezone.now()
    pref.save()


@transaction.atomic
def place_order(
    *,
    actor,
    supplier: str,
    cost,
    service: str,
    items: str,
    kind: str = CateringOrder.Kind.DRINKS,
    covers: int = 1,
    dietary: str = "",
    job=None,
    booking=None,
    contact=None,
) -> CateringOrder:
    """Order catering for a session or a job and charge it to the job's sheet (`covers`
    of the rate card's `service`); the contact's preferences are remembered."""
    _need(actor)
    if booking is not None:
        if booking.job_id is None:
            raise InvalidInput.field("booking", "Catering is charged to a job's session")
        if job is not None and job.pk != booking.job_id:
            raise InvalidInput.field("job", "The session belongs to another job")
        job = booking.job
    if job is None:
        raise InvalidInput.field("job", "Say which job or session the catering is for")
    if kind not in CateringOrder.Kind.values:
        raise InvalidInput.field("kind", "drinks, lunch or other")
    if isinstance(covers, bool) or not isinstance(covers, int) or not 1 <= covers <= MAX_COVERS:
        raise InvalidInput.field("covers", f"Between 1 and {MAX_COVERS} covers")
    currency = job.client.currency
    order = CateringOrder(
        job=job,
        booking=booking,
        contact=contact,
        kind=kind,
        items=_text("items", items, 500, required=True),
        dietary=_text("dietary", dietary, 300),
        covers=covers,
        supplier=_text("supplier", supplier, 200, required=True),
        cost=_cost(cost, currency),
        currency=currency,
        service=_text("service", service, 120, required=True),
        ordered_by=actor,
        ordered_at=timezone.now(),
    )
    sheet = _sheet_for(job, booking, actor)
    order.sheet_line = billing.add_job_sheet_line(
        sheet,
        actor=actor,
        kind=LineKind.CATERING,
        service=order.service,
        quantity=Decimal(covers),
        description=f"Catering: {order.get_kind_display().lower()} ({order.items})"[:300],
    )
    order.save()
    if contact is not None:
        _remember(contact, kind=kind, items=order.items, dietary=order.dietary)
    audit.record_create(actor, order, summary=f"Catering for job {job.number}: {order.items}")
    return order


def preferences(contact_ids) -> dict[int, CateringPreference]:
    """{contact id: their remembered preferences} of those who have any."""
    rows = CateringPreference.objects.filter(contact_id__in=list(contact_ids)[:500])
    return {p.contact_id: p for p in rows}


def orders():
    return CateringOrder.objects.select_related("job", "booking", "contact", "sheet_line")


def for_day(day: datetime.date | None = None):
    """The orders to serve on `day` (the facility's local day, today unless told): those
    for a session that day, and those for no session ordered that day; by session start."""
    zone = facility_zone()
    start, end = local_day_bounds(day or timezone.localdate(timezone=zone), zone)
    return (
        orders()
        .filter(
            Q(booking__start__lt=end, booking__end__gt=start)
            | Q(booking__isnull=True, ordered_at__gte=start, ordered_at__lt=end)
        )
        .order_by(F("booking__start").asc(nulls_last=True), "ordered_at", "pk")
    )
