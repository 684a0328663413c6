"""The navigation bar: the registered entries each user may open."""

from postdesk.core.roles import can, role_of
from postdesk.shell.registry import NavItem, nav_items, register_nav

register_nav(NavItem("Today", "home", None, order=0))


def items_for(user) -> list[NavItem]:
    client = role_of(user) == "client"
    return [
        i
        for i in nav_items()
        if (i.capability is None or can(user, i.capability)) and not (i.internal and client)
    ]
