"""The money roles' home cards list the work itself (quotes to approve and to chase,
invoices overdue and to issue, job sheets to invoice), each row a link to the document;
amounts reach money roles only, and the cards cost the same queries however many rows."""

import datetime

import pytest
from django.utils import timezone

from postdesk.billing import services
from postdesk.core.audit import SYSTEM
from postdesk.core.roles import ROLES, VIEW_MONEY

pytestmark = pytest.mark.django_db

FAR = datetime.date(2099, 1, 1)


def drive_quote(job, price="90"):
    return services.create_quote(
        job=job,
        actor=SYSTEM,
        valid_until=FAR,
        include_bookings=False,
        free_lines=[{"description": "Drive", "unit_price": price}],
    )


@pytest.fixture
def overdue(job, signed_sheet):
    """An invoice issued sixty days ago and unpaid: past any payment terms."""
    invoice = services.create_invoice(job=job, sheets=[signed_sheet("2026-03-03")], actor=SYSTEM)
    issued = timezone.localdate() - datetime.timedelta(days=60)
    return services.issue_invoice(invoice, actor=SYSTEM, issue_date=issued)


def test_accounts_home_lists_the_invoices_and_sheets_to_deal_with(
    home_card, job, draft_invoice, overdue, signed_sheet
):
    sheet = signed_sheet("2026-03-04")
    chase = services.send_quote(drive_quote(job), actor=SYSTEM)
    late = (timezone.localdate() - overdue.due_date).days

    cards = {
        t: home_card("accounts", t)[0]
        for t in (
            "Overdue invoices",
            "Invoices to issue",
            "Job sheets to invoice",
            "Quotes awaiting an answer",
        )
    }

    (row,) = cards["Overdue invoices"]["rows"]
    assert (row.label, row.url) == (
        f"{overdue.number} {job.client.name}",
        f"/billing/invoices/{overdue.pk}/",
    )
    assert row.detail == f"£1,200.00 · {late}d late"
    (row,) = cards["Invoices to issue"]["rows"]
    assert row.url == f"/billing/invoices/{draft_invoice.pk}/"
    assert row.label == f"Draft {draft_invoice.pk} · {job.client.name} {job.number}"
    (row,) = cards["Job sheets to invoice"]["rows"]
    assert row.url == f"/billing/job-sheets/{sheet.pk}/"
    (row,) = cards["Quotes awaiting an answer"]["rows"]
    assert (row.url, row.detail) == (f"/billing/quotes/{chase.pk}/", "£90.00 · valid to 01 Jan")
    page = home_card("accounts", "Overdue invoices")[2]
    assert f'href="/billing/invoices/{overdue.pk}/"' in page
    assert (
        'href="/billing/invoices/?payment_status=overdue" aria-label="See all: Overdue invoices"'
        in page
    )


def test_supervisor_home_lists_quotes_to_approve(home_card, job, settings):
    settings.POSTDESK = {**settings.POSTDESK, "QUOTE_APPROVAL_THRESHOLD": "10"}
    quote = drive_quote(job)

    card, _, page = home_card("supervisor", "Quotes awaiting approval")

    (row,) = card["rows"]
    assert (row.label, row.url, row.detail) == (
        f"Quote {job.number} {job.production.title} v1",
        f"/billing/quotes/{quote.pk}/",
        "£90.00",
    )
    assert "No quote is waiting for approval." not in page


def test_empty_money_cards_say_so(home_card):
    card, _, page = home_card("accounts", "Overdue invoices")

    assert card["rows"] == []
    assert "No invoice is overdue." in page
    assert "No draft invoice is waiting." in page


@pytest.mark.parametrize("role", ["engineer", "library", "runner", "reception", "client"])
def test_roles_without_money_see_no_money_at_home(role, page_as, job, overdue, settings):
    settings.POSTDESK = {**settings.POSTDESK, "QUOTE_APPROVAL_THRESHOLD": "10"}
    drive_quote(job)
    services.send_quote(drive_quote(job, "5"), actor=SYSTEM)

    page = page_as(role).get("/", follow=True).content.decode()

    if VIEW_MONEY not in ROLES[role]["capabilities"]:
        assert "£" not in page
    for title in ("Overdue invoices", "Quotes awaiting", "Invoices to issue", "Job sheets to"):
        assert title not in page, title


@pytest.mark.parametrize(
    "role, title",
    [
        ("accounts", "Overdue invoices"),
        ("accounts", "Invoices to issue"),
        ("accounts", "Job sheets to invoice"),
        ("accounts", "Quotes awaiting an answer"),
        ("supervisor", "Quotes awaiting approval"),
    ],
)
def test_money_cards_cost_the_same_queries_however_many_rows(
    role, title, home_card, job, signed_sheet, settings
):
    settings.POSTDESK = {**settings.POSTDESK, "QUOTE_APPROVAL_THRESHOLD": "10"}
    days = iter(f"2026-03-{d:02d}" for d in range(2, 31))

    def add(n):
        for _ in range(n):
            drive_quote(job)
            services.approve_quote(sent := drive_quote(job), actor=SYSTEM)
            services.send_quote(sent, actor=SYSTEM)
            services.create_invoice(job=job, sheets=[signed_sheet(next(days))], actor=SYSTEM)
            late = services.create_invoice(job=job, sheets=[signed_sheet(next(days))], actor=SYSTEM)
            back = timezone.localdate() - datetime.timedelta(days=60)
            services.issue_invoice(late, actor=SYSTEM, issue_date=back)
            signed_sheet(next(days))

    add(1)
    _, few, _ = home_card(role, title)
    add(7)
    card, many, _ = home_card(role, title)

    assert len(card["rows"]) == 6
    assert many == few
