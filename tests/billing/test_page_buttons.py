"""Every button of the billing pages is its own view at its own URL: the page shows a form
posting there, and submitting it does that one thing. The paths are those the former
`<pk>/<action>/` dispatchers answered, so forms on pages open before a deploy still work."""

import datetime

import pytest
from django.urls import reverse

from postdesk.billing import services
from postdesk.billing.models import Invoice, Quote
from postdesk.core.audit import SYSTEM
from tests.billing.conftest import at

pytestmark = pytest.mark.django_db


@pytest.fixture
def quote(job, theatre, standard_card, make_booking):
    make_booking(job, [theatre], at("2026-03-09", "09:00"), at("2026-03-09", "19:00"))
    return services.create_quote(job=job, actor=SYSTEM)


@pytest.fixture
def sent_quote(quote):
    return services.send_quote(quote, actor=SYSTEM)


@pytest.fixture
def open_sheet(job, theatre, standard_card, make_booking):
    booking = make_booking(
        job, [theatre], at("2026-03-02", "09:00"), at("2026-03-02", "19:00"), status="completed"
    )
    return services.create_job_sheet(booking=booking, actor=SYSTEM)


def press(http, page_url: str, button_url: str, data=None):
    """Submit a button as a browser would: it must be on the page, posting to its URL."""
    page = http.get(page_url).content.decode()
    assert f'action="{button_url}"' in page, f"{button_url} is not a form on {page_url}"
    return http.post(button_url, data or {}, follow=True)


def test_approve_then_send_a_quote(page_as, quote, settings, django_capture_on_commit_callbacks):
    settings.POSTDESK = {**settings.POSTDESK, "QUOTE_APPROVAL_THRESHOLD": "10"}
    detail = reverse("billing:quote", args=[quote.pk])
    approve = reverse("billing:quote_approve", args=[quote.pk])
    assert approve == f"/billing/quotes/{quote.pk}/approve/"

    response = press(page_as("supervisor"), detail, approve)

    assert "Approved" in response.content.decode()
    assert Quote.objects.get().approved_at is not None
    with django_capture_on_commit_callbacks(execute=True):
        press(page_as("bookings"), detail, reverse("billing:quote_send", args=[quote.pk]))
    assert Quote.objects.get().status == "sent"


@pytest.mark.parametrize(("button", "status"), [("accept", "accepted"), ("decline", "declined")])
def test_the_client_accepts_or_declines_a_sent_quote(page_as, sent_quote, button, status):
    detail = reverse("billing:quote", args=[sent_quote.pk])
    url = reverse(f"billing:quote_{button}", args=[sent_quote.pk])
    assert url == f"/billing/quotes/{sent_quote.pk}/{button}/"

    response = press(page_as("client"), detail, url)

    assert f"Quote {status}" in response.content.decode()
    assert Quote.objects.get().status == status


def test_add_a_line_to_a_quote(page_as, quote):
    before = quote.lines.count()

    press(
        page_as("bookings"),
        reverse("billing:quote", args=[quote.pk]),
        reverse("billing:quote_add_line", args=[quote.pk]),
        {"kind": "other", "description": "Courier", "quantity": "1", "unit_price": "40"},
    )

    assert quote.lines.count() == before + 1
    assert quote.lines.filter(description="Courier").exists()


def test_a_quote_button_refuses_a_get_and_an_unknown_button_is_404(page_as, quote):
    http = page_as("bookings")

    assert http.get(reverse("billing:quote_send", args=[quote.pk])).status_code == 405
    assert http.post(f"/billing/quotes/{quote.pk}/explode/").status_code == 404
    assert Quote.objects.get().status == "draft"


def test_who_may_not_press_a_quote_button_gets_403_and_nothing_changes(page_as, sent_quote):
    # Accounts answers for a client (change_money); a runner holds no money right at all.
    assert (
        page_as("runner").post(reverse("billing:quote_accept", args=[sent_quote.pk])).status_code
        == 403
    )
    assert (
        page_as("accounts").post(reverse("billing:quote_approve", args=[sent_quote.pk])).status_code
        == 403
    )
    assert Quote.objects.get().status == "sent"


def test_change_a_sheets_times_and_add_a_line(page_as, open_sheet):
    http = page_as("bookings")
    detail = reverse("billing:sheet", args=[open_sheet.pk])

    press(
        http,
        detail,
        reverse("billing:sheet_times", args=[open_sheet.pk]),
        {"actual_start": "2026-03-02T09:00", "actual_end": "2026-03-02T20:00", "notes": "Ran on"},
    )
    press(
        http,
        detail,
        reverse("billing:sheet_add_line", args=[open_sheet.pk]),
        {"kind": "other", "description": "Drives", "quantity": "2", "unit_price": "15"},
    )

    open_sheet.refresh_from_db()
    assert open_sheet.actual_end - open_sheet.actual_start == datetime.timedelta(hours=11)
    assert open_sheet.notes == "Ran on"
    assert open_sheet.lines.filter(description="Drives").exists()


def test_a_sheets_times_with_the_end_first_show_the_error_and_change_nothing(page_as, open_sheet):
    response = page_as("bookings").post(
        reverse("billing:sheet_times", args=[open_sheet.pk]),
        {"actual_start": "2026-03-02T20:00", "actual_end": "2026-03-02T09:00"},
    )

    assert response.status_code == 422
    assert "The end must be after the start" in response.content.decode()
    open_sheet.refresh_from_db()
    assert open_sheet.actual_end > open_sheet.actual_start


def test_add_a_line_to_a_draft_invoice_then_delete_the_draft(page_as, draft_invoice):
    http = page_as("accounts")
    detail = reverse("billing:invoice", args=[draft_invoice.pk])

    press(
        http,
        detail,
        reverse("billing:invoice_add_line", args=[draft_invoice.pk]),
        {"kind": "other", "description": "Hard drive", "quantity": "1", "unit_price": "120"},
    )
    assert draft_invoice.lines.filter(description="Hard drive").exists()

    delete = reverse("billing:invoice_delete", args=[draft_invoice.pk])
    asked = press(http, detail, delete)
    assert "Delete this invoice?" in asked.content.decode()
    assert Invoice.objects.filter(pk=draft_invoice.pk).exists()  # only asked so far

    done = http.post(delete, {"confirm": "yes"}, follow=True)

    assert "Draft deleted" in done.content.decode()
    assert not Invoice.objects.filter(pk=draft_invoice.pk).exists()
