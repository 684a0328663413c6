"""Pricing a span of booked time: THE one function for every quote and job sheet line.

Per resource, per local calendar day of the span:
  hours    = real elapsed hours inside that local day (23/25-hour days count as they are);
  base     = cheapest of min(hours, DAY_HOURS) × hourly, the half-day rate (hours ≤ HALF),
             the day rate (covers up to DAY_HOURS);
  overtime = hours beyond DAY_HOURS × hourly × OVERTIME_MULTIPLIER, pro rata;
  weekend or bank holiday of the site's country: (base + overtime) × WEEKEND_MULTIPLIER;
  then the client's discount; the net is rounded half-up once, VAT on the rounded net.
"""

import datetime
import functools
from dataclasses import dataclass
from decimal import Decimal

import holidays
from django.conf import settings

from postdesk.core.errors import InvalidInput
from postdesk.core.money import round_money
from postdesk.core.timeutil import hours as elapsed_hours
from postdesk.core.timeutil import split_by_local_day

HUNDRED = Decimal(100)


@dataclass(frozen=True)
class TimeRate:
    hourly: Decimal | None = None
    half_day: Decimal | None = None
    day: Decimal | None = None


@dataclass(frozen=True)
class DayCharge:
    """One priced local day; `breakdown` is what quotes and job sheets show."""

    date: datetime.date
    hours: Decimal
    net: Decimal
    breakdown: dict


def _setting(name: str) -> Decimal:
    return Decimal(str(settings.POSTDESK[name]))


@functools.lru_cache(maxsize=64)
def _holidays(country: str, subdivision: str, year: int) -> dict:
    return dict(holidays.country_holidays(country, subdiv=subdivision or None, years=year))


def premium_day_reason(day: datetime.date, country: str, subdivision: str) -> str:
    """Why a day is charged at the weekend multiplier ("" on an ordinary weekday)."""
    holiday = _holidays(country, subdivision, day.year).get(day)
    if holiday:
        return f"Bank holiday: {holiday}"
    if day.weekday() >= 5:
        return day.strftime("%A")
    return ""


def price_day(
    *,
    rate: TimeRate,
    day: datetime.date,
    hours: Decimal,
    currency: str,
    discount_percent: Decimal = Decimal(0),
    country: str = "GB",
    subdivision: str = "ENG",
) -> DayCharge:
    day_hours = _setting("DAY_HOURS")
    half_hours = _setting("HALF_DAY_HOURS")
    hourly = rate.hourly
    # On a tie the packaged rate (day, then half day) is named: it reads better on a quote.
    options = []
    if rate.day is not None:
        options.append((rate.day, "day"))
    if rate.half_day is not None and hours <= half_hours:
        options.append((rate.half_day, "half_day"))
    if hourly is not None:
        options.append((min(hours, day_hours) * hourly, "hourly"))
    if not options:
        raise InvalidInput("This rate has no hourly, half-day or day price", code="no_rate")
    base, base_rule = min(options, key=lambda o: o[0])
    overtime_hours = max(hours - day_hours, Decimal(0))
    # Without an hourly rate, an overtime hour is a tenth of the day rate.
    overtime_hourly = hourly if hourly is not None else (rate.day or Decimal(0)) / day_hours
    overtime = overtime_hours * overtime_hourly * _setting("OVERTIME_MULTIPLIER")
    reason = premium_day_reason(day, country, subdivision)
    multiplier = _setting("WEEKEND_MULTIPLIER") if reason else Decimal(1)
    subtotal = (base + overtime) * multiplier
    discount = subtotal * Decimal(discount_percent) / HUNDRED
    net = round_money(subtotal - discount, currency)
    return DayCharge(
        date=day,
        hours=hours,
        net=net,
        breakdown={
            "date": day.isoformat(),
            "hours": _plain(hours),
            "base": _plain(base),
            "base_rule": base_rule,
            "overtime_hours": _plain(overtime_hours),
            "overtime": _plain(overtime),
            "multiplier": _plain(multiplier),
            "multiplier_reason": reason,
            "subtotal": _plain(subtotal),
            "discount_percent": _plain(Decimal(discount_percent)),
            "discount": _plain(discount),
            "net": str(net),
        },
    )


def price_span(
    *,
    rate: TimeRate,
    start: datetime.datetime,
    end: datetime.datetime,
    zone,
    currency: str,
    discount_percent: Decimal = Decimal(0),
    country: str = "GB",
    subdivision: str = "ENG",
) -> list[DayCharge]:
    """Price [start, end) on one resource: one DayCharge per local calendar day."""
    return [
        price_day(
            rate=rate,
            day=day,
            hours=elapsed_hours(part_end - part_start),
            currency=currency,
            discount_percent=discount_percent,
            country=country,
            subdivision=subdivision,
        )
        for day, part_start, part_end in split_by_local_day(start, end, zone)
    ]


def price_items(
    *,
    quantity: Decimal,
    unit_price: Decimal,
    currency: str,
    discount_percent: Decimal = Decimal(0),
) -> Decimal:
    """A line of things (stock, couriers, catering): quantity × price less discount, rounded."""
    subtotal = Decimal(quantity) * Decimal(unit_price)
    return round_money(subtotal - subtotal * Decimal(discount_percent) / HUNDRED, currency)


def vat_rate(vat_code: str) -> Decimal:
    # Outside the scope is no UK rate at all (billing/vat.py), so no setting can give it one.
    if vat_code == "outside":
        return Decimal("0.00")
    return Decimal(str(settings.POSTDESK["VAT_RATES"][vat_code]))


def vat_on(net: Decimal, vat_code: str, currency: str) -> Decimal:
    """VAT of a line: on the already rounded net, rounded once."""
    return round_money(net * vat_rate(vat_code) / HUNDRED, currency)


def _plain(value: Decimal) -> str:
    """A readable decimal string: 450.0000 -> "450", 1.5 stays "1.5"."""
    return format(value.normalize(), "f")
