"""Reads the library's API, pages and tools share: items a user may see, lineage
(each direction one recursive query however deep), location roll-ups (one query per
subtree), what is overdue, out, in today, and past retention.

Lineage is a directed acyclic graph (services.add_parents refuses loops); both walks are
one `WITH RECURSIVE` statement that runs unchanged on SQLite and PostgreSQL, bounded by
MAX_LINEAGE_DEPTH so a damaged table could never make them run away.
"""

import datetime
from collections.abc import Iterable

from django.db import connection
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from postdesk.core.roles import scope_to_client
from postdesk.core.timeutil import facility_zone, local_day_bounds
from postdesk.library.models import Location, MediaItem, Movement, StockTake

Custody = MediaItem.Custody
MAX_LINEAGE_DEPTH = 64

# --- items ------------------------------------------------------------------------------


def items_for(user, *, include_archived: bool = False) -> QuerySet:
    """The media items `user` may see: every item for staff with view_media, their own
    company's for a client user (MediaItem.client); archived ones only when asked."""
    items = scope_to_client(user, MediaItem.objects.all(), "client")
    if not include_archived:
        items = items.filter(archived_at__isnull=True)
    return items


def history(item) -> QuerySet:
    """The item's movements, oldest first: replaying them gives where it is."""
    pk = item.pk if hasattr(item, "pk") else item
    return Movement.objects.filter(item_id=pk).order_by("at", "id")


def items_in_subtree(location) -> QuerySet:
    """Items at `location` or anywhere below it (a location implies custody=location, by
    the item_in_one_place check; asked as well, SQLite read every item at a location
    through the custody index)."""
    return MediaItem.objects.filter(location_id__in=Location.ids_under(location.path))


# --- lineage ----------------------------------------------------------------------------

# `{start}` and `{step}` name the derivation's columns walked from and to: parent -> child
# for descendants, child -> parent for ancestors. Each row of `walk` is one derivation
# edge reached, with its distance from the start.
_LINEAGE_SQL = """
WITH RECURSIVE walk(parent_id, child_id, depth) AS (
    SELECT d.parent_id, d.child_id, 1
    FROM library_derivation d
    WHERE d.{start} IN ({placeholders})
    UNION
    SELECT d.parent_id, d.child_id, w.depth + 1
    FROM library_derivation d
    JOIN walk w ON d.{start} = w.{step}
    WHERE w.depth < %s
)
SELECT w.parent_id, w.child_id, w.depth, i.id, i.barcode, i.title, i.kind, i.format,
       i.generation, i.custody, i.destroyed_at, i.on_hold, i.client_id
FROM walk w
JOIN library_mediaitem i ON i.id = w.{step}
ORDER BY w.depth, i.barcode
"""

_ITEM_COLUMNS = (
    "id",
    "barcode",
    "title",
    "kind",
    "format",
    "generation",
    "custody",
    "destroyed_at",
    "on_hold",
    "client_id",
)


def _walk(ids: Iterable[int], *, down: bool) -> list[dict]:
    ids = list(dict.fromkeys(ids))
    if not ids:
        return []
    start, step = ("parent_id", "child_id") if down else ("child_id", "parent_id")
    sql = _LINEAGE_SQL.format(start=start, step=step, placeholders=", ".join(["%s"] * len(ids)))
    with connection.cursor() as cursor:
        cursor.execute(sql, [*ids, MAX_LINEAGE_DEPTH])
        rows = cursor.fetchall()
    found: dict[int, dict] = {}
    for parent_id, child_id, depth, *item in rows:
        entry = found.get(item[0])
        if entry is None:
            entry = dict(zip(_ITEM_COLUMNS, item, strict=True))
            entry["destroyed"] = entry.pop("destroyed_at") is not None
            entry["on_hold"] = bool(entry["on_hold"])
            entry["depth"] = depth
            entry["parents" if down else "children"] = []
            found[item[0]] = entry
        # The edge that reached this item: its other end is nearer the start.
        entry["parents" if down else "children"].append(parent_id if down else child_id)
    for entry in found.values():
        key = "parents" if down else "children"
        entry[key] = sorted(set(entry[key]))
    return list(found.values())


def descendants(item) -> list[dict]:
    """Every copy made from `item`, to any depth, in one query: dicts of the copy's
    id, barcode, title, kind, format, generation, custody, destroyed, on_hold,
    client_id, `depth` (1: made from `item` itself; the shortest way when there are
    several) and `parents` (the items it was made from, among `item` and its copies),
    nearest first."""
    return _walk([getattr(item, "pk", item)], down=True)


def ancestors(item) -> list[dict]:
    """Everything `item` was made from, to any depth, in one query: as descendants()
    but with `children` (what each was copied into, towards `item`) for `parents`."""
    return _walk([getattr(item, "pk", item)], down=False)


def descendants_of(ids) -> list[dict]:
    """descendants() of several items at once (their copies, any depth), in one query."""
    return _walk(ids, down=True)


def descendant_ids(ids) -> set[int]:
    """The ids of every copy made from any of `ids` (an id or several), in one query."""
    if isinstance(ids, int):
        ids = [ids]
    return {entry["id"] for entry in _walk(ids, down=True)}


# --- locations --------------------------------------------------------------------------


def location_rollup(location, *, include_archived: bool = False) -> list[dict]:
    """`location` and every location below it, in tree order (a parent before its
    children), each with `direct` (items at that very place) and `total` (at it or
    anywhere below): one query for the whole subtree, summed up the paths here.

    Each node: id, name, barcode, kind, parent_id, path, archived, depth (0 for
    `location`), direct, total. Archived and destroyed items are not counted."""
    rows = _rollup_rows(location.path, include_archived)
    by_id = {row["id"]: row for row in rows}
    base_depth = location.path.count("/") - 1
    for row in rows:
        row["depth"] = row["path"].count("/") - 1 - base_depth
        row["total"] = 0
    for row in rows:
        for ancestor in row["path"].strip("/").split("/"):
            node = by_id.get(int(ancestor))
            if node is not None:
                node["total"] += row["direct"]
    return rows


def _rollup_rows(prefix: str, include_archived: bool) -> list[dict]:
    nodes = Location.objects.filter(path__startswith=prefix)
    if not include_archived:
        nodes = nodes.filter(archived=False)
    live = Q(items__destroyed_at__isnull=True, items__archived_at__isnull=True)
    return list(
        nodes.order_by("path")
        .values("id", "name", "barcode", "kind", "parent_id", "path", "archived")
        .annotate(direct=Count("items", filter=live))
    )


# --- custody lists ------------------------------------------------------------------------


def overdue(today: datetime.date | None = None) -> QuerySet:
    """Check-outs past their due-back date, most overdue first: who holds what (`holder`
    or `holder_name`), since when (`placed_at`), due when (`due_back`), and the
    reminders sent."""
    today = today or timezone.localdate()
    return (
        MediaItem.objects.filter(
            custody=Custody.PERSON, due_back__lt=today, destroyed_at__isnull=True
        )
        .select_related("holder", "production")
        .order_by("due_back", "barcode")
    )


def out_now() -> QuerySet:
    """Items not on a shelf: with a person or in transit, the longest out first."""
    return (
        MediaItem.objects.filter(custody__in=[Custody.PERSON, Custody.TRANSIT])
        .select_related("holder", "production")
        .order_by("placed_at", "barcode")
    )


def came_in(day: datetime.date | None = None) -> QuerySet:
    """The registrations and receipts of `day` (the facility's local day, default today):
    movements, newest first, with their items."""
    day = day or timezone.localdate()
    start, end = local_day_bounds(day, facility_zone())
    return (
        Movement.objects.filter(
            at__gte=start,
            at__lt=end,
            action__in=[Movement.Action.REGISTER, Movement.Action.RECEIVE],
        )
        .select_related("item")
        .order_by("-at", "-id")
    )


def past_retention(today: datetime.date | None = None) -> QuerySet:
    """Items whose retention date has passed and that still exist, oldest date first;
    `on_hold` says which of them may not be destroyed."""
    today = today or timezone.localdate()
    return MediaItem.objects.filter(retention_until__lt=today, destroyed_at__isnull=True).order_by(
        "retention_until", "barcode"
    )


# --- the library's home cards: what `user` may see of today's custody work -----------------


def out_for(user) -> QuerySet:
    """Live items off the shelf (with a person or in transit) that `user` may see, the
    longest out first."""
    live = out_now().filter(destroyed_at__isnull=True, archived_at__isnull=True)
    return scope_to_client(user, live, "client")


def overdue_for(user, today: datetime.date | None = None) -> QuerySet:
    return scope_to_client(user, overdue(today), "client")


def came_in_for(user, day: datetime.date | None = None) -> QuerySet:
    return scope_to_client(user, came_in(day), "item__client")


def open_stocktakes() -> QuerySet:
    """Stock-takes still counting, oldest first, with the location they count."""
    return (
        StockTake.objects.filter(status=StockTake.Status.OPEN)
        .select_related("location")
        .order_by("started_at", "pk")
    )
