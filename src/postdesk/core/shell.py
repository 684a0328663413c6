"""Core's menu entries (the 900s: the facility's administration), registered with the shell."""

from postdesk.core.roles import MANAGE_USERS
from postdesk.shell.registry import NavItem, register_nav

register_nav(
    # The letterhead, VAT and bank details on every document: administrators keep them.
    NavItem("Facility", "facility-settings", MANAGE_USERS, internal=True, order=900),
)
