"""What each role may see of clients, contacts, productions and jobs (core/visibility.py;
DOMAIN rule 9). Who may open them at all is the view_clients capability (runners have
none: the board shows them client and production names only)."""

from postdesk.core.visibility import STAFF, Policy

CLIENT = Policy(
    "client",
    # The facility's judgement of the account and its notes about it: a client user
    # sees its own company's record without them.
    {"credit_status": STAFF, "notes": STAFF},
)

# People at the client company: whoever may read clients sees them (a client user, its
# own company's), nothing about them is internal.
CONTACT = Policy("contact", {})

PRODUCTION = Policy("production", {"notes": STAFF})

# A job's number, description, work type, status, contact and owner are what the
# client's own staff work with.
JOB = Policy("job", {})
