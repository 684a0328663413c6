"""Fixtures of the reports' tests: billing's (a rate card, a grading theatre, signed-off
job sheets) for invoices made through the billing services."""

from tests.billing.conftest import (  # noqa: F401 - fixtures, registered by name
    at,
    baselight,
    make_booking,
    signed_sheet,
    standard_card,
    theatre,
)
