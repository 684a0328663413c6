"""Billing in a real browser: a bookings coordinator finds a booking by search and makes its
job sheet, has it signed, and invoices the job in one step from the job page; and the
cost report of a demo production, screenshotted for people to look at."""

import re

import pytest
from django.urls import reverse

from postdesk.billing.models import Invoice, JobSheet
from tests.billing.conftest import (  # noqa: F401 (fixtures)
    at,
    baselight,
    make_booking,
    standard_card,
    theatre,
)
from tests.e2e.conftest import ARTIFACTS

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def done_work(job, theatre, standard_card, make_booking):  # noqa: F811 (imported)
    """Two finished days in the grading theatre, neither on a job sheet yet."""
    return [
        make_booking(job, [theatre], at(day, "09:00"), at(day, "19:00"), "completed")
        for day in ("2026-03-02", "2026-03-03")
    ]


def test_make_a_job_sheet_by_search_then_invoice_the_job(login, live_server, users, job, done_work):
    page = login(users["bookings"])
    base = live_server.url

    # Find the first day by typing: htmx swaps the results in as the search changes.
    page.goto(f"{base}{reverse('billing:sheet_new')}")
    page.fill("#booking-q", "grading 2 Mar 2026")
    first, second = done_work
    # (No submit: only htmx's swap of the results takes the second day off the list.)
    page.wait_for_selector(f"#booking-{second.pk}", state="detached")
    assert page.locator(f"#booking-{first.pk}").count() == 1
    page.check(f"#booking-{first.pk}")
    page.click("button:has-text('Make job sheet')")
    page.wait_for_url(re.compile(r"/billing/job-sheets/\d+/$"))
    sheet = JobSheet.objects.get(booking=first)
    assert page.url.endswith(f"/billing/job-sheets/{sheet.pk}/")

    # Operator and client sign it on its page.
    for party, name in (("operator", "Ana"), ("client", "Hannah Reid")):
        page.select_option("select[name=party]", party)
        page.fill("input[name=name]", name)
        with page.expect_navigation():
            page.click("form[action$='/sign/'] button")
    assert JobSheet.objects.get(pk=sheet.pk).status == "signed_off"

    # One step from the job page: the second day gets its sheet, the signed one an invoice.
    page.goto(f"{base}{reverse('job-detail', args=[job.pk])}")
    page.click("button:has-text('Invoice this job')")
    page.wait_for_url(re.compile(r"/billing/invoices/\d+/$"))
    invoice = Invoice.objects.get()
    prepared = JobSheet.objects.get(booking=second)
    assert (invoice.status, prepared.status) == ("draft", "draft")
    assert [s.pk for s in invoice.job_sheets.all()] == [sheet.pk]
    message = page.locator(".messages").inner_text()
    assert message == (
        f"Prepared 1 job sheet for sign-off; invoice draft #{invoice.pk} raised from 1 signed sheet"
    )


def test_cost_report_of_a_demo_production(login, live_server):
    """The demo's US feature: USD revenue, GBP freelancers converted at the named rate,
    saved as tests/e2e/artifacts/cost_report.png."""
    from postdesk.core.demo import load_demo
    from postdesk.core.models import User
    from postdesk.productions.models import Production

    load_demo()
    production = Production.objects.get(title="Signal Fire")
    page = login(User.objects.get(username="supervisor"), password="demo")

    page.goto(f"{live_server.url}{reverse('billing:cost_report', args=[production.pk])}")

    body = page.locator("main").inner_text()
    assert "all figures in USD" in body
    assert "1 GBP = 1.271 USD" in body
    assert "Margin after freelancers:" in body
    assert "not worked out" not in body
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "cost_report.png"), full_page=True)
