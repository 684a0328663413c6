"""The notifications' menu entry and the header's unread count (850, after the reports)."""

from postdesk.notifications.queries import unread_count
from postdesk.shell.header import HeaderLink, register_header_link
from postdesk.shell.registry import NavItem, register_nav

# For every signed-in user, clients included: each reads only their own.
register_nav(NavItem("Notifications", "notifications:list", None, order=850))
register_header_link(HeaderLink("unread", "notifications:list", unread_count, order=850))
