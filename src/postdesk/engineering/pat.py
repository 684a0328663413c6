"""Electrical safety testing (PAT): intervals by risk class, and due dates to the day.

The intervals are the initial frequencies of combined inspection and testing that the IET
Code of Practice for In-service Inspection and Testing of Electrical Equipment suggests
for offices and similar low-risk premises (a post house's suites and machine room), and
for equipment that goes out on location. The code of practice asks the duty holder to
review them by risk and by what the tests find; change them here, as data, not a flat
year in code.
"""

import calendar
import datetime
from dataclasses import dataclass


@dataclass(frozen=True)
class RiskClass:
    label: str
    months: int  # combined inspection and test every this many months


RISK_CLASSES: dict[str, RiskClass] = {
    "handheld": RiskClass("Hand-held, Class I (soldering irons, drills)", 12),
    "portable": RiskClass("Portable, Class I (kettles, extension leads)", 24),
    "movable": RiskClass("Movable, Class I (monitors on stands, racks on wheels)", 24),
    "it": RiskClass("IT equipment, Class I (workstations, servers, switches)", 48),
    "stationary": RiskClass("Stationary, Class I (machine-room racks, fridges)", 48),
    "class2": RiskClass("Class II, double insulated (desk lamps, chargers)", 48),
    "location": RiskClass("Location kit, any class (goes out on shoots)", 3),
}


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later; the month's last day when that month is shorter
    (31 Aug + 6 months = 28 or 29 Feb), never spilling into the month after."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


def next_due(tested_on: datetime.date, risk_class: str) -> datetime.date:
    """When the next test is due after a test on `tested_on` of an asset of this class."""
    try:
        months = RISK_CLASSES[risk_class].months
    except KeyError:
        raise ValueError(f"unknown risk class {risk_class!r}") from None
    return add_months(tested_on, months)
