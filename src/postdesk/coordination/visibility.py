"""What each role may see of coordination's records (core/visibility.py)."""

from postdesk.core.visibility import COSTS, STAFF, Policy

# A client sees its productions' deliverables' status and delivery record; who at the
# facility owns each item and the internal notes are the facility's own.
DELIVERABLE = Policy("coordination.Deliverable", {"owner": STAFF, "notes": STAFF})
MILESTONE = Policy("coordination.Milestone", {"notes": STAFF})
# A freelancer's agreed day rate is an internal cost.
DEAL_MEMO = Policy("coordination.DealMemo", {"day_rate": COSTS, "overtime_terms": COSTS})
