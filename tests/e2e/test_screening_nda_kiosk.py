"""The kiosk enforces a screening's NDA: a guest signing in for a screening that requires
one is stopped with the reason, types their name and ticks the box, and is let in."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from postdesk.coordination import screenings
from postdesk.core.audit import SYSTEM
from postdesk.frontdesk.models import Visit
from postdesk.productions import services as productions
from postdesk.scheduling import services as scheduling

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_screening_guest_signs_the_nda_at_the_kiosk(
    login, live_server, users, site, production, contact, shot
):
    room = scheduling.create_resource(
        actor=SYSTEM, kind="room", name="Screening Room", site=site, capacity=20
    )
    job = productions.create_job(
        actor=SYSTEM,
        production=production,
        description="Preview",
        work_type="screening",
        contact=contact,
    )
    now = timezone.now()
    screenings.book_screening(
        job=job,
        room=room,
        start=now + timezone.timedelta(minutes=15),
        end=now + timezone.timedelta(hours=2),
        cut_version="Director's cut v3",
        nda_required=True,
        actor=users["coordinator"],
    )

    page = login(users["reception"], viewport={"width": 1024, "height": 768})
    page.goto(f"{live_server.url}/frontdesk/kiosk/")
    page.fill("#kiosk-name", "Han")
    page.get_by_role("button", name="Hannah Reid · Northlight Pictures").click()
    page.click("#kiosk-sign-in")
    expect(page.locator("#kiosk-error")).to_have_text(
        "The screening of The Long Tide (Director's cut v3) requires a signed NDA"
    )
    expect(page.locator("#kiosk-sign-nda")).to_be_visible()
    expect(page.locator("#kiosk-sign-nda-text")).to_contain_text("Director's cut v3")
    assert not Visit.objects.exists()

    page.fill("input[name=nda_signature]", "Hannah Reid")
    with page.expect_response("**/api/v1/frontdesk/visits") as answer:
        page.click("#kiosk-sign-in")  # the box not ticked: still refused
    assert answer.value.status == 422
    expect(page.locator("#kiosk-welcome")).to_be_hidden()
    assert not Visit.objects.exists()

    page.check("input[name=nda_agreed]")
    shot(page, "kiosk-screening-nda")
    page.click("#kiosk-sign-in")
    expect(page.locator("#kiosk-welcome")).to_have_text("Welcome, Hannah Reid")
    visit = Visit.objects.get()
    assert visit.nda_signature == "Hannah Reid"
    assert "Director's cut v3" in visit.nda_signed_for
