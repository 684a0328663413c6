"""Scheduling's menu entries and home cards (the 100s), registered with the shell."""

from django.urls import reverse
from django.utils import timezone

from postdesk.core.roles import VIEW_BOARD
from postdesk.core.timeutil import facility_zone
from postdesk.scheduling.queries import (
    booking_label,
    booking_rows,
    bookings_today,
    open_challenges,
    pencils_ahead,
)
from postdesk.shell.registry import CardRow, HomeCard, NavItem, register_home_card, register_nav

# The roles that book or hold pencils, for whom challenges and pencils are work to do.
BOOKERS = ("admin", "bookings", "supervisor", "coordinator", "client")

register_nav(
    NavItem("Board", "scheduling:board", VIEW_BOARD, order=100),
    NavItem("Resources", "scheduling:resources", VIEW_BOARD, order=110),
)


def _local(at):
    return timezone.localtime(at, facility_zone())


def _on_board(booking) -> str:
    """The board's day view on the booking's first day: the booking's own place."""
    day = _local(booking.start).date().isoformat()
    return f"{reverse('scheduling:board')}?view=day&date={day}"


def _rooms(booking) -> str:
    return ", ".join(a.resource.name for a in booking.allocations.all())


def _row(booking, detail: str) -> CardRow:
    return CardRow(f"{booking_label(booking)} · {_rooms(booking)}", _on_board(booking), detail)


def _today_rows(user, limit):
    today = timezone.localdate(timezone=facility_zone())

    def clock(at) -> str:
        # A booking running over midnight says on which day it began or ends.
        return f"{at:%H:%M}" if at.date() == today else f"{at:%d %b %H:%M}"

    rows = []
    for b in booking_rows(bookings_today(user), limit):
        span = f"{clock(_local(b.start))}–{clock(_local(b.end))}"
        rows.append(_row(b, f"{span} {b.get_status_display().lower()}"))
    return rows


def _challenge_rows(user, limit):
    challenged = booking_rows(open_challenges(user), limit, ("challenge_deadline", "pk"))
    return [_row(b, f"answer by {_local(b.challenge_deadline):%a %d %b %H:%M}") for b in challenged]


def _pencil_rows(user, limit):
    pencils = booking_rows(pencils_ahead(user), limit)
    return [_row(b, f"{_local(b.start):%a %d %b %H:%M}") for b in pencils]


register_home_card(
    HomeCard(
        "Bookings today",
        VIEW_BOARD,
        lambda user: bookings_today(user).count(),
        "scheduling:board",
        "on the board",
        query="?view=day",
        order=100,
        rows=_today_rows,
        empty="Nothing is booked today.",
    ),
    HomeCard(
        "Open challenges",
        VIEW_BOARD,
        lambda user: open_challenges(user).count(),
        "scheduling:board",
        "pencils that must confirm or release",
        roles=BOOKERS,
        order=110,
        rows=_challenge_rows,
        empty="No pencil is challenged.",
    ),
    HomeCard(
        "Pencils, next two weeks",
        VIEW_BOARD,
        lambda user: pencils_ahead(user).count(),
        "scheduling:board",
        "holds still to confirm",
        roles=BOOKERS,
        order=120,
        rows=_pencil_rows,
        empty="No pencils in the next two weeks.",
    ),
)
