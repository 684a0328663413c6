"""20 invoices issued at once from 20 threads get 20 consecutive numbers (DOMAIN rule 6)."""

import threading
from decimal import Decimal

import pytest
from django.db import connection

from postdesk.billing import services
from postdesk.billing.models import Invoice, InvoiceLine
from postdesk.core.audit import SYSTEM

THREADS = 20


@pytest.mark.concurrency
@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_issues_get_twenty_consecutive_numbers(job):
    # Given 20 drafts (test data straight into the tables; the race is in issuing)
    drafts = []
    for i in range(THREADS):
        invoice = Invoice.objects.create(job=job, client=job.client)
        InvoiceLine.objects.create(
            invoice=invoice,
            description=f"Line {i}",
            net=Decimal("10"),
            vat=Decimal("2"),
            gross=Decimal("12"),
        )
        drafts.append(invoice.pk)
    barrier = threading.Barrier(THREADS)
    numbers, errors = [], []

    def issue(pk):
        try:
            barrier.wait(timeout=30)
            invoice = services.issue_invoice(Invoice.objects.get(pk=pk), actor=SYSTEM)
            numbers.append(invoice.number)
        except Exception as exc:  # collected and asserted on below
            errors.append(repr(exc))
        finally:
            connection.close()

    # When all 20 issue at the same moment
    threads = [threading.Thread(target=issue, args=(pk,)) for pk in drafts]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)

    # Then every one got a number, with no gap and no repeat
    assert errors == []
    year = Invoice.objects.get(pk=drafts[0]).issue_date.year
    assert sorted(numbers) == [f"INV-{year}-{n:06d}" for n in range(1, THREADS + 1)]
    assert sorted(Invoice.objects.values_list("number", flat=True)) == sorted(numbers)


@pytest.mark.concurrency
@pytest.mark.django_db(transaction=True)
def test_concurrent_partial_credits_never_exceed_the_line(job):
    # Given an issued invoice with one 1000.00 line
    invoice = Invoice.objects.create(job=job, client=job.client)
    line = InvoiceLine.objects.create(
        invoice=invoice,
        description="Grade",
        net=Decimal("1000"),
        vat=Decimal("200"),
        gross=Decimal("1200"),
        vat_rate=Decimal("20"),
    )
    services.issue_invoice(invoice, actor=SYSTEM)
    barrier = threading.Barrier(10)
    outcomes, errors = [], []

    def credit():
        from postdesk.core.errors import Conflict

        try:
            barrier.wait(timeout=30)
            services.create_credit_note(
                invoice=Invoice.objects.get(pk=invoice.pk),
                actor=SYSTEM,
                reason="part",
                lines=[{"invoice_line": line.pk, "net": "300.00"}],
            )
            outcomes.append("ok")
        except Conflict:
            outcomes.append("refused")
        except Exception as exc:  # collected and asserted on below
            errors.append(repr(exc))
        finally:
            connection.close()

    # When ten clerks each credit 300.00 at once
    threads = [threading.Thread(target=credit) for _ in range(10)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)

    # Then three succeed (900.00), the rest are refused, and the numbers have no gap
    from postdesk.billing.models import CreditNote

    assert errors == []
    assert sorted(outcomes) == ["ok"] * 3 + ["refused"] * 7
    notes = CreditNote.objects.order_by("number")
    assert sum(n.net for n in notes) == Decimal("900.00")
    year = notes[0].issue_date.year
    assert [n.number for n in notes] == [f"CN-{year}-{i:06d}" for i in (1, 2, 3)]
