"""What each role may see of coordination's records (core/visibility.py)."""

from postdesk.core.visibility import COSTS, STAFF, Policy

# A client sees its productions' deliverables' status and delivery record; who at the
# facility owns each item, the internal notes and the engineering QC report (internal
# pages) are the facility's own; what an item costs is the facility's cost.
DELIVERABLE = Policy(
    "coordination.Deliverable",
    {
        "owner": STAFF,
        "owner_id": STAFF,
        "notes": STAFF,
        "qc_report": STAFF,
        "qc_state": STAFF,
        "qc_verdict": STAFF,
        "cost": COSTS,
        "cost_currency": COSTS,
    },
)
MILESTONE = Policy("coordination.Milestone", {"notes": STAFF})
# A freelancer's agreed day rate is an internal cost.
DEAL_MEMO = Policy("coordination.DealMemo", {"day_rate": COSTS, "overtime_terms": COSTS})
