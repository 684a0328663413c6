"""A client accepts a quote in the portal, on a phone-sized screen, and the bookings
coordinator then sees it accepted on the quote's page."""

import datetime

import pytest
from django.utils import timezone

from postdesk.billing import services as billing
from postdesk.core.audit import SYSTEM

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_client_accepts_a_quote_and_the_coordinator_sees_it(login, live_server, users, job, shot):
    quote = billing.create_quote(
        job=job,
        actor=SYSTEM,
        include_bookings=False,
        valid_until=timezone.localdate() + datetime.timedelta(days=14),
        free_lines=[{"description": "Grade, three days", "unit_price": "2850"}],
    )
    billing.send_quote(quote, actor=SYSTEM)
    problems = []

    page = login(users["client"], viewport={"width": 390, "height": 844})
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    assert page.url == f"{live_server.url}/portal/"
    page.click(f"#portal-quotes a[href='/portal/quotes/{quote.pk}/']")
    page.fill("input[name=name]", "Hannah Reid")
    page.check("input[name=accept][value=yes]")
    page.click("#quote-answer button[type=submit]")
    page.wait_for_url(f"{live_server.url}/portal/")
    assert page.inner_text("#portal-quotes").endswith("Accepted")
    shot(page, "portal-quote-accepted")

    office = login(users["bookings"])
    office.goto(f"{live_server.url}/billing/quotes/{quote.pk}/")
    assert "Accepted" in office.inner_text("main")
    assert problems == []
