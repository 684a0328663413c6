"""Invoice numbers and dates (issue 10): numbers always read INV-YYYY-NNNNNN; an issue date
far back needs an administrator and a reason, one far ahead is refused; no payment
predates its invoice."""

import datetime
import re
from decimal import Decimal

import pytest
from django.utils import timezone

from postdesk.billing import services
from postdesk.billing.models import Invoice, Payment
from postdesk.core.audit import SYSTEM
from postdesk.core.errors import Forbidden, InvalidInput
from postdesk.core.models import AuditEntry, Sequence

pytestmark = pytest.mark.django_db


def unchanged(invoice) -> dict:
    return {
        "invoice": Invoice.objects.filter(pk=invoice.pk).values().get(),
        "sequences": list(Sequence.objects.values()),
        "audit": AuditEntry.objects.count(),
    }


@pytest.mark.parametrize("day", ["0001-01-01", "1999-12-31", "2100-01-01", "9999-12-31"])
def test_an_issue_date_outside_the_window_is_422_and_takes_no_number(api_as, draft_invoice, day):
    api = api_as("admin")
    before = unchanged(draft_invoice)

    response = api.post(
        f"invoices/{draft_invoice.pk}/issue", {"issue_date": day, "reason": "Old work"}
    )

    assert response.status_code == 422
    assert list(response.json()["details"]["fields"]) == ["issue_date"]
    assert unchanged(draft_invoice) == before


def test_the_service_refuses_year_one_too(draft_invoice):
    with pytest.raises(InvalidInput) as refused:
        services.issue_invoice(draft_invoice, actor=SYSTEM, issue_date=datetime.date(1, 1, 1))

    assert list(refused.value.details["fields"]) == ["issue_date"]
    assert Invoice.objects.get(pk=draft_invoice.pk).number is None


def test_numbers_always_have_a_four_digit_year(draft_invoice):
    invoice = services.issue_invoice(draft_invoice, actor=SYSTEM)

    assert re.fullmatch(r"INV-\d{4}-\d{6}", invoice.number)
    assert invoice.number.startswith(f"INV-{timezone.localdate().year}-")


def test_format_number_refuses_a_year_that_is_not_four_digits():
    with pytest.raises(InvalidInput):
        services.format_number("INV-{year}-{number:06d}", year=1, number=1)


def test_a_recent_issue_date_needs_no_reason(api_as, draft_invoice):
    day = timezone.localdate() - datetime.timedelta(days=7)

    response = api_as("bookings").post(
        f"invoices/{draft_invoice.pk}/issue", {"issue_date": day.isoformat()}
    )

    assert response.status_code == 200
    assert response.json()["issue_date"] == day.isoformat()


def test_backdating_further_needs_the_admin_role(api_as, draft_invoice):
    day = timezone.localdate() - datetime.timedelta(days=8)
    api = api_as("bookings")
    before = unchanged(draft_invoice)

    response = api.post(
        f"invoices/{draft_invoice.pk}/issue",
        {"issue_date": day.isoformat(), "reason": "Forgot to issue"},
    )

    assert response.status_code == 403
    assert response.json()["details"] == {"needs": "admin"}
    assert unchanged(draft_invoice) == before


def test_backdating_needs_a_reason_even_from_an_admin(api_as, draft_invoice):
    day = timezone.localdate() - datetime.timedelta(days=30)
    api = api_as("admin")
    before = unchanged(draft_invoice)

    response = api.post(
        f"invoices/{draft_invoice.pk}/issue", {"issue_date": day.isoformat(), "reason": "  "}
    )

    assert response.status_code == 422
    assert list(response.json()["details"]["fields"]) == ["reason"]
    assert unchanged(draft_invoice) == before


def test_an_admin_backdates_with_a_reason_the_audit_keeps(api_as, draft_invoice):
    day = timezone.localdate() - datetime.timedelta(days=30)

    response = api_as("admin").post(
        f"invoices/{draft_invoice.pk}/issue",
        {"issue_date": day.isoformat(), "reason": "Work done last month, invoice missed"},
    )

    assert response.status_code == 200
    record = AuditEntry.objects.get(
        object_type="billing.invoice", object_id=str(draft_invoice.pk), action="transition"
    )
    assert record.changes["reason"] == "Work done last month, invoice missed"
    assert record.changes["issue_date"] == [None, day.isoformat()]


def test_backdating_is_a_setting(api_as, draft_invoice, settings):
    settings.POSTDESK = {**settings.POSTDESK, "INVOICE_BACKDATE_DAYS": 60}
    day = timezone.localdate() - datetime.timedelta(days=60)

    response = api_as("bookings").post(
        f"invoices/{draft_invoice.pk}/issue", {"issue_date": day.isoformat()}
    )

    assert response.status_code == 200


def test_a_user_without_the_role_cannot_backdate_through_the_service(users, draft_invoice):
    with pytest.raises(Forbidden):
        services.issue_invoice(
            draft_invoice,
            actor=users["accounts"],
            issue_date=timezone.localdate() - datetime.timedelta(days=8),
            reason="x",
        )


def test_an_issue_date_far_ahead_is_refused(api_as, draft_invoice):
    ahead = timezone.localdate() + datetime.timedelta(days=32)
    api = api_as("admin")
    before = unchanged(draft_invoice)

    response = api.post(f"invoices/{draft_invoice.pk}/issue", {"issue_date": ahead.isoformat()})

    assert response.status_code == 422
    assert list(response.json()["details"]["fields"]) == ["issue_date"]
    assert unchanged(draft_invoice) == before


def test_a_payment_dated_before_the_invoice_is_refused(api_as, draft_invoice):
    invoice = services.issue_invoice(
        draft_invoice, actor=SYSTEM, issue_date=datetime.date(2026, 3, 10)
    )

    response = api_as("accounts").post(
        f"invoices/{invoice.pk}/payments", {"amount": "10.00", "received_on": "2026-03-09"}
    )
    same_day = api_as("accounts").post(
        f"invoices/{invoice.pk}/payments", {"amount": "10.00", "received_on": "2026-03-10"}
    )

    assert response.status_code == 422
    assert list(response.json()["details"]["fields"]) == ["received_on"]
    assert same_day.status_code == 201
    assert list(Payment.objects.values_list("amount", flat=True)) == [Decimal("10.00")]


def test_the_payment_form_refuses_a_date_before_the_invoice(page_as, draft_invoice):
    invoice = services.issue_invoice(
        draft_invoice, actor=SYSTEM, issue_date=datetime.date(2026, 3, 10)
    )

    http = page_as("accounts")
    url = f"/billing/invoices/{invoice.pk}/payment/"

    refused = http.post(url, {"amount": "10.00", "received_on": "2026-03-01"}, follow=True)

    assert (
        f"{invoice.number} was issued on 2026-03-10; a payment cannot be received before that"
        in refused.content.decode()
    )
    assert not Payment.objects.exists()
    # and the same form, dated on the issue day, does record it
    http.post(url, {"amount": "10.00", "received_on": "2026-03-10"})
    assert list(Payment.objects.values_list("amount", flat=True)) == [Decimal("10.00")]
