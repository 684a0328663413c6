"""What each role may see of resources and bookings (core/visibility.py; DOMAIN rule 9).

Used by the resource and booking API, the resource pages and the board alike."""

from postdesk.core.visibility import COSTS, STAFF, Policy

RESOURCE = Policy(
    "resource",
    {
        # A freelancer's day rate is the facility's cost, for margins in cost reports; the
        # currency is the day rate's.
        "day_rate": COSTS,
        "currency": COSTS,
        # The facility's own notes and its people's contact details.
        "notes": STAFF,
        "email": STAFF,
        "phone": STAFF,
    },
)

BOOKING = Policy(
    "booking",
    {"notes": STAFF},
    # Another company's booking (or the facility's own maintenance, leave, internal use)
    # reads to a client user as plain "Booked": when and where, not who or what. The
    # board leaves those rows out for client users altogether (scope_to_client).
    own_company=(
        "title",
        "notes",
        "job",
        "job_number",
        "client",
        "client_name",
        "production",
        "production_title",
        "owner",
        "series",
        "challenged_by",
    ),
)
