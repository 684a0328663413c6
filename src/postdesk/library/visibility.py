"""What each role may see of the library's records (core/visibility.py; DOMAIN rule 9).

Who may open them at all is the capabilities' business (view_media; client users only
their own company's items, by MediaItem.client through queries.items_for). What follows
is what a client user, seeing its own media read-only, still does not see: the
facility's internal notes and the names of its staff handling the media."""

from postdesk.core.visibility import STAFF, Policy

MEDIA_ITEM = Policy(
    "media_item",
    {
        "notes": STAFF,
        # Who inside the facility holds or registered it: staff names and contacts.
        "holder": STAFF,
        "holder_name": STAFF,
        "registered_by": STAFF,
        "reminders_sent": STAFF,
        "last_reminder_at": STAFF,
    },
)

LOCATION = Policy("location", {"notes": STAFF})

MOVEMENT = Policy(
    "movement",
    {
        # Which member of staff moved it, who signed, and why: the facility's own record.
        "actor": STAFF,
        "actor_label": STAFF,
        "signer_name": STAFF,
        "note": STAFF,
    },
)

STOCKTAKE = Policy("stocktake", {"started_by": STAFF, "closed_by": STAFF})

DESTRUCTION_REQUEST = Policy(
    "destruction_request",
    {"requested_by": STAFF, "approved_by": STAFF, "rejection_reason": STAFF},
)

RESEARCH_REQUEST = Policy("research_request", {"notes": STAFF, "requester": STAFF})
