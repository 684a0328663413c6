"""What the deliverables and deal memo lists may be searched, sorted and filtered by
(core/listing.ListSpec), declared once for the API and the pages."""

from postdesk.coordination.models import DealMemo, Deliverable
from postdesk.core.listing import Filter, ListSpec

DELIVERABLES = ListSpec(
    search=("name", "spec", "production__title", "reference"),
    sorts={
        "position": "position",
        "due": "due",
        "name": "name",
        "status": "status",
        "production": "production__title",
        "id": "pk",
    },
    default_sort="production,position",
    filters={
        "production": Filter("production_id", parse=int),
        "status": Filter("status", parse=Deliverable.Status),
    },
)

DEAL_MEMOS = ListSpec(
    search=("role", "person__name", "production__title"),
    sorts={"start": "start", "role": "role", "status": "status", "id": "pk"},
    default_sort="start",
    filters={
        "production": Filter("production_id", parse=int),
        "status": Filter("status", parse=DealMemo.Status),
    },
)
