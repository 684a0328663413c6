"""Bounds on billing work (issue 10): money results fit their columns, priced spans are
bounded like bookings, documents hold a bounded number of lines. Each refusal is a 422
naming the field and changes nothing."""

import datetime
from decimal import Decimal

import pytest

from postdesk.billing import services
from postdesk.billing.models import (
    BudgetLine,
    Invoice,
    InvoiceLine,
    JobSheet,
    JobSheetLine,
    Quote,
    QuoteLine,
)
from postdesk.core.audit import SYSTEM
from postdesk.core.errors import InvalidInput
from postdesk.core.models import AuditEntry
from postdesk.core.money import largest_amount, require_fits_column
from tests.billing.conftest import at

pytestmark = pytest.mark.django_db

HUGE_LINE = {"description": "Drives", "quantity": "99999999", "unit_price": "9999999999.99"}
# Each fits (599,999,999,999.40 net); two of them do not.
BIG_LINE = {"description": "Big", "quantity": "60", "unit_price": "9999999999.99"}


def state() -> dict:
    models = (Quote, QuoteLine, JobSheet, JobSheetLine, Invoice, InvoiceLine, BudgetLine)
    return {m.__name__: list(m.objects.order_by("pk").values()) for m in models} | {
        "audit": AuditEntry.objects.count()
    }


def assert_422(response, field):
    assert response.status_code == 422, response.content
    assert list(response.json()["details"]["fields"]) == [field]


@pytest.fixture
def quote(job, standard_card):
    return services.create_quote(job=job, actor=SYSTEM, include_bookings=False)


@pytest.fixture
def open_sheet(job, theatre, standard_card, make_booking):
    booking = make_booking(
        job, [theatre], at("2026-03-09", "09:00"), at("2026-03-09", "19:00"), "completed"
    )
    return services.create_job_sheet(booking=booking, actor=SYSTEM)


def test_the_largest_amount_of_a_money_column():
    assert largest_amount(14, 2) == Decimal("999999999999.99")
    assert require_fits_column(Decimal("-999999999999.99"), Quote, "net")
    with pytest.raises(InvalidInput):
        require_fits_column(Decimal("1000000000000.00"), Quote, "net")


@pytest.mark.parametrize("document", ["quote", "sheet", "invoice"])
def test_a_line_whose_net_does_not_fit_is_422(document, api_as, quote, open_sheet, draft_invoice):
    path = {
        "quote": f"quotes/{quote.pk}/lines",
        "sheet": f"job-sheets/{open_sheet.pk}/lines",
        "invoice": f"invoices/{draft_invoice.pk}/lines",
    }[document]
    api = api_as("bookings")
    before = state()

    response = api.post(path, HUGE_LINE)

    assert_422(response, "net")
    assert state() == before


def test_a_new_quote_with_a_line_that_does_not_fit_is_422(api_as, job, standard_card):
    api = api_as("bookings")
    before = state()

    response = api.post("quotes", {"job": job.pk, "lines": [HUGE_LINE]})

    assert_422(response, "net")
    assert state() == before


def test_totals_that_do_not_fit_are_422(api_as, quote):
    api = api_as("bookings")
    assert api.post(f"quotes/{quote.pk}/lines", BIG_LINE).status_code == 201
    before = state()

    response = api.post(f"quotes/{quote.pk}/lines", BIG_LINE)

    assert_422(response, "net")
    assert state() == before


def test_the_quote_page_refuses_a_line_that_does_not_fit(page_as, quote):
    http = page_as("bookings")
    before = state()

    response = http.post(
        f"/billing/quotes/{quote.pk}/add-line/", {**HUGE_LINE, "kind": "other"}, follow=True
    )

    assert response.status_code == 200
    assert b"more than the largest amount" in response.content
    assert state() == before


def test_a_budget_that_does_not_fit_is_refused(production):
    with pytest.raises(InvalidInput) as refused:
        services.set_budget_line(
            production=production,
            category="offline",
            amount=Decimal("10000000000000"),
            actor=SYSTEM,
        )

    assert list(refused.value.details["fields"]) == ["amount"]
    assert not BudgetLine.objects.exists()


def test_a_budget_of_more_lines_than_categories_is_422(api_as, production):
    api = api_as("supervisor")
    lines = [{"category": "offline", "amount": "1"}] * 10

    response = api.put(f"productions/{production.pk}/budget", lines)

    assert_422(response, "budget")
    assert not BudgetLine.objects.exists()


# --- spans ----------------------------------------------------------------------------


def test_a_job_sheet_span_longer_than_a_booking_is_422_before_any_pricing(
    api_as, open_sheet, settings, monkeypatch
):
    from postdesk.billing import lines

    priced = []
    monkeypatch.setattr(lines, "price_span", lambda **kw: priced.append(kw) or [])
    days = settings.POSTDESK["MAX_BOOKING_DAYS"]
    end = open_sheet.actual_start + datetime.timedelta(days=days, seconds=1)
    api = api_as("bookings")
    # (the spy is where a job sheet is priced: a span that fits goes through it)
    fits = open_sheet.actual_end + datetime.timedelta(hours=1)
    fitted = api.patch(f"job-sheets/{open_sheet.pk}", {"actual_end": fits.isoformat()})
    assert fitted.status_code == 200
    assert priced != []
    priced.clear()
    before = state()

    response = api.patch(f"job-sheets/{open_sheet.pk}", {"actual_end": end.isoformat()})

    assert_422(response, "actual_end")
    assert priced == []
    assert state() == before


def test_a_job_sheet_span_of_the_longest_booking_is_priced(api_as, open_sheet, settings):
    days = settings.POSTDESK["MAX_BOOKING_DAYS"]
    end = open_sheet.actual_start + datetime.timedelta(days=days)

    response = api_as("bookings").patch(
        f"job-sheets/{open_sheet.pk}", {"actual_end": end.isoformat()}
    )

    assert response.status_code == 200
    assert len(response.json()["lines"]) == days + 1


def test_the_job_sheet_page_refuses_a_year_9999_end(page_as, open_sheet):
    http = page_as("bookings")
    before = state()

    response = http.post(
        f"/billing/job-sheets/{open_sheet.pk}/times/",
        {"actual_start": "2026-03-09T09:00", "actual_end": "9999-12-31T10:00"},
        follow=True,
    )

    assert response.status_code == 200
    assert state() == before


def test_quoting_a_job_with_a_booking_at_the_calendar_end_is_422(
    api_as, job, theatre, standard_card
):
    """Bookings are window-bounded by scheduling; pricing refuses one that is not anyway."""
    from postdesk.scheduling.models import Allocation, Booking

    start = datetime.datetime(9999, 12, 31, 9, tzinfo=datetime.UTC)
    end = datetime.datetime(9999, 12, 31, 19, tzinfo=datetime.UTC)
    booking = Booking.objects.create(job=job, start=start, end=end, status="pencil")
    Allocation.objects.create(
        booking=booking, resource=theatre, start=start, end=end, status="pencil"
    )
    api = api_as("bookings")
    before = state()

    response = api.post("quotes", {"job": job.pk})

    assert_422(response, "booking")
    assert state() == before


# --- lines per document ---------------------------------------------------------------


def test_a_document_holds_at_most_max_document_lines(api_as, quote, settings):
    settings.POSTDESK = {**settings.POSTDESK, "MAX_DOCUMENT_LINES": 2}
    api = api_as("bookings")
    line = {"description": "x", "unit_price": "1"}
    assert api.post(f"quotes/{quote.pk}/lines", line).status_code == 201
    assert api.post(f"quotes/{quote.pk}/lines", line).status_code == 201
    before = state()

    response = api.post(f"quotes/{quote.pk}/lines", line)

    assert_422(response, "lines")
    assert state() == before


def test_a_new_quote_with_too_many_lines_is_422(api_as, job, standard_card, settings):
    settings.POSTDESK = {**settings.POSTDESK, "MAX_DOCUMENT_LINES": 2}
    api = api_as("bookings")
    before = state()

    response = api.post(
        "quotes", {"job": job.pk, "lines": [{"description": "x", "unit_price": "1"}] * 3}
    )

    assert_422(response, "lines")
    assert state() == before


def test_the_api_bounds_list_bodies_before_any_work(api_as, job, standard_card, settings):
    too_many = settings.POSTDESK["MAX_DOCUMENT_LINES"] + 1
    api = api_as("bookings")

    quote = api.post("quotes", {"job": job.pk, "lines": [{"unit_price": "1"}] * too_many})
    invoice = api.post("invoices", {"job": job.pk, "job_sheets": list(range(1, too_many + 1))})

    assert_422(quote, "lines")
    assert_422(invoice, "job_sheets")
    assert not Quote.objects.exists()


def test_a_cost_report_over_a_booking_at_the_calendar_end_is_422(
    api_as, job, production, colourist
):
    from postdesk.scheduling.models import Allocation, Booking

    start = datetime.datetime(9999, 12, 31, 9, tzinfo=datetime.UTC)
    end = datetime.datetime(9999, 12, 31, 19, tzinfo=datetime.UTC)
    booking = Booking.objects.create(job=job, start=start, end=end, status="confirmed")
    Allocation.objects.create(
        booking=booking, resource=colourist, start=start, end=end, status="confirmed"
    )

    response = api_as("accounts").get(f"productions/{production.pk}/cost-report")

    assert_422(response, "booking")
