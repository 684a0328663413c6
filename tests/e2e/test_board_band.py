"""The board draws the milestones of the productions it shows as a band above the rows,
a slipped one marked, and redraws it when a milestone moves (the poll's ETag changes)."""

import datetime

import pytest
from playwright.sync_api import expect

from postdesk.coordination import services as coordination
from postdesk.core.audit import SYSTEM
from postdesk.core.timeutil import facility_zone, local_at
from postdesk.scheduling import services

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_band_shows_milestones_above_the_rows(login, live_server, site, users, job, shot):
    suite = services.create_resource(actor=SYSTEM, kind="room", name="Online 1", site=site)
    zone = facility_zone()
    today = datetime.datetime.now(zone).date()
    monday = today - datetime.timedelta(days=today.weekday())
    services.create_booking(
        job=job,
        resources=[suite],
        start=local_at(monday, datetime.time(9), zone),
        end=local_at(monday, datetime.time(18), zone),
        status="confirmed",
        actor=SYSTEM,
    )
    coordinator = users["coordinator"]
    coordination.set_milestone(
        production=job.production,
        kind="picture_lock",
        planned=monday + datetime.timedelta(days=1),
        actor=coordinator,
    )
    coordination.set_milestone(
        production=job.production,
        kind="grade",
        planned=monday + datetime.timedelta(days=2),
        revised=monday + datetime.timedelta(days=3),
        actor=coordinator,
    )

    board = login(users["bookings"])
    board.goto(f"{live_server.url}/board/?view=week&date={monday.isoformat()}")
    board.wait_for_selector("#board-app[data-drawn]", state="attached")
    band = board.locator("#board-band")
    expect(band).to_be_visible()
    items = band.locator(".band-item")
    expect(items).to_have_count(2)
    lock = items.nth(0)
    expect(lock).to_have_text("Picture lock · The Long Tide")
    expect(lock).to_have_attribute("data-date", (monday + datetime.timedelta(days=1)).isoformat())
    grade = items.nth(1)
    expect(grade).to_contain_text("Grade · The Long Tide")
    expect(grade.locator(".band-flag")).to_have_text("slipped")
    expect(grade).to_have_class("band-item flagged slipped")

    # Above the rows, and in the grade's (revised) day's column.
    first_row = board.locator(".row.res").first
    assert band.bounding_box()["y"] + band.bounding_box()["height"] <= (
        first_row.bounding_box()["y"] + 1
    )
    thursday = board.locator(
        f'#board-head .day[data-date="{(monday + datetime.timedelta(days=3)).isoformat()}"]'
    )
    day_box, grade_box = thursday.bounding_box(), grade.bounding_box()
    assert day_box["x"] <= grade_box["x"] < day_box["x"] + day_box["width"]
    shot(board, "board-milestone-band")

    # Re-planned while the board is open: the poll brings the move in.
    coordination.set_milestone(
        production=job.production,
        kind="picture_lock",
        planned=monday + datetime.timedelta(days=1),
        revised=monday + datetime.timedelta(days=4),
        actor=coordinator,
    )
    expect(band.locator(".band-item.slipped")).to_have_count(2)
