"""Coordination's menu entries and home cards (the 700s), and the coordinator's home."""

from postdesk.coordination import edl, queries
from postdesk.coordination.models import Deliverable
from postdesk.core.roles import (
    MANAGE_DELIVERABLES,
    MANAGE_LIBRARY,
    SUPERVISE_POST,
    VIEW_DELIVERABLES,
)
from postdesk.shell.registry import (
    HomeCard,
    NavItem,
    register_home_card,
    register_nav,
    register_role_home,
)

register_nav(
    NavItem("Deliverables", "coordination:deliverables", VIEW_DELIVERABLES, order=700),
    NavItem("Coordination", "coordination:desk", MANAGE_DELIVERABLES, internal=True, order=710),
    NavItem(
        "Supervisor's desk",
        "coordination:supervisor-desk",
        SUPERVISE_POST,
        internal=True,
        order=720,
    ),
)

register_home_card(
    HomeCard(
        "Deliverables at risk",
        MANAGE_DELIVERABLES,
        lambda user: Deliverable.objects.filter(queries.at_risk_filter(queries.today())).count(),
        "coordination:desk",
        "overdue, or due within a week and not yet in QC",
        order=700,
    ),
    # The library assistant finds or registers the tapes and drives a cut needs.
    HomeCard(
        "EDL reels not in the library",
        MANAGE_LIBRARY,
        lambda user: len(edl.unmatched_reels()),
        "coordination:edl-unmatched",
        "reels of the productions' EDLs that no media item holds",
        roles=("library",),
        order=710,
    ),
)

# The coordinator's day is the desk: deliverables due and this fortnight's milestones.
register_role_home("coordinator", "coordination:desk")
