"""The front desk in a real browser: the kiosk from the three-letter search to the badge,
and a runner task posted on one screen, claimed on a phone, the claim seen live."""

from io import BytesIO

import pytest
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from postdesk.frontdesk.models import RunnerTask, Visit
from postdesk.scheduling import services as scheduling

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}


def test_kiosk_sign_in_from_three_letters_to_the_badge(login, live_server, users, site, job, shot):
    suite = scheduling.create_resource(
        actor=users["bookings"], kind="room", name="Suite 3", site=site
    )
    now = timezone.now()
    scheduling.create_booking(
        job=job,
        resources=[suite],
        start=now + timezone.timedelta(minutes=10),
        end=now + timezone.timedelta(hours=2),
        status="confirmed",
        actor=users["bookings"],
        owner=users["bookings"],
    )
    page = login(users["reception"], viewport={"width": 1024, "height": 768})
    page.goto(f"{live_server.url}/frontdesk/kiosk/")
    expect(page.locator("nav[aria-label=Main]")).to_have_count(0)

    page.fill("#kiosk-name", "Ha")
    expect(page.locator("#kiosk-results li")).to_have_count(0)
    page.fill("#kiosk-name", "Han")
    choice = page.get_by_role("button", name="Hannah Reid · Northlight Pictures")
    expect(choice).to_be_visible()
    choice.click()
    page.fill("input[name=car_registration]", "ab12 cde")
    shot(page, "kiosk-details")
    page.click("#kiosk-sign-in")
    expect(page.locator("#kiosk-welcome")).to_have_text("Welcome, Hannah Reid")

    visit = Visit.objects.get()
    assert (visit.contact_id, visit.car_registration, visit.host) == (
        job.contact_id,
        "AB12 CDE",
        users["bookings"],
    )
    href = page.locator("#kiosk-badge").get_attribute("href")
    badge = page.request.get(f"{live_server.url}{href}")
    assert badge.status == 200 and badge.headers["content-type"] == "application/pdf"
    text = PdfReader(BytesIO(badge.body())).pages[0].extract_text()
    assert "Hannah Reid" in text and "Northlight Pictures" in text


def test_a_task_posted_is_claimed_on_a_phone_and_the_poster_sees_it_live(
    login, live_server, users, shot
):
    poster = login(users["engineer"])
    poster.goto(f"{live_server.url}/runners/")
    poster.click("summary:has-text('Post a task')")
    poster.fill("#id_title", "Two teas, one oat milk")
    poster.fill("#id_place", "Suite 3")
    poster.click("#post-task button[type=submit]")
    task_on_poster = poster.locator("#runner-tasks li", has_text="Two teas, one oat milk")
    expect(task_on_poster.locator(".status")).to_have_text("open")

    phone = login(users["runner"], viewport=PHONE)
    assert phone.url == f"{live_server.url}/runners/"  # the runner's home
    task_on_phone = phone.locator("#runner-tasks li", has_text="Two teas, one oat milk")
    task_on_phone.get_by_role("button", name="Claim").click()
    expect(task_on_phone.locator(".status")).to_have_text("claimed")
    shot(phone, "runner-phone-claimed")

    # The poster's page was not reloaded: its poll brings the claim in
    expect(task_on_poster.locator(".status")).to_have_text("claimed")
    expect(task_on_poster.locator(".runner")).to_have_text("runner-user")
    assert RunnerTask.objects.get().runner == users["runner"]
