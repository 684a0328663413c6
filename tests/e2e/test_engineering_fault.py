"""A fault reported from a phone reaches the board: a runner reports "room down" on a
phone-sized screen; a coordinator's board, open in another browser context, shows the
room's banner and its maintenance block without a reload."""

import datetime

import pytest
from playwright.sync_api import expect

from postdesk.core.audit import SYSTEM
from postdesk.core.timeutil import facility_zone
from postdesk.engineering.models import FaultTicket
from postdesk.scheduling import services

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}


def test_a_room_down_reported_on_a_phone_appears_on_an_open_board(
    login, live_server, site, users, shot
):
    room = services.create_resource(actor=SYSTEM, kind="room", name="Grade 1", site=site)
    services.create_resource(actor=SYSTEM, kind="room", name="Grade 2", site=site)
    today = datetime.datetime.now(facility_zone()).date()

    board = login(users["bookings"])
    board.goto(f"{live_server.url}/board/?view=week&date={today.isoformat()}")
    board.wait_for_selector("#board-app[data-drawn]", state="attached")
    row = board.locator(f'.row.res[data-resource="{room.pk}"]')
    expect(row).to_be_visible()
    expect(row.locator(".row-notice")).to_have_count(0)

    phone = login(users["runner"], viewport=PHONE)
    phone.goto(f"{live_server.url}/engineering/report/")
    phone.select_option("select[name=room]", label="Grade 1")
    phone.get_by_label("Room down").check()
    phone.fill("textarea[name=description]", "No picture on the projector")
    # The form fits the phone's width: nothing of it needs sideways scrolling. (The
    # shared top bar above it is the page toolkit's, and is wider than a phone today.)
    box = phone.locator("form.report").bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    phone.get_by_role("button", name="Send").click()
    expect(phone.get_by_text("reported. Thank you.")).to_be_visible()
    shot(phone, "engineering-report-phone")

    # The board polls: the banner and the block arrive without a reload. The banner names
    # the ticket by its number, which the database hands out (not 1 after other tests).
    ticket = FaultTicket.objects.get(room=room)
    expect(row.locator(".row-notice")).to_have_text(f"ROOM DOWN (fault {ticket.pk})")
    expect(row.locator(".track [data-b]")).to_have_count(1)
    shot(board, "engineering-board-room-down")
