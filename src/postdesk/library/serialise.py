"""Plain descriptions shared by the library's API and pages: where an item is, and the
location tree with its roll-up counts."""

import datetime

from django.db.models import Count

from postdesk.library import queries
from postdesk.library.models import Location, MediaItem, StockTake


def place_label(item: MediaItem) -> str:
    """Where the item is, in a few words: "Shelf 3 (LOC-...)", "with Ana Grey, due 3 Mar",
    "in transit with DHL to ITV". Reads the item's own fields and its location and
    holder, which callers select_related."""
    if item.custody == MediaItem.Custody.LOCATION:
        return f"{item.location.name} ({item.location.barcode})" if item.location else "?"
    if item.custody == MediaItem.Custody.PERSON:
        who = item.holder.display_name if item.holder_id else item.holder_name
        due = f", due back {item.due_back:%-d %b %Y}" if item.due_back else ""
        return f"with {who}{due}"
    to = f" to {item.destination}" if item.destination else ""
    return f"in transit with {item.courier}{to}"


def is_overdue(item: MediaItem, today: datetime.date) -> bool:
    return (
        item.custody == MediaItem.Custody.PERSON
        and item.due_back is not None
        and item.due_back < today
    )


def place(item: MediaItem, today: datetime.date) -> dict:
    """The item's place as the API answers it: exactly one of the three filled in."""
    return {
        "custody": item.custody,
        "label": place_label(item),
        "location": item.location_id,
        "location_barcode": item.location.barcode if item.location_id else None,
        "holder": item.holder_id,
        "holder_name": (item.holder.display_name if item.holder_id else (item.holder_name or None)),
        "due_back": item.due_back,
        "overdue": is_overdue(item, today),
        "courier": item.courier or None,
        "tracking": item.tracking or None,
        "destination": item.destination or None,
        "since": item.placed_at,
    }


def location_tree(under: Location | None, include_archived: bool = False) -> list[dict]:
    """The location tree (or the subtree of `under`) in tree order, each node with its
    roll-up counts (`direct`, `total`): one query per root (queries.location_rollup)."""
    if under is not None:
        roots = [under]
    else:
        roots = Location.objects.filter(parent=None).order_by("path")
        if not include_archived:
            roots = roots.filter(archived=False)
    nodes = [
        node
        for root in roots
        for node in queries.location_rollup(root, include_archived=include_archived)
    ]
    for node in nodes:
        node["level"] = node["path"].count("/") - 2
        node["kind_label"] = Location.Kind(node["kind"]).label
    return nodes


def stocktakes():
    """Stock-takes with their location and the number of codes scanned so far."""
    return StockTake.objects.select_related("location", "started_by", "closed_by").annotate(
        scan_count=Count("scans")
    )
