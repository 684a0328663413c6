"""Turning bookings and free entries into priced lines (plain dicts of PricedLine fields)."""

import datetime
from decimal import Decimal

from postdesk.billing import vat
from postdesk.billing.models import LineKind, VatCode
from postdesk.billing.pricing import price_items, price_span, vat_on, vat_rate
from postdesk.billing.rates import RateBook
from postdesk.core.errors import InvalidInput
from postdesk.core.money import round_money


def finish(line: dict, *, client, currency: str, treatment: str | None = None) -> dict:
    """Add VAT (on the rounded net, rounded once) and gross to a line: the line's own code
    (`vat_code` as priced or entered) applies as the client's treatment says (billing/vat.py).
    """
    supply = line.get("supply_vat_code") or line.get("vat_code") or VatCode.STANDARD
    code = vat.line_code(treatment or vat.treatment_of_client(client), supply)
    line["supply_vat_code"] = supply
    line["vat_code"] = code
    line["vat_rate"] = vat_rate(code)
    line["vat"] = vat_on(line["net"], code, currency)
    line["gross"] = line["net"] + line["vat"]
    return line


def totals(lines) -> tuple[Decimal, Decimal, Decimal]:
    """Document totals: plain sums of the already rounded lines (never re-rounded)."""
    net = sum((_get(line, "net") for line in lines), Decimal(0))
    vat = sum((_get(line, "vat") for line in lines), Decimal(0))
    return net, vat, net + vat


def _get(line, name):
    return line[name] if isinstance(line, dict) else getattr(line, name)


def price_resource(book: RateBook, resource, start, end, currency: str):
    """(the rate that applies, its charges per local day) for `resource` over [start, end),
    in the resource's site's zone and calendar: how a job sheet line and the cost report's
    forecast both price a booked resource."""
    site = resource.site
    match = book.resolve(resource, start.astimezone(site.zone).date())
    charges = price_span(
        rate=match.time_rate,
        start=start,
        end=end,
        zone=site.zone,
        currency=currency,
        discount_percent=book.discount_percent,
        country=site.country,
        subdivision=site.subdivision,
    )
    return match, charges


def booking_lines(
    *,
    booking,
    book: RateBook,
    client,
    currency: str,
    start: datetime.datetime | None = None,
    end: datetime.datetime | None = None,
) -> list[dict]:
    """One line per resource per local day of the booking (or of the actual times given)."""
    start = start or booking.start
    end = end or booking.end
    require_priceable(booking.pk, start, end)
    allocations = list(booking.allocations.select_related("resource__site"))
    book.preload_skills([a.resource for a in allocations])
    treatment = vat.treatment_of_client(client)
    lines = []
    for allocation in allocations:
        resource = allocation.resource
        match, charges = price_resource(book, resource, start, end, currency)
        entry = match.entry
        for charge in charges:
            lines.append(
                finish(
                    {
                        "kind": LineKind.BOOKING,
                        "description": f"{resource.name}, {charge.date:%a %d %b %Y}, "
                        f"{_hours(charge.hours)} h",
                        "resource": resource,
                        "booking": booking,
                        "date": charge.date,
                        "quantity": charge.hours,
                        "unit_price": entry.hourly or entry.day or Decimal(0),
                        "breakdown": {**charge.breakdown, "rate": match.describe()},
                        "category": entry.category,
                        "nominal_code": entry.nominal_code,
                        "vat_code": entry.vat_code,
                        "net": charge.net,
                    },
                    client=client,
                    currency=currency,
                    treatment=treatment,
                )
            )
    lines.sort(key=lambda line: (line["date"], line["resource"].name))
    return lines


def require_priceable(booking_id: int, start, end) -> None:
    """Pricing walks the span day by day: a span outside the window (its days overflow the
    calendar) or longer than any booking may be (millions of days) is refused first."""
    from postdesk.billing.limits import require_span

    try:
        require_span(start, end, start_field="booking", end_field="booking")
    except InvalidInput as exc:
        raise InvalidInput.field(
            "booking", f"Booking {booking_id} cannot be priced: {exc.message}"
        ) from exc


def free_line(
    *,
    book: RateBook,
    client,
    currency: str,
    description: str = "",
    kind: str = LineKind.OTHER,
    quantity: Decimal = Decimal(1),
    unit_price: Decimal | None = None,
    service: str = "",
    category: str = "",
    nominal_code: str = "",
    vat_code: str = "",
    on: datetime.date | None = None,
    apply_discount: bool = True,
) -> dict:
    """A line of services or things; priced from the card when `service` names an entry."""
    quantity = Decimal(quantity)
    if quantity <= 0:
        raise InvalidInput.field("quantity", "Quantity must be more than zero")
    breakdown: dict = {}
    entry = None
    if service:
        match = book.resolve_service(service, on or datetime.date.today())
        entry = match.entry
        breakdown["rate"] = match.describe()
        if unit_price is None:
            unit_price = entry.unit_price if entry.unit_price is not None else entry.day
            # The unit documents count the quantity in (a priced entry's day, else items).
            breakdown["unit"] = "item" if entry.unit_price is not None else "day"
    if unit_price is None:
        raise InvalidInput.field("unit_price", "Give a unit price or a service on the rate card")
    unit_price = round_money(Decimal(unit_price), currency)
    if unit_price < 0:
        raise InvalidInput.field("unit_price", "Unit price may not be negative")
    discount = book.discount_percent if apply_discount else Decimal(0)
    net = price_items(
        quantity=quantity, unit_price=unit_price, currency=currency, discount_percent=discount
    )
    breakdown.update(
        quantity=str(quantity),
        unit_price=str(unit_price),
        discount_percent=str(discount),
        net=str(net),
    )
    return finish(
        {
            "kind": kind,
            "description": description or (entry.label or entry.service if entry else ""),
            "quantity": quantity,
            "unit_price": unit_price,
            "breakdown": breakdown,
            "category": category or (entry.category if entry else "other"),
            "nominal_code": nominal_code or (entry.nominal_code if entry else ""),
            "vat_code": vat_code or (entry.vat_code if entry else VatCode.STANDARD),
            "net": net,
        },
        client=client,
        currency=currency,
    )


def copy_line(line) -> dict:
    """The fields of a saved line, to copy it onto another document."""
    return {
        name: getattr(line, name)
        for name in (
            "kind",
            "description",
            "resource_id",
            "booking_id",
            "date",
            "quantity",
            "unit_price",
            "breakdown",
            "category",
            "nominal_code",
            "vat_code",
            "supply_vat_code",
            "vat_rate",
            "net",
            "vat",
            "gross",
            "position",
        )
    }


def _hours(value: Decimal) -> str:
    return format(value.quantize(Decimal("0.01")).normalize(), "f")
