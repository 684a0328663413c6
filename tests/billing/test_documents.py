"""The PDFs an accountant accepts (issue 11), read back from the real PDF with pypdf: the
supplier's and customer's details, per line quantity with unit, unit price, VAT rate and
net, totals per rate, the VAT note, terms and bank details; one letterhead on every
document; no near-empty trailing pages."""

import datetime
import io
from decimal import Decimal

import pytest
from pypdf import PdfReader

from postdesk.billing import documents, services
from postdesk.core import facility
from postdesk.core.audit import SYSTEM
from postdesk.productions.services import update_client
from tests.billing.conftest import at

pytestmark = pytest.mark.django_db
ISSUE_DAY = datetime.date(2026, 3, 10)


def pages_of(data: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


def text_of(data: bytes) -> str:
    return "\n".join(pages_of(data))


def flat(text: str) -> str:
    """The text with line breaks and runs of spaces as single spaces (PDF text wraps)."""
    return " ".join(text.split())


@pytest.fixture
def facility_details(db):
    return facility.update_facility_settings(
        actor=SYSTEM,
        name="Soho Post Ltd",
        address="Soho Post Ltd\n12 Wardour Street\nLondon W1D 6QF",
        country="GB",
        vat_number="GB 123 4567 89",
        company_number="09876543",
        email="accounts@sohopost.example",
        phone="+44 20 7946 0000",
        bank_details="Sort code 12-34-56\nAccount 12345678",
        document_footer="Registered in England and Wales.",
    )


@pytest.fixture
def us_client(client_company):
    """The demo's Hollis & Grant: an address that repeats its name and its country."""
    return update_client(
        client_company,
        actor=SYSTEM,
        name="Hollis & Grant Pictures",
        country="US",
        vat_number="",
        billing_address="Hollis & Grant Pictures\n9336 Civic Center Drive\n"
        "Beverly Hills, CA 90210\nUS",
    )


def _issue(invoice, day=ISSUE_DAY):
    return services.issue_invoice(invoice, actor=SYSTEM, issue_date=day)


def _supplier_shown(text: str) -> None:
    assert "Soho Post Ltd" in text
    assert "12 Wardour Street" in text
    assert "London W1D 6QF" in text
    assert "VAT registration no. GB 123 4567 89" in text
    assert "Company no. 09876543" in text


def test_an_invoice_to_a_us_business_carries_what_the_law_requires(
    facility_details, us_client, job, signed_sheet, theatre
):
    draft = services.create_invoice(
        job=job,
        sheets=[signed_sheet(), signed_sheet("2026-03-03", "09:00", "13:00")],
        actor=SYSTEM,
    )
    services.add_invoice_line(draft, actor=SYSTEM, service="Courier", quantity=Decimal(3))
    invoice = _issue(draft)

    text = text_of(documents.invoice_pdf(invoice))

    _supplier_shown(text)
    assert "Invoice number INV-2026-000001" in text
    assert "Invoice date 10 March 2026" in text
    # The customer: name once, address lines, the country's name
    assert "Hollis & Grant Pictures\n9336 Civic Center Drive\nBeverly Hills, CA 90210\n" in text
    assert text.count("Hollis & Grant Pictures") == 1
    assert "United States" in text
    assert "\nUS\n" not in text
    # Per line: description, quantity with its unit, unit price, VAT rate, net
    assert "Grading theatre 1, Mon 02 Mar 2026, 10 h 1 day £1,000.00 Outside scope £1,000.00" in (
        text
    )
    assert "Grading theatre 1, Tue 03 Mar 2026, 4 h 1 half day £600.00 Outside scope £600.00" in (
        text
    )
    assert "Courier 3 items £35.00 Outside scope £105.00" in text
    # Totals per rate, and the note that says why there is no VAT
    assert "Outside scope £1,705.00 £0.00" in text
    assert "Total due £1,705.00" in text
    assert "Outside the scope of UK VAT" in text
    assert "Reverse charge" not in text
    # Payment terms and bank details
    assert "Payment due within 30 days of the invoice date, by 9 April 2026" in flat(text)
    assert "Sort code 12-34-56\nAccount 12345678" in text
    assert "9500.00" not in text and " GBP" not in text


def test_an_invoice_to_an_eu_business_says_reverse_charge_with_its_vat_number(
    facility_details, client_company, job, signed_sheet
):
    update_client(client_company, actor=SYSTEM, country="FR", vat_number="FR12345678901")
    invoice = _issue(services.create_invoice(job=job, sheets=[signed_sheet()], actor=SYSTEM))

    text = text_of(documents.invoice_pdf(invoice))

    assert "VAT no. FR12345678901" in text
    assert "Reverse charge" in text
    assert "the customer must account for VAT in its own country" in flat(text)
    assert "France" in text


def test_a_uk_invoice_totals_each_vat_rate(facility_details, draft_invoice):
    services.add_invoice_line(
        draft_invoice, actor=SYSTEM, description="Printed scripts", unit_price="50", vat_code="zero"
    )
    services.add_invoice_line(
        draft_invoice, actor=SYSTEM, description="Archive fee", unit_price="100", vat_code="exempt"
    )
    invoice = _issue(draft_invoice)

    text = text_of(documents.invoice_pdf(invoice))

    assert "Grading theatre 1, Mon 02 Mar 2026, 10 h 1 day £1,000.00 20% £1,000.00" in text
    assert "Printed scripts 1 item £50.00 0% (zero rated) £50.00" in text
    assert "Archive fee 1 item £100.00 Exempt £100.00" in text
    assert "20% £1,000.00 £200.00" in text
    assert "0% (zero rated) £50.00 £0.00" in text
    assert "Exempt £100.00 £0.00" in text
    assert "Total net £1,150.00\nTotal VAT £200.00\nTotal due £1,350.00" in text
    assert "VAT no. GB123456789" in text
    assert "Outside the scope" not in text and "Reverse charge" not in text


def test_the_tax_point_is_shown_only_when_it_is_not_the_invoice_date(
    facility_details, job, signed_sheet
):
    from django.utils import timezone

    today = timezone.localdate()
    backdated = _issue(services.create_invoice(job=job, sheets=[signed_sheet()], actor=SYSTEM))
    on_the_day = _issue(
        services.create_invoice(job=job, sheets=[signed_sheet("2026-03-03")], actor=SYSTEM),
        day=today,
    )

    assert f"Tax point {today:%-d %B %Y}" in text_of(documents.invoice_pdf(backdated))
    assert "Tax point" not in text_of(documents.invoice_pdf(on_the_day))


def test_an_issued_invoice_keeps_the_supplier_details_it_was_issued_with(
    facility_details, draft_invoice
):
    invoice = _issue(draft_invoice)

    facility.update_facility_settings(
        actor=SYSTEM, address="1 New Street\nBristol", vat_number="GB 999 9999 73"
    )

    text = text_of(documents.invoice_pdf(invoice))
    assert "12 Wardour Street" in text and "VAT registration no. GB 123 4567 89" in text
    assert "Bristol" not in text


def test_a_draft_says_it_is_not_a_tax_invoice(facility_details, draft_invoice):
    text = text_of(documents.invoice_pdf(draft_invoice))

    assert "DRAFT: not a valid tax invoice" in text
    _supplier_shown(text)


def test_a_credit_note_names_the_invoice_it_corrects(facility_details, draft_invoice):
    invoice = _issue(draft_invoice)
    note = services.create_credit_note(
        invoice=invoice, actor=SYSTEM, reason="Late start", issue_date=datetime.date(2026, 3, 12)
    )

    text = text_of(documents.credit_note_pdf(note))

    _supplier_shown(text)
    assert "Credit note CN-2026-000001" in text
    assert "Credits invoice INV-2026-000001\nInvoice date 10 March 2026" in text
    assert "Invoice INV-2026-000001 of 10 March 2026" in text
    assert "Grading theatre 1, Mon 02 Mar 2026, 10 h 20% £1,000.00 £200.00 £1,200.00" in text
    assert "Total credited £1,200.00" in text


def test_a_quote_marks_pencilled_lines_provisional_and_its_expected_vat(
    facility_details, job, theatre, standard_card, make_booking
):
    make_booking(job, [theatre], at("2026-03-09", "09:00"), at("2026-03-09", "19:00"))
    make_booking(
        job, [theatre], at("2026-03-14", "09:00"), at("2026-03-14", "13:00"), status="pencil"
    )
    quote = services.create_quote(job=job, actor=SYSTEM)

    pages = pages_of(documents.quote_pdf(quote))

    assert len(pages) == 1
    text = pages[0]
    _supplier_shown(text)
    assert "Grading theatre 1, Mon 09 Mar 2026, 10 h 1 day" in text
    assert "Mon 09 Mar 2026, 10 h Provisional" not in text
    assert "Grading theatre 1, Sat 14 Mar 2026, 4 h Provisional (pencilled)" in flat(text)
    assert "× 1.5 (Saturday)" in text
    assert "Expected VAT treatment: UK VAT" in text
    assert "Total quoted £2,280.00" in text


def test_a_job_sheet_has_the_same_letterhead(facility_details, signed_sheet):
    sheet = signed_sheet()

    text = text_of(documents.job_sheet_pdf(sheet))

    _supplier_shown(text)
    assert "Job sheet" in text
    assert "Grading theatre 1, Mon 02 Mar 2026, 10 h 1 day £1,000.00 20% £1,000.00" in text
    assert "CLIENT SIGN-OFF\nHannah Reid" in text


@pytest.mark.parametrize("count", [1, 12, 22, 30])
def test_the_totals_never_stand_alone_on_a_last_page(facility_details, job, count):
    quote = services.create_quote(
        job=job,
        actor=SYSTEM,
        include_bookings=False,
        free_lines=[{"description": f"Item {i:02d}", "unit_price": "10"} for i in range(count)],
    )

    pages = pages_of(documents.quote_pdf(quote))

    last = pages[-1]
    assert "Total quoted" in last
    if len(pages) > 1:
        assert last.count("Item ") >= 3
    assert sum(page.count("Item ") for page in pages) == count


def test_a_short_quote_is_one_page(facility_details, job):
    quote = services.create_quote(
        job=job,
        actor=SYSTEM,
        include_bookings=False,
        free_lines=[{"description": "Drive", "unit_price": "90"}],
    )

    assert len(pages_of(documents.quote_pdf(quote))) == 1


def test_the_logo_is_printed_on_documents(facility_details, draft_invoice, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.core.test_facility_page import png_bytes

    settings.MEDIA_ROOT = tmp_path
    facility.update_facility_settings(
        actor=SYSTEM, logo=SimpleUploadedFile("x.png", png_bytes(), "image/png")
    )

    page = PdfReader(io.BytesIO(documents.invoice_pdf(draft_invoice))).pages[0]

    assert len(page.images) == 1
