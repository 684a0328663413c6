"""The navigation bar: each entry shows only to roles holding its capability.

Apps add their pages here rather than in the template, so the menu stays one list.
"""

from dataclasses import dataclass

from postdesk.core.roles import MANAGE_USERS, VIEW_CLIENTS


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    capability: str | None  # None: every signed-in user
    # The facility's own pages, which client users never see whatever their capabilities
    # (their pages say 403 "internal to the facility").
    internal: bool = False


NAV_ITEMS: list[NavItem] = [
    NavItem("Today", "home", None),
    NavItem("Board", "scheduling:board", "view_board"),
    NavItem("Resources", "scheduling:resources", "view_board"),
    NavItem("Clients", "clients", VIEW_CLIENTS),
    NavItem("Productions", "productions", VIEW_CLIENTS),
    NavItem("Jobs", "jobs", VIEW_CLIENTS),
    NavItem("Quotes", "billing:quotes", "view_money"),
    NavItem("Job sheets", "billing:sheets", "view_money"),
    NavItem("Invoices", "billing:invoices", "view_money"),
    NavItem("Rate cards", "billing:rate_cards", "change_money"),
    # Whoever may open the cost reports: the facility's staff who read money.
    NavItem("Cost reports", "billing:cost_reports", "view_money", internal=True),
    # The letterhead, VAT and bank details on every document: administrators keep them.
    NavItem("Facility", "facility-settings", MANAGE_USERS, internal=True),
]


def items_for(user) -> list[NavItem]:
    from postdesk.core.roles import can, role_of

    client = role_of(user) == "client"
    return [
        i
        for i in NAV_ITEMS
        if (i.capability is None or can(user, i.capability)) and not (i.internal and client)
    ]
