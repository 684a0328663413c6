"""Scheduling's menu entries and home cards (the 100s), registered with the shell."""

from postdesk.core.roles import VIEW_BOARD
from postdesk.scheduling.queries import bookings_today, open_challenges, pencils_ahead
from postdesk.shell.registry import HomeCard, NavItem, register_home_card, register_nav

# The roles that book or hold pencils, for whom challenges and pencils are work to do.
BOOKERS = ("admin", "bookings", "supervisor", "coordinator", "client")

register_nav(
    NavItem("Board", "scheduling:board", VIEW_BOARD, order=100),
    NavItem("Resources", "scheduling:resources", VIEW_BOARD, order=110),
)

register_home_card(
    HomeCard(
        "Bookings today",
        VIEW_BOARD,
        lambda user: bookings_today(user).count(),
        "scheduling:board",
        "on the board",
        order=100,
    ),
    HomeCard(
        "Open challenges",
        VIEW_BOARD,
        lambda user: open_challenges(user).count(),
        "scheduling:board",
        "pencils that must confirm or release",
        roles=BOOKERS,
        order=110,
    ),
    HomeCard(
        "Pencils, next two weeks",
        VIEW_BOARD,
        lambda user: pencils_ahead(user).count(),
        "scheduling:board",
        "holds still to confirm",
        roles=BOOKERS,
        order=120,
    ),
)
