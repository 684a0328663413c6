"""The portal's menu entries (the 700s) and the bookings office's card of clients'
booking requests."""

from django.urls import reverse
from django.utils import timezone

from postdesk.core.roles import CHANGE_BOOKINGS, RESPOND_QUOTES, VIEW_BOARD
from postdesk.core.timeutil import facility_zone
from postdesk.portal.queries import open_requests
from postdesk.shell.registry import (
    CardRow,
    HomeCard,
    NavItem,
    register_home_card,
    register_nav,
    register_role_home,
)

# After the post coordination entries (700-720), so that those stay together.
register_nav(NavItem("Calendar feeds", "portal:feeds", VIEW_BOARD, order=750))

# A client user's home is their company's portal (only clients answer quotes).
register_nav(NavItem("Portal", "portal:home", RESPOND_QUOTES, order=690))
register_role_home("client", "portal:home")


def _request_rows(user, limit):
    """The requests waiting longest to be placed come first: soonest asked-for time."""
    zone = facility_zone()
    rows = []
    for r in open_requests()[:limit]:
        start = timezone.localtime(r.start, zone)
        rows.append(
            CardRow(
                f"{r.client.name}: {r.what}",
                f"{reverse('portal:requests')}#request-{r.pk}",
                f"{r.production.title}, {start:%a %d %b %H:%M}",
            )
        )
    return rows


# The bookings office places clients' requests as pencils on the board (the portal's
# "request a booking"); the card is theirs and the administrator's.
register_home_card(
    HomeCard(
        "Booking requests",
        CHANGE_BOOKINGS,
        lambda user: open_requests().count(),
        "portal:requests",
        "from clients, to place on the board",
        roles=("admin", "bookings"),
        order=760,
        rows=_request_rows,
        empty="No client is waiting for an answer.",
    )
)
