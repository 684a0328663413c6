"""The pricing rules, one worked example per rule (issue 5, hourly 150 / half 600 / day 1000)."""

import datetime
import zoneinfo
from decimal import Decimal

import pytest

from postdesk.billing.pricing import TimeRate, price_day, price_items, price_span, vat_on
from postdesk.core.errors import InvalidInput

RATE = TimeRate(hourly=Decimal("150"), half_day=Decimal("600"), day=Decimal("1000"))
LONDON = zoneinfo.ZoneInfo("Europe/London")
MONDAY = datetime.date(2026, 3, 2)
SATURDAY = datetime.date(2026, 3, 7)
EARLY_MAY_BANK_HOLIDAY = datetime.date(2026, 5, 4)


def net(hours, day=MONDAY, discount="0", rate=RATE):
    return price_day(
        rate=rate, day=day, hours=Decimal(hours), currency="GBP", discount_percent=Decimal(discount)
    ).net


@pytest.mark.parametrize(
    ("hours", "expected"),
    [
        ("3", "450.00"),
        ("4", "600.00"),
        ("5", "600.00"),
        ("6", "900.00"),
        ("8", "1000.00"),
        ("10", "1000.00"),
        ("12", "1450.00"),
        ("10.5", "1112.50"),
        ("0.5", "75.00"),
    ],
)
def test_weekday_hours_price_at_the_cheapest_base_plus_overtime(hours, expected):
    assert net(hours) == Decimal(expected)


def test_four_hour_session_takes_the_half_day_and_says_so():
    charge = price_day(rate=RATE, day=MONDAY, hours=Decimal(4), currency="GBP")
    assert charge.breakdown["base_rule"] == "half_day"
    assert charge.breakdown["base"] == "600"


def test_twelve_hour_day_is_day_rate_plus_two_overtime_hours_at_time_and_a_half():
    charge = price_day(rate=RATE, day=MONDAY, hours=Decimal(12), currency="GBP")
    assert charge.breakdown["base_rule"] == "day"
    assert charge.breakdown["overtime_hours"] == "2"
    assert charge.breakdown["overtime"] == "450"
    assert charge.net == Decimal("1450.00")


def test_saturday_ten_hours_is_one_and_a_half_times_the_day():
    charge = price_day(rate=RATE, day=SATURDAY, hours=Decimal(10), currency="GBP")
    assert charge.net == Decimal("1500.00")
    assert charge.breakdown["multiplier"] == "1.5"
    assert charge.breakdown["multiplier_reason"] == "Saturday"


def test_bank_holiday_is_charged_at_the_weekend_multiplier_including_overtime():
    charge = price_day(rate=RATE, day=EARLY_MAY_BANK_HOLIDAY, hours=Decimal(12), currency="GBP")
    assert charge.net == Decimal("2175.00")  # (1000 + 450) × 1.5
    assert charge.breakdown["multiplier_reason"].startswith("Bank holiday")


def test_discount_applies_after_multipliers_and_rounds_half_up_once():
    assert net("10", discount="10") == Decimal("900.00")
    # 450 × (1 − 0.125%) = 449.4375 -> 449.44
    assert net("3", discount="0.125") == Decimal("449.44")


def test_rounding_is_half_up_on_the_line():
    rate = TimeRate(hourly=Decimal("33.33"))
    # 0.25 h × 33.33 = 8.3325 -> 8.33; 0.75 h -> 24.9975 -> 25.00
    assert net("0.25", rate=rate) == Decimal("8.33")
    assert net("0.75", rate=rate) == Decimal("25.00")


def test_only_a_day_rate_prices_overtime_at_a_tenth_of_the_day():
    rate = TimeRate(day=Decimal("1000"))
    assert net("3", rate=rate) == Decimal("1000.00")
    assert net("11", rate=rate) == Decimal("1150.00")


def test_a_rate_without_any_price_is_refused():
    with pytest.raises(InvalidInput):
        net("3", rate=TimeRate())


def test_span_is_split_at_local_midnight_into_two_priced_days():
    start = datetime.datetime(2026, 3, 2, 18, 0, tzinfo=datetime.UTC)
    end = datetime.datetime(2026, 3, 3, 2, 0, tzinfo=datetime.UTC)
    charges = price_span(rate=RATE, start=start, end=end, zone=LONDON, currency="GBP")
    assert [(c.date, c.hours, c.net) for c in charges] == [
        (datetime.date(2026, 3, 2), Decimal(6), Decimal("900.00")),
        (datetime.date(2026, 3, 3), Decimal(2), Decimal("300.00")),
    ]


def test_spring_clock_change_day_has_23_hours():
    # 29 March 2026: London goes from GMT to BST; a Sunday, so × 1.5.
    start = datetime.datetime(2026, 3, 29, 0, 0, tzinfo=LONDON)
    end = datetime.datetime(2026, 3, 30, 0, 0, tzinfo=LONDON)
    (charge,) = price_span(rate=RATE, start=start, end=end, zone=LONDON, currency="GBP")
    assert charge.hours == Decimal(23)
    assert charge.net == Decimal("5887.50")  # (1000 + 13 × 225) × 1.5


def test_autumn_clock_change_day_has_25_hours():
    start = datetime.datetime(2026, 10, 25, 0, 0, tzinfo=LONDON)
    end = datetime.datetime(2026, 10, 26, 0, 0, tzinfo=LONDON)
    (charge,) = price_span(rate=RATE, start=start, end=end, zone=LONDON, currency="GBP")
    assert charge.hours == Decimal(25)


def test_a_09_to_19_session_across_a_clock_change_is_ten_hours():
    # Sunday 29 March 2026 09:00–19:00 BST is 08:00–18:00 UTC.
    start = datetime.datetime(2026, 3, 29, 9, 0, tzinfo=LONDON)
    end = datetime.datetime(2026, 3, 29, 19, 0, tzinfo=LONDON)
    (charge,) = price_span(rate=RATE, start=start, end=end, zone=LONDON, currency="GBP")
    assert charge.hours == Decimal(10)
    assert charge.net == Decimal("1500.00")


def test_items_are_quantity_times_price_less_discount_rounded_once():
    assert price_items(
        quantity=Decimal(3),
        unit_price=Decimal("35.00"),
        currency="GBP",
        discount_percent=Decimal("10"),
    ) == Decimal("94.50")


@pytest.mark.parametrize(
    ("code", "expected"), [("standard", "90.10"), ("zero", "0.00"), ("exempt", "0.00")]
)
def test_vat_is_on_the_rounded_net_and_rounded_once(code, expected):
    assert vat_on(Decimal("450.49"), code, "GBP") == Decimal(expected)


def test_multipliers_are_settings(settings):
    settings.POSTDESK = {**settings.POSTDESK, "WEEKEND_MULTIPLIER": "2", "OVERTIME_MULTIPLIER": "2"}
    assert net("12", day=SATURDAY) == Decimal("3200.00")  # (1000 + 2 × 300) × 2
