"""What the audit log's list may be filtered by (core/listing.ListSpec)."""

from postdesk.core.listing import Filter, ListSpec, instant
from postdesk.core.models import AuditEntry

# Newest first, as the model's own ordering (-at, -id).
AUDIT = ListSpec(
    sorts={"at": "at"},
    default_sort="-at",
    filters={
        "object_type": Filter("object_type"),
        "object_id": Filter("object_id"),
        "actor": Filter("actor_label"),
        "action": Filter("action", parse=AuditEntry.Action),
        "since": Filter("at__gte", parse=instant),
    },
)
