"""Invoices: raised from signed-off job sheets, issued with gap-free numbers, never changed;
credit notes, VAT, payments."""

import datetime
from decimal import Decimal

import pytest

from postdesk.billing import services
from postdesk.billing.models import CreditNote, Invoice, InvoiceLine, JobSheet
from postdesk.billing.queries import payment_status
from postdesk.core.audit import SYSTEM
from postdesk.core.errors import Conflict, InvalidInput, InvalidTransition

pytestmark = pytest.mark.django_db
ISSUE_DAY = datetime.date(2026, 3, 10)


def issue(invoice, day=ISSUE_DAY):
    return services.issue_invoice(invoice, actor=SYSTEM, issue_date=day)


def test_invoice_from_a_signed_sheet_copies_its_lines_and_marks_it_invoiced(draft_invoice):
    assert draft_invoice.status == "draft"
    assert draft_invoice.number is None
    assert [(line.net, line.vat, line.gross) for line in draft_invoice.lines.all()] == [
        (Decimal("1000.00"), Decimal("200.00"), Decimal("1200.00"))
    ]
    assert (draft_invoice.net, draft_invoice.vat, draft_invoice.gross) == (
        Decimal("1000.00"),
        Decimal("200.00"),
        Decimal("1200.00"),
    )
    assert JobSheet.objects.get().status == "invoiced"


def test_an_unsigned_sheet_cannot_be_invoiced_and_nothing_is_left_behind(
    job, theatre, standard_card, make_booking
):
    from tests.billing.conftest import at as when

    booking = make_booking(
        job, [theatre], when("2026-03-02", "09:00"), when("2026-03-02", "13:00"), status="completed"
    )
    sheet = services.create_job_sheet(booking=booking, actor=SYSTEM)
    with pytest.raises(InvalidTransition, match="is draft; only signed-off sheets"):
        services.create_invoice(job=job, sheets=[sheet], actor=SYSTEM)
    assert Invoice.objects.count() == 0
    assert JobSheet.objects.get().status == "draft"


def test_several_sheets_of_a_job_go_on_one_invoice_and_others_stay_open(job, signed_sheet):
    first = signed_sheet("2026-03-02")
    second = signed_sheet("2026-03-03", "09:00", "13:00")
    third = signed_sheet("2026-03-04")
    invoice = services.create_invoice(job=job, sheets=[first, second], actor=SYSTEM)
    assert invoice.net == Decimal("1600.00")
    assert JobSheet.objects.get(pk=third.pk).status == "signed_off"
    with pytest.raises(InvalidTransition):
        services.create_invoice(job=job, sheets=[first], actor=SYSTEM)


def test_a_sheet_of_another_job_is_refused(job, other_job, signed_sheet):
    sheet = signed_sheet()
    with pytest.raises(InvalidInput, match="is for another job"):
        services.create_invoice(job=other_job, sheets=[sheet], actor=SYSTEM)
    assert Invoice.objects.count() == 0


def test_issuing_numbers_snapshots_and_sets_the_due_date(draft_invoice, client_company):
    invoice = issue(draft_invoice)
    assert invoice.number == "INV-2026-000001"
    assert invoice.client_name == "Northlight Pictures"
    assert invoice.client_address == "1 Example Street\nLondon"
    assert invoice.client_vat_number == "GB123456789"
    assert invoice.due_date == ISSUE_DAY + datetime.timedelta(days=30)
    assert invoice.reverse_charge is False
    # The client changes later; the issued invoice does not.
    from postdesk.productions.services import update_client

    update_client(client_company, actor=SYSTEM, name="Northlight Pictures Group")
    assert Invoice.objects.get().client_name == "Northlight Pictures"


def test_numbers_are_consecutive_and_the_format_is_a_setting(job, signed_sheet, settings):
    settings.POSTDESK = {**settings.POSTDESK, "INVOICE_NUMBER_FORMAT": "NL{year}/{number:04d}"}
    numbers = []
    for day in ("2026-03-02", "2026-03-03", "2026-03-04"):
        invoice = services.create_invoice(job=job, sheets=[signed_sheet(day)], actor=SYSTEM)
        numbers.append(issue(invoice).number)
    assert numbers == ["NL2026/0001", "NL2026/0002", "NL2026/0003"]


def test_a_failed_issue_gives_its_number_back(job, draft_invoice, signed_sheet):
    empty = Invoice.objects.create(job=job, client=job.client)
    with pytest.raises(InvalidInput):
        issue(empty)
    assert issue(draft_invoice).number == "INV-2026-000001"


def test_an_issued_invoice_refuses_every_change(draft_invoice):
    invoice = issue(draft_invoice)
    with pytest.raises(InvalidTransition):
        issue(invoice)
    with pytest.raises(InvalidTransition):
        services.update_invoice(invoice, actor=SYSTEM, notes="changed")
    with pytest.raises(InvalidTransition):
        services.add_invoice_line(
            invoice, actor=SYSTEM, description="Extra", unit_price=Decimal("10")
        )
    with pytest.raises(InvalidTransition):
        services.delete_invoice(invoice, actor=SYSTEM)
    fresh = Invoice.objects.get(pk=invoice.pk)
    fresh.notes = "sneaky"
    with pytest.raises(InvalidTransition):
        fresh.save()
    with pytest.raises(InvalidTransition):
        fresh.delete()
    with pytest.raises(InvalidTransition):
        Invoice.objects.filter(pk=invoice.pk).update(notes="bulk")
    with pytest.raises(InvalidTransition):
        Invoice.objects.filter(pk=invoice.pk).delete()
    line = InvoiceLine.objects.get()
    line.net = Decimal("1")
    with pytest.raises(InvalidTransition):
        line.save()
    with pytest.raises(InvalidTransition):
        InvoiceLine.objects.filter(pk=line.pk).update(net=Decimal("1"))
    after = Invoice.objects.get(pk=invoice.pk)
    assert (after.notes, after.net, InvoiceLine.objects.get().net) == (
        "",
        Decimal("1000.00"),
        Decimal("1000.00"),
    )


def test_a_draft_can_be_deleted_and_its_sheets_reopen(draft_invoice):
    services.delete_invoice(draft_invoice, actor=SYSTEM)
    assert Invoice.objects.count() == 0
    assert JobSheet.objects.get().status == "signed_off"


def test_reverse_charge_for_an_eu_business_puts_standard_lines_outside_the_scope(
    job, signed_sheet, client_company
):
    from postdesk.productions.services import update_client

    update_client(client_company, actor=SYSTEM, country="FR", vat_number="FR12345678901")
    invoice = issue(services.create_invoice(job=job, sheets=[signed_sheet()], actor=SYSTEM))
    line = invoice.lines.get()
    # Issue 11: no UK VAT is a supply outside the scope, not a zero-rated UK supply.
    assert (line.vat_code, line.vat, invoice.reverse_charge) == ("outside", Decimal("0.00"), True)
    assert invoice.vat_treatment == "reverse_charge"


def test_exempt_and_zero_lines_carry_no_vat(draft_invoice):
    services.add_invoice_line(
        draft_invoice,
        actor=SYSTEM,
        description="Archive fee",
        unit_price=Decimal("100"),
        vat_code="exempt",
    )
    services.add_invoice_line(
        draft_invoice,
        actor=SYSTEM,
        description="Printed matter",
        unit_price=Decimal("50"),
        vat_code="zero",
    )
    invoice = Invoice.objects.get()
    assert (invoice.net, invoice.vat, invoice.gross) == (
        Decimal("1150.00"),
        Decimal("200.00"),
        Decimal("1350.00"),
    )


def test_credit_note_whole_credits_what_remains_and_leaves_the_invoice_untouched(draft_invoice):
    invoice = issue(draft_invoice)
    note = services.create_credit_note(
        invoice=invoice, actor=SYSTEM, reason="Wrong client", issue_date=ISSUE_DAY
    )
    assert (note.number, note.net, note.vat, note.gross) == (
        "CN-2026-000001",
        Decimal("1000.00"),
        Decimal("200.00"),
        Decimal("1200.00"),
    )
    after = Invoice.objects.get()
    assert (after.number, after.gross, after.status) == (invoice.number, invoice.gross, "issued")
    with pytest.raises(Conflict):
        services.create_credit_note(invoice=invoice, actor=SYSTEM, reason="Again")
    assert CreditNote.objects.count() == 1


def test_partial_credit_then_over_credit_is_refused(draft_invoice):
    invoice = issue(draft_invoice)
    line = invoice.lines.get()
    first = services.create_credit_note(
        invoice=invoice,
        actor=SYSTEM,
        reason="Discount",
        lines=[{"invoice_line": line.pk, "net": "300.00"}],
    )
    assert (first.net, first.vat) == (Decimal("300.00"), Decimal("60.00"))
    with pytest.raises(Conflict) as excinfo:
        services.create_credit_note(
            invoice=invoice,
            actor=SYSTEM,
            reason="Too much",
            lines=[{"invoice_line": line.pk, "net": "700.01"}],
        )
    assert excinfo.value.code == "over_credit"
    rest = services.create_credit_note(invoice=invoice, actor=SYSTEM, reason="Rest")
    assert (rest.number, rest.net, rest.vat) == (
        "CN-2026-000002",
        Decimal("700.00"),
        Decimal("140.00"),
    )


def test_a_draft_cannot_be_credited(draft_invoice):
    with pytest.raises(InvalidTransition):
        services.create_credit_note(invoice=draft_invoice, actor=SYSTEM, reason="No")


def test_a_credit_note_can_never_be_changed(draft_invoice):
    note = services.create_credit_note(invoice=issue(draft_invoice), actor=SYSTEM, reason="x")
    note.reason = "other"
    with pytest.raises(InvalidTransition):
        note.save()
    with pytest.raises(InvalidTransition):
        note.delete()


def test_payment_status_moves_from_unpaid_to_part_paid_to_paid(draft_invoice):
    invoice = issue(draft_invoice)
    assert payment_status(invoice, today=ISSUE_DAY)["status"] == "unpaid"
    services.record_payment(invoice, actor=SYSTEM, amount=Decimal("200.00"), received_on=ISSUE_DAY)
    assert payment_status(invoice, today=ISSUE_DAY)["status"] == "part_paid"
    assert payment_status(invoice, today=ISSUE_DAY + datetime.timedelta(days=31))["status"] == (
        "overdue"
    )
    with pytest.raises(InvalidInput):
        services.record_payment(
            invoice, actor=SYSTEM, amount=Decimal("1000.01"), received_on=ISSUE_DAY
        )
    services.record_payment(invoice, actor=SYSTEM, amount=Decimal("1000.00"), received_on=ISSUE_DAY)
    status = payment_status(invoice, today=ISSUE_DAY + datetime.timedelta(days=60))
    assert (status["status"], status["outstanding"]) == ("paid", Decimal("0.00"))


def test_an_invoice_credited_in_full_counts_as_settled(draft_invoice):
    invoice = issue(draft_invoice)
    services.create_credit_note(invoice=invoice, actor=SYSTEM, reason="Cancelled")
    assert payment_status(invoice, today=ISSUE_DAY)["status"] == "paid"


def test_payments_on_a_draft_are_refused(draft_invoice):
    with pytest.raises(InvalidTransition):
        services.record_payment(
            draft_invoice, actor=SYSTEM, amount=Decimal("1"), received_on=ISSUE_DAY
        )


def test_issue_and_credit_are_audited(draft_invoice):
    from postdesk.core.models import AuditEntry

    invoice = issue(draft_invoice)
    services.create_credit_note(invoice=invoice, actor=SYSTEM, reason="x")
    summaries = list(
        AuditEntry.objects.filter(object_type__startswith="billing.").values_list(
            "summary", flat=True
        )
    )
    assert "issue INV-2026-000001" in summaries
    assert "Credit note CN-2026-000001 against INV-2026-000001" in summaries


def test_admin_shows_an_issued_invoice_read_only(draft_invoice, make_user, client):
    from django.contrib.auth import get_user_model

    invoice = issue(draft_invoice)
    admin_user = get_user_model().objects.create_superuser("root", "root@example.com", "pw")
    client.force_login(admin_user, backend="django.contrib.auth.backends.ModelBackend")
    page = client.get(f"/admin/billing/invoice/{invoice.pk}/change/")
    assert page.status_code == 200
    # (an editable admin form names its notes field so; the invoice's shows it as text)
    editable = client.get("/admin/productions/production/add/")
    assert b'name="notes"' in editable.content
    assert invoice.number.encode() in page.content
    assert b'name="notes"' not in page.content
    refused = client.post(f"/admin/billing/invoice/{invoice.pk}/change/", {"notes": "edited"})
    assert refused.status_code == 403
    assert (
        client.post(f"/admin/billing/invoice/{invoice.pk}/delete/", {"post": "yes"}).status_code
        == 403
    )
    assert Invoice.objects.get().notes == ""


@pytest.mark.skipif(
    not __import__("django.conf").conf.settings.IS_POSTGRES,
    reason="the trigger exists on PostgreSQL only; SQLite relies on the model guards above",
)
def test_postgres_itself_refuses_raw_sql_changes_to_an_issued_invoice(draft_invoice):
    from django.db import DatabaseError, connection, transaction

    invoice = issue(draft_invoice)
    for sql in (
        "UPDATE billing_invoice SET notes = 'raw' WHERE id = %s",
        "DELETE FROM billing_invoice WHERE id = %s",
        "UPDATE billing_invoiceline SET net = 1 WHERE invoice_id = %s",
    ):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cur:
            cur.execute(sql, [invoice.pk])
    assert Invoice.objects.get().notes == ""
