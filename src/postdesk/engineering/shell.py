"""Engineering's menu entries and home cards (the 500s), registered with the shell."""

import calendar

from django.urls import reverse
from django.utils import timezone

from postdesk.core.roles import MANAGE_ENGINEERING, REPORT_FAULTS, VIEW_ENGINEERING
from postdesk.core.timeutil import facility_zone
from postdesk.engineering import queries
from postdesk.shell.registry import CardRow, HomeCard, NavItem, register_home_card, register_nav

register_nav(
    NavItem("Engineering", "engineering:home", VIEW_ENGINEERING, internal=True, order=500),
    NavItem("Report a fault", "engineering:report", REPORT_FAULTS, internal=True, order=510),
)

# A ticket's line on a card: what it is about and the start of what was reported.
SUMMARY = 60


def _month_end():
    today = timezone.localdate()
    return today.replace(day=calendar.monthrange(today.year, today.month)[1])


def _when(at) -> str:
    return f"{timezone.localtime(at, facility_zone()):%d %b %H:%M}"


def _ticket_row(ticket) -> CardRow:
    about = ticket.room.name if ticket.room_id else ticket.asset.tag
    text = ticket.description.splitlines()[0] if ticket.description else ""
    if len(text) > SUMMARY:
        text = text[: SUMMARY - 1] + "…"
    return CardRow(
        f"{about}: {text}",
        reverse("engineering:ticket", args=[ticket.pk]),
        f"{ticket.get_severity_display().lower()} · since {_when(ticket.opened_at)}",
    )


def _rooms_down_rows(user, limit):
    return [_ticket_row(t) for t in list(queries.rooms_down().values())[:limit]]


def _fault_rows(user, limit):
    return [_ticket_row(t) for t in queries.open_tickets_by_priority()[:limit]]


def _pat_rows(user, limit):
    due = queries.pat_due(by=_month_end())
    today = timezone.localdate()
    rows = [
        CardRow(
            str(test.asset),
            reverse("engineering:asset", args=[test.asset_id]),
            f"{'overdue since' if test.next_due < today else 'due'} {test.next_due:%d %b}",
        )
        for test in due["due"]
    ]
    rows += [
        CardRow(str(a), reverse("engineering:asset", args=[a.pk]), "never tested")
        for a in due["never_tested"]
    ]
    return rows[:limit]


def _pat_count(user) -> int:
    due = queries.pat_due(by=_month_end())
    return len(due["due"]) + len(due["never_tested"])


def _qc_row(report) -> CardRow:
    if report.state in ("queued", "running"):
        detail = f"{report.get_state_display().lower()} {round(report.progress * 100)}%"
    else:
        detail = report.get_verdict_display().lower() or report.get_state_display().lower()
    return CardRow(
        f"{report.filename} · {report.spec_name}",
        reverse("engineering:qc_report", args=[report.pk]),
        detail,
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
        rows=_rooms_down_rows,
        empty="Every room is working.",
    ),
    HomeCard(
        "Open faults",
        MANAGE_ENGINEERING,
        lambda user: queries.open_tickets().count(),
        "engineering:tickets",
        "open, in progress or on hold; worst first",
        query="?open=1",
        order=510,
        rows=_fault_rows,
        empty="No fault is open.",
    ),
    HomeCard(
        "PAT due this month",
        MANAGE_ENGINEERING,
        _pat_count,
        "engineering:pat",
        "tests due by the end of the month, and equipment never tested",
        order=520,
        rows=_pat_rows,
        empty="No PAT test falls due this month.",
    ),
    HomeCard(
        "QC running",
        MANAGE_ENGINEERING,
        lambda user: queries.qc_running().count(),
        "engineering:qc",
        "media checks queued or running",
        order=530,
        rows=lambda user, limit: [_qc_row(r) for r in queries.qc_running()[:limit]],
        empty="No media check is running.",
    ),
    HomeCard(
        "QC failed this week",
        MANAGE_ENGINEERING,
        lambda user: queries.qc_failed().count(),
        "engineering:qc",
        "media that failed its checks, or could not be checked",
        query="?verdict=fail",
        order=540,
        rows=lambda user, limit: [_qc_row(r) for r in queries.qc_failed()[:limit]],
        empty="No media check failed this week.",
    ),
)
