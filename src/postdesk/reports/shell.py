"""The reports' menu entry (the 800s): managers' pages, with money."""

from postdesk.core.roles import VIEW_MONEY
from postdesk.shell.registry import NavItem, register_nav

register_nav(NavItem("Reports", "reports:index", VIEW_MONEY, internal=True, order=800))
