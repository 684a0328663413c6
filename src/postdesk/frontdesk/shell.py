"""The front desk's menu entries and home cards (the 600s), and the runner's home page."""

from django.urls import reverse
from django.utils import timezone

from postdesk.core.roles import HOST_VISITORS, RECEIVE_VISITORS, USE_RUNNER_BOARD
from postdesk.core.timeutil import facility_zone
from postdesk.frontdesk.messages import open_for as open_messages
from postdesk.frontdesk.queries import open_tasks, open_tasks_by_priority
from postdesk.shell.registry import (
    CardRow,
    HomeCard,
    NavItem,
    register_home_card,
    register_nav,
    register_role_home,
)

register_nav(NavItem("Runners", "frontdesk:runners", USE_RUNNER_BOARD, internal=True, order=600))


def _at(when) -> str:
    return f"{timezone.localtime(when, facility_zone()):%a %H:%M}"


def _task_rows(user, limit):
    # A task has no page of its own: it is claimed and done on the board.
    board = reverse("frontdesk:runners")
    return [
        CardRow(
            f"{t.title} · {t.place}",
            board,
            f"{t.get_priority_display().lower()}" + (f", by {_at(t.due_at)}" if t.due_at else ""),
        )
        for t in open_tasks_by_priority()[:limit]
    ]


def _message_rows(user, limit):
    listed = reverse("frontdesk:messages")
    return [
        CardRow(
            f"{m.caller}" + (f" ({m.caller_company})" if m.caller_company else ""),
            f"{listed}#message-{m.pk}",
            f"taken {_at(m.taken_at)}",
        )
        for m in open_messages(user)[:limit]
    ]


register_home_card(
    HomeCard(
        "Open runner tasks",
        USE_RUNNER_BOARD,
        lambda user: open_tasks().count(),
        "frontdesk:runners",
        "waiting for a runner",
        order=600,
        rows=_task_rows,
        empty="No task is waiting for a runner.",
    ),
)

# The runner's day is the board: their home page is it.
register_role_home("runner", "frontdesk:runners")

register_nav(NavItem("Front desk", "frontdesk:desk", RECEIVE_VISITORS, internal=True, order=610))
# Reception's day is the desk: today's arrivals and who is in.
register_role_home("reception", "frontdesk:desk")
register_nav(NavItem("On site", "frontdesk:roll-call", RECEIVE_VISITORS, internal=True, order=620))

register_home_card(
    HomeCard(
        "Messages for you",
        HOST_VISITORS,
        lambda user: open_messages(user).count(),
        "frontdesk:messages",
        "phone messages not yet dealt with",
        order=610,
        rows=_message_rows,
        empty="No message is waiting for you.",
    ),
)
