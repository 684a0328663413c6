"""The booking board in a real browser: a coordinator books, moves and confirms by hand;
a refused move snaps back with the API's words; other open boards follow live; a runner
reads the board without money or edit controls."""

import datetime

import pytest
from playwright.sync_api import expect

from postdesk.core.audit import SYSTEM
from postdesk.core.timeutil import facility_zone, local_at
from postdesk.scheduling import services
from postdesk.scheduling.models import Allocation, Booking

pytestmark = pytest.mark.django_db(transaction=True)


def next_monday() -> datetime.date:
    today = datetime.datetime.now(facility_zone()).date()
    return today + datetime.timedelta(days=7 - today.weekday())


@pytest.fixture
def facility(site, job, other_job):
    rooms = {
        name: services.create_resource(actor=SYSTEM, kind="room", name=name, site=site)
        for name in ("Suite 1", "Suite 2", "Suite 3")
    }
    monday = next_monday()
    zone = facility_zone()
    tuesday = monday + datetime.timedelta(days=1)
    blocker = services.create_booking(
        actor=SYSTEM,
        job=other_job,
        resources=[rooms["Suite 2"]],
        status="confirmed",
        start=local_at(tuesday, datetime.time(9), zone),
        end=local_at(tuesday, datetime.time(19), zone),
    )
    return {"rooms": rooms, "monday": monday, "blocker": blocker, "job": job}


def open_board(page, base, monday, view="week"):
    page.goto(f"{base}/board/?view={view}&date={monday.isoformat()}")
    page.wait_for_selector("#board-app[data-drawn]", state="attached")


def redrawn(page, action):
    """Do `action` (a view change) and wait until the board has drawn the new data: the
    board counts its draws in data-drawn, so a new draw changes the attribute."""
    drawn = page.get_attribute("#board-app", "data-drawn")
    action()
    expect(page.locator("#board-app")).not_to_have_attribute("data-drawn", drawn)


def shown_hours(page) -> tuple[float, float]:
    """The hours each day shows (the facility's working day, or 0-24), as the board says."""
    first, last = page.get_attribute("#board-app", "data-hours").split("-")
    return tuple(int(t[:2]) + int(t[3:]) / 60 for t in (first, last))


def point(page, resource, day: int, hour: float):
    """Where `hour` o'clock of the `day`th day is on the resource's row: days differ in
    width (narrowed weekends) and show only the working day by default."""
    track = page.locator(f'.row[data-resource="{resource.pk}"] .track').bounding_box()
    column = page.locator("#board-head .day").nth(day).bounding_box()
    first, last = shown_hours(page)
    x = column["x"] + (hour - first) / (last - first) * column["width"]
    return x, track["y"] + track["height"] / 2


def drag(page, start, end):
    page.mouse.move(*start)
    page.mouse.down()
    page.mouse.move(start[0] + 5, start[1] + 2, steps=2)
    page.mouse.move(*end, steps=8)
    page.mouse.up()


def block_of(page, booking_id):
    return page.locator(f'.block[data-b="{booking_id}"]')


# Found and measured in one script run: a poll that finds a change redraws the board,
# and a block found in one call can be gone (so have no box) by the next.
_BOX = """selector => {
    const el = document.querySelector(selector);
    const r = el && el.getBoundingClientRect();
    return r && r.width ? {x: r.x, y: r.y, width: r.width, height: r.height} : null;
}"""


def box_of(page, booking_id) -> dict:
    """The block's box (as `bounding_box()` gives it) once the board has drawn it."""
    return page.wait_for_function(_BOX, arg=f'.block[data-b="{booking_id}"]').json_value()


def test_coordinator_books_moves_confirms_and_is_refused_on_the_board(
    users, login, live_server, facility, shot
):
    rooms, monday, job = facility["rooms"], facility["monday"], facility["job"]
    zone = facility_zone()
    page = login(users["bookings"])
    open_board(page, live_server.url, monday)
    # A second coordinator's board is open all along, to see the changes arrive live.
    watcher = login(users["supervisor"])
    open_board(watcher, live_server.url, monday)
    shot(page, "board-week")

    # when the coordinator drags across Suite 1 on Monday from 10:00 to 14:00
    drag(page, point(page, rooms["Suite 1"], 0, 10), point(page, rooms["Suite 1"], 0, 14))
    # then the side panel offers the new booking; they pick the job and book a pencil
    page.wait_for_selector("#create-form")
    assert page.input_value("#cf-start") == f"{monday.isoformat()}T10:00"
    assert page.input_value("#cf-end") == f"{monday.isoformat()}T14:00"
    page.select_option("#cf-job", str(job.pk))
    shot(page, "board-create-panel")
    page.click("#create-form button[type=submit]")
    booking = None
    page.wait_for_selector(f'.row[data-resource="{rooms["Suite 1"].pk}"] .block.pencil')
    booking = Booking.objects.get(job=job)
    assert booking.status == "pencil"
    assert booking.start == local_at(monday, datetime.time(10), zone)
    assert booking.end == local_at(monday, datetime.time(14), zone)
    assert list(booking.allocations.values_list("resource__name", flat=True)) == ["Suite 1"]
    block = block_of(page, booking.pk)
    # (its rank as text: beside the client, or under it where the block is narrow)
    assert "1st" in block.inner_text().split()

    # when they drag the block down to Suite 3
    box = box_of(page, booking.pk)
    start = (box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    drag(page, start, (start[0], point(page, rooms["Suite 3"], 0, 12)[1]))
    # then it is moved there, through the API
    page.wait_for_selector(
        f'.row[data-resource="{rooms["Suite 3"].pk}"] .block[data-b="{booking.pk}"]'
    )
    page.wait_for_selector("#board-message.ok >> text=Moved.")
    assert list(
        Allocation.objects.filter(booking=booking).values_list("resource__name", flat=True)
    ) == ["Suite 3"]

    # when they open it and confirm it
    block_of(page, booking.pk).click()
    page.wait_for_selector('#board-panel [data-verb="confirm"]')
    shot(page, "board-booking-panel")
    page.click('#board-panel [data-verb="confirm"]')
    page.wait_for_selector(f'.block.confirmed[data-b="{booking.pk}"]')
    booking.refresh_from_db()
    assert booking.status == "confirmed"
    # and the other open board shows it confirmed without a reload (it polls every 1.5 s)
    watcher.wait_for_selector(
        f'.row[data-resource="{rooms["Suite 3"].pk}"] .block.confirmed[data-b="{booking.pk}"]',
        timeout=5_000,
    )
    shot(watcher, "board-live-second-context")

    # when they drag it onto Tuesday 10:00 in Suite 2, which is confirmed for another job
    page.click("#board-panel-close")
    before = box_of(page, booking.pk)
    start = (before["x"] + before["width"] / 2, before["y"] + before["height"] / 2)
    target = point(page, rooms["Suite 2"], 1, 12)
    drag(page, start, target)
    # then the API's refusal is shown in plain words and the block is back where it was
    message = page.locator("#board-message.error")
    message.wait_for()
    assert "Suite 2 is confirmed for Other Films Ltd / Elsewhere" in message.inner_text()
    shot(page, "board-refused-move")
    page.wait_for_selector(
        f'.row[data-resource="{rooms["Suite 3"].pk}"] .block[data-b="{booking.pk}"]'
    )
    after = box_of(page, booking.pk)
    assert (round(after["x"]), round(after["y"])) == (round(before["x"]), round(before["y"]))
    booking.refresh_from_db()
    assert booking.start == local_at(monday, datetime.time(10), zone)
    assert list(booking.allocations.values_list("resource__name", flat=True)) == ["Suite 3"]


def test_coordinator_undoes_the_last_move(users, login, live_server, facility):
    rooms, monday, job = facility["rooms"], facility["monday"], facility["job"]
    zone = facility_zone()
    booking = services.create_booking(
        actor=SYSTEM,
        job=job,
        resources=[rooms["Suite 1"]],
        status="pencil",
        start=local_at(monday, datetime.time(9), zone),
        end=local_at(monday, datetime.time(12), zone),
    )
    page = login(users["bookings"])
    open_board(page, live_server.url, monday)

    # when they move the pencil three hours later and then press "Undo move"
    box = box_of(page, booking.pk)
    start = (box["x"] + 4 + box["width"] / 3, box["y"] + box["height"] / 2)
    hour = box["width"] / 3
    drag(page, start, (start[0] + 3 * hour, start[1]))
    page.wait_for_selector("#board-message.ok >> text=Moved.")
    booking.refresh_from_db()
    assert booking.start == local_at(monday, datetime.time(12), zone)
    page.click("#board-undo")

    # then it is back at 09:00
    page.wait_for_selector("#board-message.ok >> text=Move undone.")
    booking.refresh_from_db()
    assert booking.start == local_at(monday, datetime.time(9), zone)
    assert booking.end == local_at(monday, datetime.time(12), zone)


def test_views_day_and_four_weeks_and_today(users, login, live_server, facility, shot):
    page = login(users["bookings"])
    open_board(page, live_server.url, facility["monday"])

    redrawn(page, lambda: page.click('[data-view="day"]'))
    assert page.get_attribute('[data-view="day"]', "aria-pressed") == "true"
    assert page.locator("#board-head .day").count() == 1
    shot(page, "board-day")
    redrawn(page, lambda: page.click('[data-view="4week"]'))
    assert page.get_attribute('[data-view="4week"]', "aria-pressed") == "true"
    assert page.locator("#board-head .day").count() == 28
    shot(page, "board-4week")
    redrawn(page, lambda: page.click("#board-today"))
    assert page.locator("#board-head .day.today").count() == 1

    # a group folds away and back
    page.click(".group-toggle")
    page.wait_for_selector('.group-toggle[aria-expanded="false"]')
    assert page.locator(".row.res").count() == 0
    page.click(".group-toggle")
    page.wait_for_selector('.group-toggle[aria-expanded="true"]')
    assert page.locator(".row.res").count() == 3
    # the search box narrows the rows in the page, without asking the server
    page.fill("#board-q", "suite 2")
    expect(page.locator(".row.res .label")).to_have_text(["Suite 2"])
    page.fill("#board-q", "")
    expect(page.locator(".row.res")).to_have_count(3)
    # and a filter asks the server again for the narrower board
    redrawn(page, lambda: page.select_option("#board-filters select[name=kind]", "person"))
    assert page.locator(".row.res").count() == 0


def test_runner_reads_the_board_without_money_or_edit_controls(
    users, login, live_server, facility, shot
):
    page = login(users["runner"])
    open_board(page, live_server.url, facility["monday"])

    blocker = block_of(page, facility["blocker"].pk)
    blocker.wait_for()
    assert page.locator("#board-new").count() == 0
    assert page.locator("#board-undo").count() == 0
    assert page.locator(".block .h").count() == 0
    html = page.content()
    assert "£" not in html and "GBP" not in html
    # dragging across a row makes nothing
    rooms = facility["rooms"]
    drag(page, point(page, rooms["Suite 1"], 0, 10), point(page, rooms["Suite 1"], 0, 14))
    assert page.locator("#create-form").count() == 0
    # opening a booking shows its details but no actions
    blocker.click()
    page.wait_for_selector("#board-panel:not([hidden]) dl.facts")
    assert page.locator("#board-panel [data-verb]").count() == 0
    assert page.locator("#board-panel form").count() == 0
    shot(page, "board-runner")
    assert Booking.objects.count() == 1


def test_availability_finder_marks_free_spans_and_books_one_in_two_clicks(
    users, login, live_server, facility, shot
):
    rooms, monday, job = facility["rooms"], facility["monday"], facility["job"]
    zone = facility_zone()
    page = login(users["bookings"])
    open_board(page, live_server.url, monday)

    # when they ask for Suite 2 for one working day from Monday
    page.click("#board-find")
    page.fill("#finder-resources", "Suite 2")
    page.keyboard.press("Enter")
    expect(page.locator("#finder-picker .chip")).to_have_text(["Suite 2×"])
    page.fill("#finder-form input[name=from]", monday.isoformat())
    page.fill("#finder-form input[name=to]", (monday + datetime.timedelta(days=4)).isoformat())
    page.click("#finder-form button[type=submit]")

    # then the free days are listed and marked on the board; Tuesday (confirmed) is not
    first = page.locator("#finder-results [data-slot]").first
    first.wait_for()
    labels = page.locator("#finder-results [data-slot]").all_inner_texts()
    assert labels[0].endswith("09:00–19:00 · free")
    assert [label.split()[0] for label in labels] == ["Mon", "Wed", "Thu", "Fri"]
    assert page.locator(f'.row[data-resource="{rooms["Suite 2"].pk}"] .highlight').count() >= 1
    shot(page, "board-finder")

    # when they pick the first span (click one) and book it (click two)
    first.click()
    page.wait_for_selector("#create-form")
    page.select_option("#cf-job", str(job.pk))
    page.click("#create-form button[type=submit]")

    # then a pencil holds Suite 2 on Monday 09:00-19:00
    page.wait_for_selector("#board-message.ok >> text=Booked")
    booking = Booking.objects.get(job=job)
    assert booking.start == local_at(monday, datetime.time(9), zone)
    assert booking.end == local_at(monday, datetime.time(19), zone)
    assert list(booking.allocations.values_list("resource__name", flat=True)) == ["Suite 2"]


def test_keyboard_moves_a_focused_booking(users, login, live_server, facility):
    rooms, monday, job = facility["rooms"], facility["monday"], facility["job"]
    zone = facility_zone()
    booking = services.create_booking(
        actor=SYSTEM,
        job=job,
        resources=[rooms["Suite 1"]],
        status="pencil",
        start=local_at(monday, datetime.time(9), zone),
        end=local_at(monday, datetime.time(12), zone),
    )
    page = login(users["bookings"])
    open_board(page, live_server.url, monday)

    # when they focus the booking and press Alt+Down (next room) then Enter
    block_of(page, booking.pk).focus()
    page.keyboard.press("Alt+ArrowDown")
    page.wait_for_selector(
        f'.row[data-resource="{rooms["Suite 2"].pk}"] .block[data-b="{booking.pk}"]'
    )
    page.wait_for_selector("#board-message.ok >> text=Moved.")
    assert list(booking.allocations.values_list("resource__name", flat=True)) == ["Suite 2"]
    block_of(page, booking.pk).focus()
    page.keyboard.press("Enter")

    # then the side panel shows it, its rank as text
    page.wait_for_selector("#board-panel:not([hidden]) dl.facts")
    assert "1st pencil" in page.locator("#board-panel").inner_text()


def test_dragging_a_bookings_end_edge_resizes_it(users, login, live_server, facility):
    rooms, monday, job = facility["rooms"], facility["monday"], facility["job"]
    zone = facility_zone()
    booking = services.create_booking(
        actor=SYSTEM,
        job=job,
        resources=[rooms["Suite 1"]],
        status="pencil",
        start=local_at(monday, datetime.time(9), zone),
        end=local_at(monday, datetime.time(12), zone),
    )
    page = login(users["bookings"])
    open_board(page, live_server.url, monday)

    # when they drag the block's end edge two hours to the right
    handle = block_of(page, booking.pk).locator(".h-end").bounding_box()
    start = (handle["x"] + handle["width"] / 2, handle["y"] + handle["height"] / 2)
    two_hours = point(page, rooms["Suite 1"], 0, 14)[0] - point(page, rooms["Suite 1"], 0, 12)[0]
    drag(page, start, (start[0] + two_hours, start[1]))

    # then the booking ends at 14:00, still starting at 09:00
    page.wait_for_selector("#board-message.ok >> text=Moved.")
    booking.refresh_from_db()
    assert booking.start == local_at(monday, datetime.time(9), zone)
    assert booking.end == local_at(monday, datetime.time(14), zone)
