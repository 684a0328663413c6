"""The board's home cards list today's work: today's bookings, challenged pencils and the
pencils ahead, each a link to the board's day, in queries that do not grow with the data."""

import datetime

import pytest
from django.utils import timezone

from postdesk.core.audit import SYSTEM
from postdesk.core.timeutil import facility_zone, local_day_bounds
from postdesk.scheduling import services

pytestmark = pytest.mark.django_db


def _today_at(hour: int) -> datetime.datetime:
    start, _ = local_day_bounds(timezone.localdate(timezone=facility_zone()), facility_zone())
    return start + datetime.timedelta(hours=hour)


def test_bookings_today_lists_each_with_its_rooms_and_a_link_to_its_day(
    home_card, book, job, suite, suite2, editor
):
    book([suite, editor], _today_at(9), _today_at(11), status="confirmed")
    book(
        [suite2],
        _today_at(14),
        _today_at(15),
        status="confirmed",
        title="Line-up",
        kind="internal",
        job=None,
    )

    card, _, page = home_card("bookings", "Bookings today")

    day = timezone.localdate(timezone=facility_zone()).isoformat()
    assert [(r.label, r.url) for r in card["rows"]] == [
        (
            f"{job.number} {job.production.title} · Jo Editor, Suite 3",
            f"/board/?view=day&date={day}",
        ),
        ("Line-up · Suite 4", f"/board/?view=day&date={day}"),
    ]
    assert [r.detail for r in card["rows"]] == ["09:00–11:00 confirmed", "14:00–15:00 confirmed"]
    assert card["count"] == 2
    assert f'href="/board/?view=day&amp;date={day}"' in page
    assert 'href="/board/?view=day" aria-label="See all: Bookings today">See all<' in page


def test_challenges_and_pencils_list_the_holds_to_answer(home_card, book, job, other_job, suite):
    soon = timezone.now() + datetime.timedelta(days=2)
    held = book([suite], soon, soon + datetime.timedelta(hours=2))
    services.challenge_booking(
        book([suite], soon, soon + datetime.timedelta(hours=1), job=other_job), actor=SYSTEM
    )

    challenged, _, _ = home_card("bookings", "Open challenges")
    pencils, _, _ = home_card("bookings", "Pencils, next two weeks")

    assert [r.label.split(" · ")[0] for r in challenged["rows"]] == [
        f"{job.number} {job.production.title}"
    ]
    held.refresh_from_db()
    deadline = timezone.localtime(held.challenge_deadline, facility_zone())
    assert challenged["rows"][0].detail == f"answer by {deadline:%a %d %b %H:%M}"
    assert len(pencils["rows"]) == 2 and pencils["count"] == 2


def test_an_empty_day_says_so(home_card, page_as):
    card, _, page = home_card("bookings", "Bookings today")

    assert card["rows"] == [] and card["count"] == 0
    assert "Nothing is booked today." in page


@pytest.mark.parametrize("title", ["Bookings today", "Open challenges", "Pencils, next two weeks"])
def test_the_cards_cost_the_same_queries_however_busy_the_board(
    title, home_card, book, job, other_job, site
):
    made = iter(range(100))

    def busy_day(n):
        for _ in range(n):
            i = next(made)
            room = services.create_resource(
                actor=SYSTEM, kind="room", name=f"R{title[:3]}{i}", site=site
            )
            book([room], _today_at(8), _today_at(9), status="confirmed")
            start = timezone.now() + datetime.timedelta(days=3, hours=i)
            book([room], start, start + datetime.timedelta(hours=1))
            services.challenge_booking(
                book([room], start, start + datetime.timedelta(minutes=30), job=other_job),
                actor=SYSTEM,
            )

    busy_day(1)
    _, few, _ = home_card("admin", title)
    busy_day(8)
    card, many, _ = home_card("admin", title)

    assert len(card["rows"]) == 6
    assert many == few
