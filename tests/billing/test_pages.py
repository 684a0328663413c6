"""Billing pages: lists, details, actions; money hidden from roles without it, read-only for
roles that may not change it; other companies' records are 404."""

import datetime

import pytest
from django.urls import reverse

from postdesk.billing import services
from postdesk.billing.models import Invoice, Quote
from postdesk.core.audit import SYSTEM
from postdesk.core.roles import ROLES
from tests.billing.conftest import at
from tests.worker import run_worker

pytestmark = pytest.mark.django_db
LIST_PAGES = [
    "billing:quotes",
    "billing:sheets",
    "billing:invoices",
    "billing:credit_notes",
    "billing:rate_cards",
    "billing:cost_reports",
]


@pytest.fixture
def quote(job, theatre, standard_card, make_booking):
    # Monday 9 March: clear of the completed Monday 2 March that `issued` books.
    make_booking(job, [theatre], at("2026-03-09", "09:00"), at("2026-03-09", "19:00"))
    return services.create_quote(job=job, actor=SYSTEM)


@pytest.fixture
def issued(draft_invoice):
    return services.issue_invoice(
        draft_invoice, actor=SYSTEM, issue_date=datetime.date(2026, 3, 10)
    )


@pytest.mark.parametrize("role", ["runner", "reception", "coordinator", "engineer", "library"])
@pytest.mark.parametrize("page", LIST_PAGES)
def test_runner_and_reception_get_403_on_every_money_page(page_as, role, page):
    assert page_as(role).get(reverse(page)).status_code == 403


@pytest.mark.parametrize("role", ["runner", "reception"])
def test_runner_and_reception_see_no_money_nav_or_detail(page_as, role, quote, issued):
    # Their home is their own desk (/frontdesk/, /runners/), menu and all.
    home = page_as(role).get("/", follow=True).content.decode()
    assert '<nav aria-label="Main">' in home
    for_accounts = page_as("accounts").get("/").content.decode()
    for label in ("Quotes", "Invoices", "Job sheets", "Rate cards", "Cost reports"):
        assert f">{label}<" in for_accounts, label
        assert f">{label}<" not in home, label
    assert page_as(role).get(reverse("billing:quote", args=[quote.pk])).status_code == 403
    assert page_as(role).get(reverse("billing:invoice_pdf", args=[issued.pk])).status_code == 403


@pytest.mark.parametrize("role", sorted(ROLES))
def test_cost_reports_are_in_the_menu_of_exactly_who_may_open_them(page_as, role):
    http = page_as(role)
    nav = [item["label"] for item in http.get("/", follow=True).context["nav_items"]]
    opens = http.get(reverse("billing:cost_reports")).status_code == 200

    assert ("Cost reports" in nav) == opens
    assert opens == (role in {"admin", "accounts", "bookings", "supervisor"})


def test_bookings_sees_nav_and_lists_with_search_and_sorting(page_as, quote):
    http = page_as("bookings")
    home = http.get("/").content.decode()
    assert ">Quotes<" in home and ">Invoices<" in home
    page = http.get(reverse("billing:quotes"), {"q": quote.job.number, "sort": "-net"})
    assert page.status_code == 200
    assert quote.reference in page.content.decode()
    empty = http.get(reverse("billing:quotes"), {"q": "no-such-thing"}).content.decode()
    assert "Nothing matches" in empty


def test_empty_lists_say_so(page_as):
    assert (
        "No invoices yet" in page_as("accounts").get(reverse("billing:invoices")).content.decode()
    )


def test_quote_detail_shows_breakdown_and_actions_only_to_who_may(page_as, quote):
    url = reverse("billing:quote", args=[quote.pk])
    bookings = page_as("bookings").get(url).content.decode()
    assert "Grading theatre 1, Mon 09 Mar 2026, 10 h" in bookings
    assert "£1,000.00" in bookings
    assert "Add a line" in bookings and "Send to" in bookings
    supervisor = page_as("supervisor").get(url).content.decode()
    assert "£1,000.00" in supervisor
    assert "Add a line" not in supervisor and "Send to" not in supervisor
    assert (
        page_as("supervisor").post(reverse("billing:quote_send", args=[quote.pk])).status_code
        == 403
    )


def test_send_from_the_page_mails_and_marks_sent(
    page_as, quote, django_capture_on_commit_callbacks
):
    from django.core import mail

    with django_capture_on_commit_callbacks(execute=True):
        response = page_as("bookings").post(reverse("billing:quote_send", args=[quote.pk]))
    assert response.status_code == 302
    assert Quote.objects.get().status == "sent"
    run_worker()
    assert len(mail.outbox) == 1


def test_refused_action_shows_a_message_not_a_500(page_as, quote, settings):
    settings.POSTDESK = {**settings.POSTDESK, "QUOTE_APPROVAL_THRESHOLD": "10"}
    response = page_as("bookings").post(reverse("billing:quote_send", args=[quote.pk]), follow=True)
    assert response.status_code == 200
    assert "needs a supervisor" in response.content.decode()
    assert Quote.objects.get().status == "draft"


def test_add_line_form_shows_errors_next_to_fields(page_as, quote):
    response = page_as("bookings").post(
        reverse("billing:quote_add_line", args=[quote.pk]),
        {"kind": "other", "quantity": "1"},
    )
    assert response.status_code == 422
    assert "Give a unit price" in response.content.decode()


def test_client_sees_own_issued_invoice_not_others_nor_drafts(page_as, issued, other_job):
    other = Invoice.objects.create(job=other_job, client=other_job.client)
    http = page_as("client")
    assert http.get(reverse("billing:invoice", args=[issued.pk])).status_code == 200
    assert http.get(reverse("billing:invoice", args=[other.pk])).status_code == 404
    assert http.get(reverse("billing:rate_cards")).status_code == 403
    listing = http.get(reverse("billing:invoices")).content.decode()
    assert "INV-2026-000001" in listing


def test_issue_asks_for_confirmation_first(page_as, draft_invoice):
    url = reverse("billing:invoice_issue", args=[draft_invoice.pk])
    first = page_as("accounts").post(url)
    assert "can never be changed" in first.content.decode()
    assert Invoice.objects.get().status == "draft"
    page_as("accounts").post(url, {"confirm": "yes"})
    assert Invoice.objects.get().number == "INV-2026-000001"


def test_payment_and_credit_note_from_the_invoice_page(page_as, issued):
    http = page_as("accounts")
    http.post(
        reverse("billing:invoice_payment", args=[issued.pk]),
        {"amount": "100.00", "received_on": "2026-03-12"},
    )
    http.post(
        reverse("billing:invoice_credit", args=[issued.pk]),
        {"reason": "Goodwill", "line": issued.lines.get().pk, "amount": "50.00"},
    )
    page = http.get(reverse("billing:invoice", args=[issued.pk])).content.decode()
    assert "CN-2026-000001" in page
    assert "outstanding £1,040.00" in page


def test_job_sheet_page_signs_and_shows_quote_difference(
    page_as, job, theatre, standard_card, make_booking
):
    booking = make_booking(
        job, [theatre], at("2026-03-02", "09:00"), at("2026-03-02", "19:00"), status="completed"
    )
    sheet = services.create_job_sheet(booking=booking, actor=SYSTEM)
    http = page_as("bookings")
    http.post(
        reverse("billing:sheet_sign", args=[sheet.pk]),
        {"party": "operator", "name": "Ana"},
    )
    page_as("client").post(
        reverse("billing:sheet_sign", args=[sheet.pk]),
        {"party": "client", "name": "Hannah"},
    )
    page = http.get(reverse("billing:sheet", args=[sheet.pk])).content.decode()
    assert "Signed off" in page


def test_cost_report_page_and_budget_form(page_as, production, issued):
    url = reverse("billing:cost_report", args=[production.pk])
    page_as("supervisor").post(url, {"category": "offline", "amount": "5000"})
    page = page_as("supervisor").get(url).content.decode()
    assert "£5,000.00" in page
    assert page_as("accounts").post(url, {"category": "grade", "amount": "1"}).status_code == 403
    assert page_as("accounts").get(url, {"format": "xlsx"}).content[:2] == b"PK"


def test_home_cards_for_supervisor_and_accounts(page_as, issued, quote, settings):
    settings.POSTDESK = {**settings.POSTDESK, "QUOTE_APPROVAL_THRESHOLD": "10"}
    assert "Quotes awaiting approval" in page_as("supervisor").get("/").content.decode()
    accounts_home = page_as("accounts").get("/").content.decode()
    assert "Overdue invoices" in accounts_home
    assert "Job sheets to invoice" in accounts_home


def test_invoice_list_page_has_bounded_queries(
    page_as, job, signed_sheet, django_assert_max_num_queries
):
    for day in ("2026-03-02", "2026-03-03", "2026-03-04"):
        services.create_invoice(job=job, sheets=[signed_sheet(day)], actor=SYSTEM)
    http = page_as("accounts")
    http.get(reverse("billing:invoices"))
    with django_assert_max_num_queries(12):
        assert http.get(reverse("billing:invoices")).status_code == 200


def test_client_accepts_a_sent_quote_on_its_page(page_as, quote):
    services.send_quote(quote, actor=SYSTEM)
    url = reverse("billing:quote", args=[quote.pk])
    page = page_as("client").get(url).content.decode()
    assert "Accept" in page and "Add a line" not in page
    page_as("client").post(reverse("billing:quote_accept", args=[quote.pk]))
    assert Quote.objects.get().status == "accepted"
