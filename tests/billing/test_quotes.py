"""Quotes: priced from planned bookings plus free lines, versioned, approval over the
threshold, draft → sent → accepted / declined / expired, PDF mailed to the contact."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core import mail
from pypdf import PdfReader

from postdesk.billing import services
from postdesk.billing.documents import invoice_pdf, quote_pdf
from postdesk.billing.models import Quote
from postdesk.core.audit import SYSTEM
from postdesk.core.errors import InvalidInput, InvalidTransition
from tests.billing.conftest import at
from tests.worker import run_worker

pytestmark = pytest.mark.django_db


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


@pytest.fixture
def planned(job, theatre, standard_card, make_booking):
    """A confirmed 4 h Monday and a pencilled Saturday; a released one that is not quoted."""
    make_booking(job, [theatre], at("2026-03-02", "09:00"), at("2026-03-02", "13:00"))
    make_booking(
        job, [theatre], at("2026-03-07", "09:00"), at("2026-03-07", "19:00"), status="pencil"
    )
    make_booking(
        job, [theatre], at("2026-03-09", "09:00"), at("2026-03-09", "19:00"), status="released"
    )


def make_quote(job, **kwargs):
    return services.create_quote(
        job=job, actor=SYSTEM, valid_until=datetime.date(2099, 1, 1), **kwargs
    )


def test_quote_prices_pencils_and_confirmed_bookings_with_breakdown(job, planned):
    quote = make_quote(job, free_lines=[{"service": "Courier", "quantity": 2, "kind": "courier"}])
    lines = list(quote.lines.all())
    assert [(line.description, line.net) for line in lines] == [
        ("Grading theatre 1, Mon 02 Mar 2026, 4 h", Decimal("600.00")),
        ("Grading theatre 1, Sat 07 Mar 2026, 10 h", Decimal("1500.00")),
        ("Courier", Decimal("70.00")),
    ]
    assert lines[1].breakdown["multiplier_reason"] == "Saturday"
    assert lines[0].breakdown["rate"]["source"] == "standard kind"
    assert (quote.version, quote.net, quote.vat, quote.gross) == (
        1,
        Decimal("2170.00"),
        Decimal("434.00"),
        Decimal("2604.00"),
    )


def test_versions_count_up_per_job(job, other_job, planned):
    assert [make_quote(job).version, make_quote(job).version] == [1, 2]
    assert (
        make_quote(
            other_job,
            include_bookings=False,
            free_lines=[{"description": "Drive", "unit_price": "90"}],
        ).version
        == 1
    )


def test_client_discount_applies_to_every_line(job, planned, client_company):
    services.set_client_deal(
        actor=SYSTEM, client=client_company, card=None, discount_percent=Decimal("10")
    )
    quote = make_quote(job)
    assert quote.net == Decimal("1890.00")


def test_send_mails_the_contact_with_the_pdf_attached(
    job, planned, django_capture_on_commit_callbacks
):
    quote = make_quote(job)
    with django_capture_on_commit_callbacks(execute=True):
        services.send_quote(quote, actor=SYSTEM)
    assert Quote.objects.get().status == "sent"
    run_worker()
    (message,) = mail.outbox
    assert message.to == ["hannah@example.com"]
    ((name, content, mimetype),) = message.attachments
    assert (name, mimetype) == (f"quote-{job.number}-v1.pdf", "application/pdf")
    assert "£2,520.00" in pdf_text(content)
    assert "£2,520.00 including VAT" in message.body


def test_quote_over_the_threshold_needs_approval_before_sending(
    job, planned, settings, django_capture_on_commit_callbacks
):
    settings.POSTDESK = {**settings.POSTDESK, "QUOTE_APPROVAL_THRESHOLD": "1000"}
    quote = make_quote(job)
    # (the mail goes on commit: run those callbacks, or no mail could ever be seen here)
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(InvalidTransition) as excinfo,
    ):
        services.send_quote(quote, actor=SYSTEM)
    assert excinfo.value.code == "approval_required"
    assert Quote.objects.get().status == "draft"
    assert mail.outbox == []
    services.approve_quote(quote, actor=SYSTEM)
    assert services.send_quote(quote, actor=SYSTEM).status == "sent"


def test_changing_an_approved_quote_withdraws_the_approval(job, planned, settings):
    settings.POSTDESK = {**settings.POSTDESK, "QUOTE_APPROVAL_THRESHOLD": "1000"}
    quote = services.approve_quote(make_quote(job), actor=SYSTEM)
    services.add_quote_line(quote, actor=SYSTEM, description="Drive", unit_price="90")
    with pytest.raises(InvalidTransition):
        services.send_quote(quote, actor=SYSTEM)


def test_accept_decline_and_expiry(job, planned, users):
    quote = services.send_quote(make_quote(job), actor=SYSTEM)
    assert services.respond_quote(quote, actor=users["client"], accept=True).status == "accepted"
    with pytest.raises(InvalidTransition):
        services.respond_quote(quote, actor=users["client"], accept=False)
    second = services.send_quote(make_quote(job), actor=SYSTEM)
    assert services.respond_quote(second, actor=users["client"], accept=False).status == "declined"
    third = services.send_quote(make_quote(job), actor=SYSTEM)
    assert services.expire_quotes(today=datetime.date(2099, 1, 2)) == 1
    assert Quote.objects.get(pk=third.pk).status == "expired"


def test_a_sent_quote_cannot_be_edited(job, planned):
    quote = services.send_quote(make_quote(job), actor=SYSTEM)
    with pytest.raises(InvalidTransition):
        services.add_quote_line(quote, actor=SYSTEM, description="x", unit_price="1")
    with pytest.raises(InvalidTransition):
        services.update_quote(quote, actor=SYSTEM, notes="changed")


def test_a_quote_without_a_contact_email_is_not_sent(job, planned):
    from postdesk.productions.services import update_contact

    update_contact(job.contact, actor=SYSTEM, email="")
    quote = make_quote(job)
    with pytest.raises(InvalidInput):
        services.send_quote(quote, actor=SYSTEM)
    assert Quote.objects.get().status == "draft"


def test_quote_pdf_shows_letterhead_lines_and_totals(job, planned, settings):
    settings.POSTDESK = {**settings.POSTDESK, "FACILITY_NAME": "Soho Post Ltd"}
    text = pdf_text(quote_pdf(make_quote(job)))
    assert "Soho Post Ltd" in text
    assert f"Quote {job.number} v1" in text
    assert "Grading theatre 1, Sat 07 Mar 2026, 10 h" in text
    assert "£1,500.00" in text
    assert "£2,520.00" in text


def test_invoice_pdf_shows_number_client_lines_and_totals(draft_invoice):
    invoice = services.issue_invoice(
        draft_invoice, actor=SYSTEM, issue_date=datetime.date(2026, 3, 10)
    )
    text = pdf_text(invoice_pdf(invoice))
    assert "Invoice number INV-2026-000001" in text
    assert "Northlight Pictures" in text
    assert "VAT no. GB123456789" in text
    assert "Grading theatre 1, Mon 02 Mar 2026, 10 h" in text
    assert "£1,200.00" in text
