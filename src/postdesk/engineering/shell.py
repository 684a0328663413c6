"""Engineering's menu entries and home cards (the 500s), registered with the shell."""

from django.utils import timezone

from postdesk.core.roles import MANAGE_ENGINEERING, REPORT_FAULTS, VIEW_ENGINEERING
from postdesk.engineering import queries
from postdesk.shell.registry import HomeCard, NavItem, register_home_card, register_nav

register_nav(
    NavItem("Engineering", "engineering:home", VIEW_ENGINEERING, internal=True, order=500),
    NavItem("Report a fault", "engineering:report", REPORT_FAULTS, internal=True, order=510),
)

register_home_card(
    HomeCard(
        "Rooms down",
        VIEW_ENGINEERING,
        lambda user: len(queries.rooms_down()),
        "engineering:tickets",
        "open room-down faults",
        query="?severity=room_down&open=1",
        order=500,
    ),
    HomeCard(
        "Open faults",
        MANAGE_ENGINEERING,
        lambda user: queries.open_tickets().count(),
        "engineering:tickets",
        "open, in progress or on hold",
        order=510,
    ),
    HomeCard(
        "PAT due this month",
        MANAGE_ENGINEERING,
        lambda user: len(queries.pat_due(by=_month_end())["due"]),
        "engineering:pat",
        "tests due by the end of the month",
        order=520,
    ),
    HomeCard(
        "QC running",
        MANAGE_ENGINEERING,
        lambda user: queries.qc_running().count(),
        "engineering:qc",
        "media checks queued or running",
        order=530,
    ),
)


def _month_end():
    import calendar

    today = timezone.localdate()
    return today.replace(day=calendar.monthrange(today.year, today.month)[1])
