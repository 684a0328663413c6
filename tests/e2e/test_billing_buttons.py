"""A quote's buttons in a real browser, each its own view: the supervisor approves, the
coordinator sends, the client accepts; and the quote list searches and sorts like every
other list page."""

import pytest
from playwright.sync_api import expect

from postdesk.billing import services
from postdesk.billing.models import Quote
from postdesk.core.audit import SYSTEM
from tests.billing.conftest import (  # noqa: F401 (fixtures)
    at,
    baselight,
    make_booking,
    standard_card,
    theatre,
)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def quote(job, theatre, standard_card, make_booking, settings):  # noqa: F811 (imported)
    settings.POSTDESK = {**settings.POSTDESK, "QUOTE_APPROVAL_THRESHOLD": "10"}
    make_booking(job, [theatre], at("2026-03-09", "09:00"), at("2026-03-09", "19:00"))
    return services.create_quote(job=job, actor=SYSTEM)


def test_approve_send_and_accept_a_quote_from_its_page(login, live_server, users, quote, shot):
    detail = f"{live_server.url}/billing/quotes/{quote.pk}/"

    page = login(users["supervisor"])
    page.goto(detail)
    page.click("form[action$='/approve/'] button")
    expect(page.locator(".messages")).to_contain_text("Approved")

    page = login(users["bookings"])
    page.goto(detail)
    page.click("form[action$='/send/'] button")
    expect(page.locator(".messages")).to_contain_text("Sent to the contact")

    page = login(users["client"])
    page.goto(detail)
    page.click("form[action$='/accept/'] button")
    expect(page.locator(".messages")).to_contain_text("Quote accepted")
    shot(page, "quote-accepted")
    assert Quote.objects.get().status == "accepted"


def test_the_quote_list_searches_and_sorts(login, live_server, users, quote):
    page = login(users["bookings"])
    page.goto(f"{live_server.url}/billing/quotes/")

    page.fill("#id_q", quote.job.number)
    page.click("form[role=search] button[type=submit]")
    expect(page.locator("table.list tbody tr")).to_have_count(1)
    page.click("th >> text=Net")
    expect(page.locator("th[aria-sort=ascending]")).to_contain_text("Net")
    assert f"q={quote.job.number}" in page.url and "sort=net" in page.url
