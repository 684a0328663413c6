"""Money is shown as money on every billing page (issue 11): "£9,500.00", never
"9500.00 GBP", right-aligned; CSV keeps plain numbers with a currency column."""

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from postdesk.billing import services
from postdesk.core.audit import SYSTEM

pytestmark = pytest.mark.django_db
RAW = re.compile(r"\d+\.\d\d GBP|\b9500\.00\b|\b11400\.00\b")


@pytest.fixture
def quote(job, standard_card):
    return services.create_quote(
        job=job,
        actor=SYSTEM,
        include_bookings=False,
        free_lines=[{"description": "Grade package", "unit_price": "9500"}],
    )


@pytest.fixture
def issued(draft_invoice):
    services.add_invoice_line(draft_invoice, actor=SYSTEM, description="Grade", unit_price="9500")
    invoice = services.issue_invoice(
        draft_invoice, actor=SYSTEM, issue_date=datetime.date(2026, 3, 10)
    )
    services.record_payment(
        invoice, actor=SYSTEM, amount=Decimal("600.00"), received_on=datetime.date(2026, 3, 20)
    )
    grade = invoice.lines.get(description="Grade")
    services.create_credit_note(
        invoice=invoice,
        actor=SYSTEM,
        reason="Goodwill",
        lines=[{"invoice_line": grade.pk, "net": Decimal("1000.00")}],
    )
    return invoice


def _page(http, name, *args) -> str:
    response = http.get(reverse(name, args=args))
    assert response.status_code == 200
    return response.content.decode()


def test_quote_pages_show_money_as_money(page_as, quote):
    http = page_as("bookings")

    listing = _page(http, "billing:quotes")
    detail = _page(http, "billing:quote", quote.pk)

    assert '<td class="money">£9,500.00</td>' in listing
    assert '<th scope="col" class="money">' in listing
    assert '<td class="money">£9,500.00</td>' in detail
    assert '<td class="money"><strong>£11,400.00</strong></td>' in detail
    assert "UK VAT (expected" in detail
    assert not RAW.search(listing) and not RAW.search(detail)


def test_invoice_and_credit_note_pages_show_money_as_money(page_as, issued):
    http = page_as("accounts")
    note = issued.credit_notes.get()

    listing = _page(http, "billing:invoices")
    detail = _page(http, "billing:invoice", issued.pk)
    notes = _page(http, "billing:credit_notes")
    note_page = _page(http, "billing:credit_note", note.pk)

    assert '<td class="money">£12,600.00</td>' in listing
    assert '<td class="money"><strong>£12,600.00</strong></td>' in detail
    assert "£600.00" in detail and "outstanding £10,800.00" in detail
    assert "<dt>VAT</dt><dd>UK VAT</dd>" in detail
    assert '<td class="money">£1,200.00</td>' in notes
    assert '<td class="money"><strong>£1,200.00</strong></td>' in note_page
    assert "of 10 Mar 2026" in note_page
    for page in (listing, detail, notes, note_page):
        assert not RAW.search(page)


def test_job_sheet_and_rate_card_pages_show_money_as_money(page_as, signed_sheet, standard_card):
    http = page_as("bookings")
    sheet = signed_sheet()

    listing = _page(http, "billing:sheets")
    detail = _page(http, "billing:sheet", sheet.pk)
    card = _page(http, "billing:rate_card", standard_card.pk)

    assert '<td class="money">£1,000.00</td>' in listing
    assert '<td class="money"><strong>£1,200.00</strong></td>' in detail
    assert "day £1,000.00" in detail
    assert '<td class="money">£150.00</td>' in card and '<td class="money">£35.00</td>' in card
    for page in (listing, detail, card):
        assert not RAW.search(page)


def test_the_csv_export_keeps_plain_numbers_and_a_currency_column(page_as, issued):
    csv_text = page_as("accounts").get(reverse("billing:invoice_export")).content.decode()

    header, first, second = csv_text.strip().splitlines()
    assert header.split(",")[5] == "currency"
    assert first.endswith(
        ',GBP,1,"Grading theatre 1, Mon 02 Mar 2026, 10 h",4000,standard,'
        "20.00,1000.00,200.00,1200.00,no"
    )
    assert second.endswith("Grade,,standard,20.00,9500.00,1900.00,11400.00,no")
    assert "£" not in csv_text


def test_a_list_reads_the_locale_once_whatever_its_length(
    page_as, job, standard_card, django_assert_max_num_queries
):
    for i in range(3):
        services.create_quote(
            job=job,
            actor=SYSTEM,
            include_bookings=False,
            free_lines=[{"description": f"Item {i}", "unit_price": "10"}],
        )
    http = page_as("bookings")
    http.get(reverse("billing:quotes"))  # warm the session and the facility row
    with django_assert_max_num_queries(12) as few:
        http.get(reverse("billing:quotes"))
    for i in range(3, 25):
        services.create_quote(
            job=job,
            actor=SYSTEM,
            include_bookings=False,
            free_lines=[{"description": f"Item {i}", "unit_price": "10"}],
        )

    with django_assert_max_num_queries(len(few.captured_queries)):
        http.get(reverse("billing:quotes"))
