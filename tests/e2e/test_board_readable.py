"""A board a coordinator can work with all day (issue 11, items 7 and 8), in a real
browser: the working day fills the week view, weekends narrow, blocks say who and which
job; the finder says when time is held and finds "any free colourist"; the booking form
warns of a pencil behind a confirmed booking; the resource picker is a type-ahead; an
error banner goes with the view it was about; the timeline keeps its width after a
booking made from the finder in another week."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from postdesk.core.audit import SYSTEM
from postdesk.core.timeutil import facility_zone, local_at
from postdesk.productions import services as production_services
from postdesk.scheduling import services
from postdesk.scheduling.models import Booking

from .test_board import next_monday, open_board

pytestmark = pytest.mark.django_db(transaction=True)

ZONE = facility_zone()


def at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return local_at(day, datetime.time(hour, minute), ZONE)


def client_job(name: str, title: str, colour: str = "#3b6ea5"):
    client = production_services.create_client(actor=SYSTEM, name=name, colour=colour)
    production = production_services.create_production(
        actor=SYSTEM, client=client, title=title, kind="feature"
    )
    return production_services.create_job(actor=SYSTEM, production=production, description="Post")


@pytest.fixture
def suites(site):
    return {
        name: services.create_resource(actor=SYSTEM, kind="room", name=name, site=site)
        for name in ("Suite 1", "Suite 2", "Suite 3")
    }


def book(job, resources, start, end, status="pencil", **kw):
    return services.create_booking(
        actor=SYSTEM, job=job, resources=resources, start=start, end=end, status=status, **kw
    )


def width(locator) -> float:
    return locator.bounding_box()["width"]


def head_day(page, n: int):
    return page.locator("#board-head .day").nth(n)


def test_a_ten_hour_session_fills_most_of_its_day_and_says_who_it_is_for(
    users, login, live_server, suites
):
    monday = next_monday()
    hollis = client_job("Hollis & Partners Post", "The Salt Road", "#2f6f4f")
    session = book(hollis, [suites["Suite 1"]], at(monday, 9), at(monday, 19), "confirmed")
    early = book(
        hollis,
        [suites["Suite 2"]],
        at(monday + datetime.timedelta(days=1), 5),
        at(monday + datetime.timedelta(days=1), 9),
        "confirmed",
    )
    page = login(users["bookings"])
    open_board(page, live_server.url, monday)
    block = page.locator(f'.block[data-b="{session.pk}"]')

    # then with the default working day (07:00-23:00) the session is over half its day
    expect(page.locator("#board-app")).to_have_attribute("data-hours", "07:00-23:00")
    expect(block).to_contain_text("Hollis & Partners Post")
    expect(block).to_contain_text(hollis.number)
    assert width(block) >= 0.5 * width(head_day(page, 0))
    # and work before 07:00 is drawn at the day's edge, marked as cut
    expect(page.locator(f'.block[data-b="{early.pk}"]')).to_have_class(re.compile(r"\bcut-start\b"))
    # and weekends are narrowed to a third of a weekday
    assert abs(3 * width(head_day(page, 5)) - width(head_day(page, 0))) <= 3

    # when the coordinator asks for whole days
    page.click("#board-fullday")
    # then the days show 24 hours, the session is a smaller part of its day and not cut
    expect(page.locator("#board-app")).to_have_attribute("data-hours", "00:00-24:00")
    expect(page.locator("#board-fullday")).to_have_attribute("aria-pressed", "true")
    expect(page.locator(f'.block[data-b="{early.pk}"]')).not_to_have_class(
        re.compile(r"\bcut-start\b")
    )
    assert width(block) < 0.5 * width(head_day(page, 0))
    # and the choice is remembered by the browser
    page.goto(f"{live_server.url}/board/?view=week&date={monday.isoformat()}")
    expect(page.locator("#board-fullday")).to_have_attribute("aria-pressed", "true")
    expect(page.locator("#board-app")).to_have_attribute("data-hours", "00:00-24:00")

    # when they widen the weekends again, Saturday is as wide as Monday
    page.click("#board-weekends")
    expect(page.locator("#board-weekends")).to_have_attribute("aria-pressed", "false")
    assert abs(width(head_day(page, 5)) - width(head_day(page, 0))) <= 1


@pytest.fixture
def busy_facility(site):
    """A facility with a week of real work: 10-hour days, pencils ranked behind each
    other, a challenged hold, a late session, maintenance and leave."""
    rooms = [
        services.create_resource(actor=SYSTEM, kind="room", name=name, site=site)
        for name in ("Suite 1", "Suite 2", "Suite 3", "Grade 1", "Dub stage", "ADR booth")
    ]
    grading = services.create_skill(actor=SYSTEM, name="Baselight")
    people = [
        services.create_resource(actor=SYSTEM, kind="person", name=name, site=site, skills=skills)
        for name, skills in (
            ("Ana Okafor", [grading]),
            ("Ben Marsh", [grading]),
            ("Cal Reyes", []),
        )
    ]
    jobs = [
        client_job("Hollis & Partners Post", "The Salt Road", "#2f6f4f"),
        client_job("Lantern Pictures", "The Long Tide", "#2458a6"),
        client_job("Signal Fire Films", "Embers", "#a33b20"),
        client_job("The Quiet Company", "Night Ferry", "#6b4fa3"),
    ]
    monday = next_monday()
    for week in range(4):
        for day in range(5):
            d = monday + datetime.timedelta(days=7 * week + day)
            for i, room in enumerate(rooms[:4]):
                job = jobs[(i + day + week) % len(jobs)]
                if (i + day) % 4 == 3:
                    continue
                status = "confirmed" if (i + day + week) % 3 else "pencil"
                book(job, [room], at(d, 9), at(d, 19), status)
            book(jobs[(day + week) % 4], [people[0]], at(d, 9), at(d, 19), "confirmed")
    # pencils stacked behind each other on Monday, and one challenged
    for job in jobs[:3]:
        book(job, [rooms[4]], at(monday, 10), at(monday, 18))
    second = Booking.objects.filter(allocations__resource=rooms[4], job=jobs[1]).get()
    services.challenge_booking(
        Booking.objects.filter(allocations__resource=rooms[4], job=jobs[2]).get(), actor=SYSTEM
    )
    # a late session past the working day, maintenance and leave
    tuesday = monday + datetime.timedelta(days=1)
    book(jobs[3], [rooms[5]], at(tuesday, 18), at(tuesday + datetime.timedelta(days=1), 1))
    services.create_booking(
        actor=SYSTEM,
        kind="maintenance",
        job=None,
        title="Projector lamp",
        resources=[rooms[5]],
        status="confirmed",
        start=at(monday, 8),
        end=at(monday, 12),
    )
    services.create_booking(
        actor=SYSTEM,
        kind="leave",
        job=None,
        resources=[people[1]],
        status="confirmed",
        start=at(monday + datetime.timedelta(days=2), 0),
        end=at(monday + datetime.timedelta(days=4), 0),
    )
    return {"monday": monday, "rooms": rooms, "people": people, "jobs": jobs, "second": second}


def test_the_week_and_four_week_views_are_readable(users, login, live_server, busy_facility, shot):
    monday, jobs = busy_facility["monday"], busy_facility["jobs"]
    page = login(users["bookings"])
    page.set_viewport_size({"width": 1400, "height": 900})
    open_board(page, live_server.url, monday)
    expect(page.locator(".block").first).to_be_visible()
    shot(page, "board-readable-week")

    # then in the week view a confirmed 10-hour day names the client and the job in full
    suite = busy_facility["rooms"][0]
    day_block = page.locator(f'.row[data-resource="{suite.pk}"] .block.confirmed').first
    text = day_block.inner_text()
    assert any(j.client.name in text for j in jobs), text
    assert any(j.number in text for j in jobs), text

    # when they switch to four weeks
    page.click('[data-view="4week"]')
    expect(page.locator('[data-view="4week"]')).to_have_attribute("aria-pressed", "true")
    expect(page.locator("#board-head .day")).to_have_count(28)
    expect(page.locator(".block").first).to_be_visible()
    shot(page, "board-readable-4week")

    # then each job's block shows a job number or the client's short name, not a letter
    shorts = ("Hollis", "Lantern", "Signal", "Quiet")
    texts = [t for t in page.locator(".row.res .block:not(.grey)").all_inner_texts() if t]
    assert texts
    for text in texts:
        words = text.replace("\n", " ")
        assert re.search(r"#\d+|J-\d{4}-\d+", words) or any(s in words for s in shorts), words


def test_the_type_ahead_picker_chooses_resources_with_the_keyboard(
    users, login, live_server, suites, job
):
    monday = next_monday()
    page = login(users["bookings"])
    open_board(page, live_server.url, monday)
    page.click("#board-new")
    picker = page.locator("#cf-resources")
    listbox = page.locator("#cf-resources-list")

    # when the coordinator types "suite" in the resource box
    picker.focus()
    page.keyboard.type("suite")
    # then the list offers the three suites, the first one active
    expect(picker).to_have_attribute("aria-expanded", "true")
    expect(listbox.locator("[role=option]")).to_have_count(3)
    expect(listbox.locator('[aria-selected="true"]')).to_have_text(re.compile("^Suite 1"))
    # when they press the down arrow and Enter, Suite 2 becomes a chip
    page.keyboard.press("ArrowDown")
    expect(picker).to_have_attribute(
        "aria-activedescendant", f"cf-resources-opt-{suites['Suite 2'].pk}"
    )
    page.keyboard.press("Enter")
    expect(page.locator("#create-form .chip")).to_have_text([re.compile("^Suite 2")])
    expect(listbox).to_be_hidden()
    # when they type "3", Enter adds Suite 3; Backspace in the empty box takes it off
    page.keyboard.type("3")
    page.keyboard.press("Enter")
    expect(page.locator("#create-form .chip")).to_have_count(2)
    page.keyboard.press("Backspace")
    expect(page.locator("#create-form .chip")).to_have_text([re.compile("^Suite 2")])
    # Escape closes the list and leaves the form open
    page.keyboard.type("su")
    expect(listbox).to_be_visible()
    page.keyboard.press("Escape")
    expect(listbox).to_be_hidden()
    expect(page.locator("#create-form")).to_be_visible()

    # and the booking is made on the chosen resource
    page.select_option("#cf-job", str(job.pk))
    page.click("#create-form button[type=submit]")
    expect(page.locator("#board-message.ok")).to_contain_text("Booked")
    booking = Booking.objects.get(job=job)
    assert list(booking.allocations.values_list("resource__name", flat=True)) == ["Suite 2"]


def find_spans(page, name, first: datetime.date, last: datetime.date, *, no_holds=False):
    page.fill("#finder-resources", name)
    page.keyboard.press("Enter")
    page.fill("#finder-form input[name=from]", first.isoformat())
    page.fill("#finder-form input[name=to]", last.isoformat())
    page.set_checked("#finder-form input[name=no_holds]", no_holds)
    page.click("#finder-form button[type=submit]")


def test_the_finder_says_when_free_time_is_held_and_can_leave_it_out(
    users, login, live_server, suites, job, other_job, shot
):
    monday = next_monday()
    suite = suites["Suite 1"]
    for _ in range(3):
        book(other_job, [suite], at(monday, 9), at(monday, 19))
    page = login(users["bookings"])
    open_board(page, live_server.url, monday)
    page.click("#board-find")

    # when they look for a working day of Suite 1 from Monday to Wednesday
    find_spans(page, "Suite 1", monday, monday + datetime.timedelta(days=2))

    # then Monday is offered as free but held by three pencils, and marked as held
    slots = page.locator("#finder-results [data-slot]")
    expect(slots).to_have_count(3)
    expect(slots.nth(0)).to_contain_text("09:00–19:00 · free, 3 pencils")
    expect(slots.nth(1)).to_have_text(re.compile(r"09:00–19:00 · free$"))
    expect(page.locator(f'.row[data-resource="{suite.pk}"] .highlight.held')).to_have_count(1)
    shot(page, "board-finder-held")

    # when they ask for time with no holds only, Monday is left out
    page.set_checked("#finder-form input[name=no_holds]", True)
    page.click("#finder-form button[type=submit]")
    expect(slots).to_have_count(2)
    expect(slots.nth(0)).not_to_contain_text("pencil")

    # when they book Monday anyway (without the option), the form warns before saving
    page.set_checked("#finder-form input[name=no_holds]", False)
    page.click("#finder-form button[type=submit]")
    expect(slots).to_have_count(3)
    slots.nth(0).click()
    expect(page.locator("#cf-warnings")).to_contain_text(
        "3 pencils already hold Suite 1 then: this one would rank after them."
    )
    shot(page, "board-create-warning")


def test_the_booking_form_warns_of_a_pencil_behind_a_confirmed_booking(
    users, login, live_server, suites, job, other_job
):
    monday = next_monday()
    tuesday = monday + datetime.timedelta(days=1)
    blocker = book(other_job, [suites["Suite 2"]], at(tuesday, 9), at(tuesday, 19), "confirmed")
    page = login(users["bookings"])
    open_board(page, live_server.url, monday)

    # when the coordinator fills in a pencil on Suite 2 on Tuesday 10:00-12:00
    page.click("#board-new")
    page.fill("#cf-resources", "Suite 2")
    page.keyboard.press("Enter")
    page.fill("#cf-start", f"{tuesday.isoformat()}T10:00")
    page.fill("#cf-end", f"{tuesday.isoformat()}T12:00")
    page.locator("#cf-end").dispatch_event("change")

    # then before saving the form says which confirmed booking it would rank behind
    expect(page.locator("#cf-warnings")).to_have_text(
        "This pencil would rank behind a confirmed booking: "
        f"Suite 2, {other_job.number}, {tuesday:%a} {tuesday.day} {tuesday:%b} 09:00–19:00"
    )
    # and they may still book it
    page.select_option("#cf-job", str(job.pk))
    page.click("#create-form button[type=submit]")
    expect(page.locator("#board-message.ok")).to_contain_text("Booked")
    pencil = Booking.objects.get(job=job)
    assert pencil.status == "pencil"
    assert Booking.objects.get(pk=blocker.pk).status == "confirmed"


def test_any_free_colourist_is_found_and_the_chosen_one_booked(
    users, login, live_server, suites, site, job, other_job, shot
):
    monday = next_monday()
    grading = services.create_skill(actor=SYSTEM, name="Baselight")
    ana, _ben = (
        services.create_resource(actor=SYSTEM, kind="person", name=n, site=site, skills=[grading])
        for n in ("Ana Okafor", "Ben Marsh")
    )
    book(other_job, [ana], at(monday, 9), at(monday, 19), "confirmed")
    page = login(users["bookings"])
    open_board(page, live_server.url, monday)
    page.click("#board-find")

    # when they ask for Suite 3 plus any one person with Baselight on Monday
    page.select_option("#finder-form select[name=any_kind]", "person")
    page.select_option("#finder-form select[name=any_skill]", "Baselight")
    find_spans(page, "Suite 3", monday, monday)

    # then Monday offers Ben (Ana is booked), and choosing him books Suite 3 and Ben
    picks = page.locator("#finder-results [data-pick]")
    expect(picks).to_have_count(1)
    expect(picks.first).to_have_text(re.compile(r"^Ben Marsh · free$"))
    shot(page, "board-finder-any")
    picks.first.click()
    expect(page.locator("#create-form .chip")).to_have_text(
        [re.compile("^Suite 3"), re.compile("^Ben Marsh")]
    )
    page.select_option("#cf-job", str(job.pk))
    page.click("#create-form button[type=submit]")
    expect(page.locator("#board-message.ok")).to_contain_text("Booked")
    booking = Booking.objects.get(job=job)
    assert sorted(booking.allocations.values_list("resource__name", flat=True)) == [
        "Ben Marsh",
        "Suite 3",
    ]


def test_an_error_banner_clears_when_the_view_changes(
    users, login, live_server, suites, job, other_job
):
    monday = next_monday()
    mine = book(job, [suites["Suite 1"]], at(monday, 10), at(monday, 12), "confirmed")
    book(other_job, [suites["Suite 2"]], at(monday, 9), at(monday, 19), "confirmed")
    page = login(users["bookings"])
    open_board(page, live_server.url, monday)

    # given a refused move (onto Suite 2, confirmed for another job) and its error banner
    page.locator(f'.block[data-b="{mine.pk}"]').focus()
    page.keyboard.press("Alt+ArrowDown")
    banner = page.locator("#board-message.error")
    expect(banner).to_contain_text("Suite 2 is confirmed for Other Films Ltd")

    # when the coordinator moves on to the next week, the banner goes
    page.click("#board-next")
    expect(banner).to_be_hidden()


def test_booking_from_the_finder_in_another_week_keeps_the_timeline_full_width(
    users, login, live_server, suites, job
):
    monday = next_monday()
    page = login(users["bookings"])
    open_board(page, live_server.url, monday)
    track = page.locator(f'.row[data-resource="{suites["Suite 3"].pk}"] .track')
    full = re.search(r"width:\s*([\d.]+)px", track.get_attribute("style")).group(1)
    scroll = page.locator("#board-scroll").bounding_box()
    # (the timeline fills the board: no more than a few pixels of rounding to spare)
    assert scroll["x"] + scroll["width"] - (track.bounding_box()["x"] + float(full)) < 30

    # when they find a day two weeks on in the finder and book it from there
    page.click("#board-find")
    later = monday + datetime.timedelta(days=14)
    find_spans(page, "Suite 3", later, later + datetime.timedelta(days=2))
    page.locator("#finder-results [data-slot]").first.click()
    expect(page.locator("#board-range")).to_contain_text(f"{later.day} ")
    page.select_option("#cf-job", str(job.pk))
    page.click("#create-form button[type=submit]")
    expect(page.locator("#board-message.ok")).to_contain_text("Booked")
    expect(page.locator("#board-panel")).to_be_hidden()

    # then the timeline is as wide as before, with no blank strip on the right
    expect(track).to_have_css("width", f"{full}px")
