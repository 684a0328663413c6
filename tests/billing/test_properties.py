"""Properties: an invoice's total is the sum of its rounded lines; credit notes never credit
more than is left on the invoice, whatever the sequence of partial credits."""

import datetime
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from postdesk.billing import services
from postdesk.billing.models import Invoice
from postdesk.core.audit import SYSTEM
from postdesk.core.errors import Conflict
from postdesk.core.money import round_money

pytestmark = pytest.mark.django_db
HYPOTHESIS = settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

lines_strategy = st.lists(
    st.tuples(
        st.decimals(min_value=Decimal("0.25"), max_value=Decimal("40"), places=2),
        st.decimals(min_value=Decimal("0"), max_value=Decimal("2500"), places=2),
        st.sampled_from(["standard", "zero", "exempt"]),
    ),
    min_size=1,
    max_size=8,
)


def issued_invoice(job, lines):
    invoice = Invoice.objects.create(job=job, client=job.client)
    for quantity, price, code in lines:
        services.add_invoice_line(
            invoice,
            actor=SYSTEM,
            description="Item",
            quantity=quantity,
            unit_price=price,
            vat_code=code,
        )
    return services.issue_invoice(invoice, actor=SYSTEM, issue_date=datetime.date(2026, 3, 2))


@HYPOTHESIS
@given(lines=lines_strategy)
def test_invoice_total_is_the_sum_of_its_rounded_lines(job, lines):
    invoice = issued_invoice(job, lines)
    saved = list(invoice.lines.all())
    for line, (quantity, price, _code) in zip(saved, lines, strict=True):
        assert line.net == round_money(quantity * price, "GBP")
        assert line.gross == line.net + line.vat
    assert invoice.net == sum(line.net for line in saved)
    assert invoice.vat == sum(line.vat for line in saved)
    assert invoice.gross == invoice.net + invoice.vat


@HYPOTHESIS
@given(
    lines=lines_strategy,
    credits=st.lists(
        st.tuples(
            st.integers(0, 7),
            st.decimals(min_value=Decimal("0.01"), max_value=Decimal("40000"), places=2),
        ),
        max_size=8,
    ),
)
def test_credit_notes_never_credit_more_than_is_left(job, lines, credits):
    invoice = issued_invoice(job, lines)
    saved = list(invoice.lines.all())
    for index, amount in credits:
        line = saved[index % len(saved)]
        left = line.net - sum(c.net for c in line.credits.all())
        if amount > left:
            # Then the credit is refused and nothing is written
            with pytest.raises(Conflict):
                services.create_credit_note(
                    invoice=invoice,
                    actor=SYSTEM,
                    reason="part",
                    lines=[{"invoice_line": line.pk, "net": amount}],
                )
        else:
            services.create_credit_note(
                invoice=invoice,
                actor=SYSTEM,
                reason="part",
                lines=[{"invoice_line": line.pk, "net": amount}],
            )
    for line in saved:
        credited = line.credits.all()
        assert sum(c.net for c in credited) <= line.net
        assert sum(c.vat for c in credited) <= line.vat
    total_credited = sum(n.gross for n in invoice.credit_notes.all())
    assert total_credited <= invoice.gross
    if total_credited < invoice.gross:
        services.create_credit_note(invoice=invoice, actor=SYSTEM, reason="rest")
    assert sum(n.gross for n in invoice.credit_notes.all()) == invoice.gross
