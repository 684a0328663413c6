"""The front desk's menu entries and home cards (the 600s), and the runner's home page."""

from postdesk.core.roles import HOST_VISITORS, RECEIVE_VISITORS, USE_RUNNER_BOARD
from postdesk.frontdesk.messages import open_for as open_messages
from postdesk.frontdesk.queries import open_tasks
from postdesk.shell.registry import (
    HomeCard,
    NavItem,
    register_home_card,
    register_nav,
    register_role_home,
)

register_nav(NavItem("Runners", "frontdesk:runners", USE_RUNNER_BOARD, internal=True, order=600))

register_home_card(
    HomeCard(
        "Open runner tasks",
        USE_RUNNER_BOARD,
        lambda user: open_tasks().count(),
        "frontdesk:runners",
        "waiting for a runner",
        order=600,
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
    ),
)
