"""The portal's menu entries (the 700s)."""

from postdesk.core.roles import RESPOND_QUOTES, VIEW_BOARD
from postdesk.shell.registry import NavItem, register_nav, register_role_home

# After the post coordination entries (700-720), so that those stay together.
register_nav(NavItem("Calendar feeds", "portal:feeds", VIEW_BOARD, order=750))

# A client user's home is their company's portal (only clients answer quotes).
register_nav(NavItem("Portal", "portal:home", RESPOND_QUOTES, order=690))
register_role_home("client", "portal:home")
