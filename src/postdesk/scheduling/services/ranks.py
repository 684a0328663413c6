"""Pencil ranks: the order in which the pencils on a resource hold overlapping time.

Per resource, pencils that overlap one another form a group, ranked 1..n by when their
holds were made (held_since, then id). Every write that adds, moves or ends a pencil
re-ranks the groups around its old and new spans.
"""

from collections import defaultdict
from collections.abc import Iterable, Sequence

from django.db.models import Case, IntegerField, Value, When

from postdesk.scheduling.models import Allocation, Booking
from postdesk.scheduling.services.conflicts import _overlapping

Status = Booking.Status


def _pencil_rows(resource_ids, lo, hi) -> list[tuple]:
    """Active pencil allocations of these resources in every overlap group touching
    [lo, hi): the window widens until no pencil straddles its edges."""
    while True:
        rows = list(
            _overlapping(resource_ids, lo, hi)
            .filter(status=Status.PENCIL)
            .values_list("id", "resource_id", "start", "end", "hold_rank", "held_since")
        )
        new_lo = min([lo, *(r[2] for r in rows)])
        new_hi = max([hi, *(r[3] for r in rows)])
        if (new_lo, new_hi) == (lo, hi):
            return rows
        lo, hi = new_lo, new_hi


def rank_groups(rows: Iterable[tuple]) -> dict:
    """{key: rank} for rows (key, resource_id, start, end): per resource, overlap groups
    (connected components, half-open) ranked 1..n in key order (the order the holds were
    made: (held_since, id))."""
    by_resource = defaultdict(list)
    for row in rows:
        by_resource[row[1]].append(row)
    ranks = {}
    for items in by_resource.values():
        items.sort(key=lambda r: (r[2], r[0]))
        group: list = []
        group_end = None
        for row in [*items, None]:
            if row is not None and group and row[2] < group_end:
                group.append(row)
                group_end = max(group_end, row[3])
                continue
            for rank, member in enumerate(sorted(group, key=lambda r: r[0]), start=1):
                ranks[member[0]] = rank
            if row is not None:
                group, group_end = [row], row[3]
    return ranks


def _rerank(resource_ids, lo, hi, pending: Sequence[Allocation] = ()) -> None:
    """Recompute pencil ranks around [lo, hi); give `pending` (not yet saved) allocations
    their rank in place and update stored ranks that changed.

    Holds rank by when they were made (held_since), then by id; pending ones come after
    stored ones made at the same moment."""
    rows = _pencil_rows(resource_ids, lo, hi)
    big = 1 << 62
    keyed = [((r[5], r[0]), r[1], r[2], r[3]) for r in rows]
    pending_keyed = [((a.held_since, big + i), a) for i, a in enumerate(pending)]
    keyed += [(key, a.resource_id, a.start, a.end) for key, a in pending_keyed]
    ranks = rank_groups(keyed)
    for key, allocation in pending_keyed:
        allocation.hold_rank = ranks[key]
    changed = {r[0]: ranks[(r[5], r[0])] for r in rows if ranks[(r[5], r[0])] != r[4]}
    if changed:
        Allocation.objects.filter(pk__in=list(changed)).update(
            hold_rank=Case(
                *[When(pk=pk, then=Value(rank)) for pk, rank in changed.items()],
                output_field=IntegerField(),
            )
        )


def _higher_pencils(booking: Booking, ids) -> list[int]:
    """Allocation ids of active pencils made before this booking's own allocation on the
    same resource that overlap it (in the order holds rank: held_since, then id)."""
    own = {
        resource_id: (held_since, pk)
        for resource_id, held_since, pk in Allocation.objects.filter(
            booking_id=booking.pk
        ).values_list("resource_id", "held_since", "id")
    }
    rows = (
        _overlapping(ids, booking.start, booking.end)
        .filter(status=Status.PENCIL)
        .exclude(booking_id=booking.pk)
        .values_list("id", "resource_id", "held_since")
    )
    return [
        pk
        for pk, resource_id, held_since in rows
        if resource_id in own and (held_since, pk) < own[resource_id]
    ]
