"""The navigation bar: the registered entries each user may open."""

from postdesk.shell.registry import NavItem, nav_items, register_nav
from postdesk.web.access import allowed

register_nav(NavItem("Today", "home", None, order=0))


def items_for(user) -> list[NavItem]:
    # The pages' own rule (web/access), so an entry shows exactly when its page opens.
    return [
        i for i in nav_items() if allowed(user, *filter(None, [i.capability]), internal=i.internal)
    ]
