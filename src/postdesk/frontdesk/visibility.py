"""What each role may see of the front desk's records (core/visibility.Policy). Visitor
details are gated whole by receive_visitors; here, the money of catering orders."""

from postdesk.core.visibility import COSTS, MONEY, Policy

# A catering order's cost is the facility's (what the supplier charges); what the job is
# charged is the rate card's price. Reception places orders without seeing either.
CATERING_ORDER = Policy("frontdesk.CateringOrder", {"cost": COSTS, "charged": MONEY})
