"""What a user's notifications may be searched, sorted and filtered by (API and page)."""

from postdesk.core.listing import Filter, ListSpec
from postdesk.notifications.kinds import KINDS

_YES = ("1", "true", "yes", "on")


def _unread_only(qs, value: bool):
    return qs.filter(read_at__isnull=True) if value else qs


def _kind(text: str) -> str:
    text = text.strip()
    if text not in KINDS:
        raise ValueError(f"must be one of {', '.join(KINDS)}")
    return text


NOTIFICATIONS = ListSpec(
    search=("text",),
    sorts={"created": "created_at", "kind": "kind", "id": "pk"},
    default_sort="-created",
    filters={
        "unread": Filter(method=_unread_only, parse=lambda t: t.strip().lower() in _YES),
        "kind": Filter("kind", parse=_kind),
    },
)
