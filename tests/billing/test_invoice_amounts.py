"""Paid, credited and outstanding come from one place (queries.invoice_amounts and
queries.outstanding): the invoice API, the list filter, the overdue card and the payment
check all read the same values."""

import datetime
from decimal import Decimal

import pytest

from postdesk.billing import queries, services
from postdesk.billing.models import Payment
from postdesk.billing.serialise import invoice_amounts
from postdesk.core.audit import SYSTEM
from postdesk.core.errors import InvalidInput

pytestmark = pytest.mark.django_db

ISSUE_DAY = datetime.date(2026, 3, 10)


@pytest.fixture
def part_settled(draft_invoice, job):
    """1200.00 gross; 200.00 paid, 120.00 (100.00 net + VAT) credited: 880.00 owed."""
    invoice = services.issue_invoice(draft_invoice, actor=SYSTEM, issue_date=ISSUE_DAY)
    services.record_payment(invoice, actor=SYSTEM, amount=Decimal("200.00"), received_on=ISSUE_DAY)
    line = invoice.lines.get()
    services.create_credit_note(
        invoice=invoice,
        actor=SYSTEM,
        reason="Goodwill",
        lines=[{"invoice_line": line.pk, "net": Decimal("100.00")}],
        issue_date=ISSUE_DAY,
    )
    return invoice


def test_fresh_and_annotated_amounts_agree(part_settled):
    annotated = queries.invoices_with_amounts().get(pk=part_settled.pk)
    fresh = queries.invoice_amounts(part_settled, today=ISSUE_DAY)
    listed = queries.invoice_amounts(annotated, today=ISSUE_DAY)
    expected = {
        "paid": Decimal("200.00"),
        "credited": Decimal("120.00"),
        "outstanding": Decimal("880.00"),
        "status": "part_paid",
    }
    assert fresh == expected
    assert listed == expected
    assert queries.outstanding(Decimal("1200.00"), Decimal("200.00"), Decimal("120.00")) == (
        Decimal("880.00")
    )


def test_serialised_amounts_and_api(part_settled, api_as):
    assert invoice_amounts(part_settled)["outstanding"] == Decimal("880.00")
    body = api_as("accounts").get(f"invoices/{part_settled.pk}").json()
    assert (body["paid"], body["credited"], body["outstanding"]) == ("200.00", "120.00", "880.00")


def test_list_filter_and_overdue_card_use_the_same_outstanding(part_settled, users):
    qs = queries.invoices_with_amounts()
    today = ISSUE_DAY + datetime.timedelta(days=31)
    assert [i.pk for i in queries.filter_payment_status(qs, "overdue", today)] == [part_settled.pk]
    assert queries.filter_payment_status(qs, "overdue", today).get().outstanding == Decimal(
        "880.00"
    )
    assert list(queries.filter_payment_status(qs, "paid", today)) == []
    assert [i.pk for i in queries.overdue_invoices(users["accounts"])] == [part_settled.pk]


def test_payment_beyond_the_outstanding_is_refused(part_settled):
    with pytest.raises(InvalidInput) as caught:
        services.record_payment(
            part_settled, actor=SYSTEM, amount=Decimal("880.01"), received_on=ISSUE_DAY
        )
    assert caught.value.message == (f"Only 880.00 GBP is outstanding on {part_settled.number}")
    assert Payment.objects.filter(invoice=part_settled).count() == 1
