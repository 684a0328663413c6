"""The portal's menu entries (the 700s)."""

from postdesk.core.roles import VIEW_BOARD
from postdesk.shell.registry import NavItem, register_nav

register_nav(NavItem("Calendar feeds", "portal:feeds", VIEW_BOARD, order=700))
