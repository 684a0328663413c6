"""Money is shown as money (issue 11): one helper and one template filter write amounts for
the facility's locale with Babel."""

from decimal import Decimal

import pytest
from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext

from postdesk.core import facility
from postdesk.core.audit import SYSTEM
from postdesk.core.money_display import Money, format_money, locale_scope

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("amount", "currency", "locale", "expected"),
    [
        (Decimal("9500.00"), "GBP", "en_GB", "£9,500.00"),
        (Decimal("9500"), "GBP", "en_GB", "£9,500.00"),
        ("1234567.5", "GBP", "en_GB", "£1,234,567.50"),
        (Decimal("-40.00"), "GBP", "en_GB", "-£40.00"),
        (Decimal("9500.00"), "EUR", "en_GB", "€9,500.00"),
        (Decimal("9500.00"), "USD", "en_GB", "US$9,500.00"),
        (Decimal("9500.00"), "USD", "en_US", "$9,500.00"),
        (Decimal("9500"), "JPY", "en_GB", "JP¥9,500"),
        (Decimal("9500.00"), "EUR", "de_DE", "9.500,00\xa0€"),
        (None, "GBP", "en_GB", ""),
        ("", "GBP", "en_GB", ""),
    ],
)
def test_format_money(amount, currency, locale, expected):
    assert format_money(amount, currency, locale) == expected


def test_the_facilitys_locale_is_used_when_none_is_given():
    facility.update_facility_settings(actor=SYSTEM, locale="de_DE")

    assert format_money(Decimal("9500"), "GBP") == "9.500,00\xa0£"


def test_the_filter_formats_with_the_amounts_currency():
    rendered = Template("{% load money %}{{ net|money:currency }}").render(
        Context({"net": Decimal("9500.00"), "currency": "GBP"})
    )

    assert rendered == "£9,500.00"


def test_a_money_cell_shows_formatted_and_says_it_is_money():
    cell = Money(Decimal("9500.00"), "GBP")

    assert (str(cell), cell.is_money) == ("£9,500.00", True)


def test_inside_a_scope_the_locale_is_read_once():
    facility.current()
    with CaptureQueriesContext(connection) as queries, locale_scope():
        for _ in range(20):
            format_money(Decimal("1"), "GBP")

    assert len(queries) == 1
