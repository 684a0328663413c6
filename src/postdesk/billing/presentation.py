"""How documents read to a person: each line's quantity with its unit, unit price and VAT
rate, the VAT totals per rate, and address blocks. Pages and PDFs use the same rows."""

from dataclasses import dataclass
from decimal import Decimal

from babel.core import Locale, UnknownLocaleError

from postdesk.billing.models import LineVatCode
from postdesk.core.money_display import FALLBACK_LOCALE, facility_locale, format_money

UNITS = {
    "hour": ("hour", "hours"),
    "half_day": ("half day", "half days"),
    "day": ("day", "days"),
    "item": ("item", "items"),
}
# The pricing rule that set a booked line's base: the unit it is counted in.
RULE_UNITS = {"hourly": "hour", "half_day": "half_day", "day": "day"}


@dataclass(frozen=True)
class Row:
    """One line as a document shows it."""

    line: object
    quantity: str
    unit: str
    unit_price: Decimal | None
    vat_rate: str
    detail: str
    provisional: bool


def plain_number(value) -> str:
    """1.0000 -> "1", 2.5000 -> "2.5"."""
    text = format(Decimal(str(value)).normalize(), "f")
    return text


def _unit_label(unit: str, quantity: Decimal) -> str:
    one, many = UNITS.get(unit, UNITS["item"])
    return one if quantity == 1 else many


def measure(line) -> tuple[Decimal, str, Decimal | None]:
    """(quantity, unit, unit price) as the line was charged. A booked day is counted in the
    unit of the rate that priced it (1 day at the day rate, 4 hours at the hourly rate);
    overtime, premium days and discounts are in the line's detail."""
    b = line.breakdown or {}
    rule = b.get("base_rule")
    if rule in ("day", "half_day"):
        return Decimal(1), RULE_UNITS[rule], Decimal(b["base"])
    if rule == "hourly":
        hours = Decimal(b["hours"]) - Decimal(b.get("overtime_hours") or 0)
        return hours, "hour", line.unit_price
    return Decimal(line.quantity), b.get("unit") or "item", line.unit_price


def vat_rate_label(code: str, rate) -> str:
    if code == LineVatCode.OUTSIDE:
        return "Outside scope"
    if code == LineVatCode.EXEMPT:
        return "Exempt"
    label = f"{plain_number(rate)}%"
    return f"{label} (zero rated)" if code == LineVatCode.ZERO else label


def detail(line, currency: str) -> str:
    """What the line's net adds to its quantity × unit price: overtime, a premium day's
    multiplier, the client's discount (booked hours are in the description)."""
    b = line.breakdown or {}
    parts = []
    if b.get("base_rule"):
        if Decimal(b.get("overtime_hours") or 0):
            parts.append(
                f"overtime {plain_number(b['overtime_hours'])} h "
                f"{format_money(round(Decimal(b['overtime']), 2), currency)}"
            )
        if b.get("multiplier_reason"):
            parts.append(f"× {plain_number(b['multiplier'])} ({b['multiplier_reason']})")
    if Decimal(b.get("discount_percent") or 0):
        parts.append(f"less {plain_number(b['discount_percent'])}% discount")
    return " · ".join(parts)


def rows(lines, currency: str, *, mark_pencils: bool = False) -> list[Row]:
    """The document rows of priced lines (quote, job sheet or invoice lines). A quote marks
    the lines of pencilled bookings provisional (select_related("booking") the lines)."""
    out = []
    for line in lines:
        quantity, unit, unit_price = measure(line)
        booking = line.booking if mark_pencils and line.booking_id else None
        out.append(
            Row(
                line=line,
                quantity=plain_number(quantity),
                unit=_unit_label(unit, quantity),
                unit_price=unit_price,
                vat_rate=vat_rate_label(line.vat_code, line.vat_rate),
                detail=detail(line, currency),
                provisional=booking is not None and booking.status == "pencil",
            )
        )
    return out


@dataclass(frozen=True)
class VatTotal:
    label: str
    net: Decimal
    vat: Decimal


def vat_totals(lines) -> list[VatTotal]:
    """Net and VAT per rate (a VAT invoice's totals per rate), highest rate first."""
    groups: dict[tuple[str, Decimal], list[Decimal]] = {}
    for line in lines:
        key = (line.vat_code, Decimal(line.vat_rate))
        net, vat = groups.get(key, [Decimal(0), Decimal(0)])
        groups[key] = [net + line.net, vat + line.vat]
    ordered = sorted(groups.items(), key=lambda item: (-item[0][1], item[0][0]))
    return [
        VatTotal(label=vat_rate_label(code, rate), net=net, vat=vat)
        for (code, rate), (net, vat) in ordered
    ]


def country_name(code: str, locale: str | None = None) -> str:
    if not code:
        return ""
    try:
        names = Locale.parse(locale or facility_locale()).territories
    except (UnknownLocaleError, ValueError):
        names = Locale.parse(FALLBACK_LOCALE).territories
    return names.get(code.upper(), code.upper())


def _key(text: str) -> str:
    return " ".join(text.replace(",", " ").split()).casefold()


def address_block(
    name: str, address: str, country: str, locale: str | None = None, *, with_name: bool = True
) -> list[str]:
    """Name, address lines and country name, each once: an address that starts with the
    name or ends with the country (as code or name) does not print them twice. Without
    the name (a letterhead prints it as its heading), an address line repeating it is
    still left out."""
    country_full = country_name(country, locale)
    skip = {_key(country), _key(country_full)} - {""}
    seen = set()
    block = []
    for text in [name, *address.splitlines()]:
        text = text.strip().rstrip(",").strip()
        key = _key(text)
        if not key or key in seen or key in skip:
            continue
        seen.add(key)
        block.append(text)
    if country_full:
        block.append(country_full)
    return block if with_name or not _key(name) else block[1:]
