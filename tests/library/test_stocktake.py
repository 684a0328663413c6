"""Stock-takes: found, missing, misplaced (outside the subtree, with a person, or on
another shelf inside it), unknown; items outside the subtree never missing; several
sessions; a frozen result; resolving a misplaced item; a 500-item shelf closed in a
handful of queries."""

import pytest

from postdesk.core.errors import InvalidInput, InvalidTransition
from postdesk.library import services
from postdesk.library.models import MediaItem, Movement, StockTake

pytestmark = pytest.mark.django_db


@pytest.fixture
def stock(register, librarian, vault, users, next_week):
    """On rack 1: A and B on shelf 1, C on shelf 2. Elsewhere: D on shelf 3 (rack 2),
    E checked out."""
    return {
        "A": register(barcode="A", location=vault["shelf1"]),
        "B": register(barcode="B", location=vault["shelf1"]),
        "C": register(barcode="C", location=vault["shelf2"]),
        "D": register(barcode="D", location=vault["shelf3"]),
        "E": register(barcode="E", holder=users["runner"], due_back=next_week),
    }


def codes(entries, key="barcode"):
    return [entry[key] for entry in entries]


def test_the_four_classes(librarian, vault, stock):
    take = services.start_stocktake(vault["rack1"], actor=librarian)
    # Shelf 1 holds A, D (recorded on rack 2) and E (recorded with a person), plus a
    # stranger; shelf 2 holds B (recorded on shelf 1). C is nowhere to be seen.
    services.record_scans(take, ["LOC-VAULT-A-R1-S1", "A", "d", "E", "XX-99"], actor=librarian)
    services.record_scans(take, ["LOC-VAULT-A-R1-S2", "B"], actor=librarian)

    closed = services.close_stocktake(take, actor=librarian)

    result = closed.result
    assert codes(result["found"]) == ["A"]
    assert codes(result["missing"]) == ["C"]
    assert codes(result["misplaced"]) == ["B", "D", "E"]
    misplaced = {e["barcode"]: e for e in result["misplaced"]}
    assert misplaced["B"]["found_at"] == vault["shelf2"].pk
    assert misplaced["B"]["recorded"] == "Shelf 1 (LOC-VAULT-A-R1-S1)"
    assert misplaced["D"]["recorded"] == "Shelf 3 (LOC-VAULT-A-R2-S3)"
    assert misplaced["E"]["recorded"] == stock["E"].holder.display_name
    assert result["unknown"] == [
        {
            "code": "XX-99",
            "found_at": vault["shelf1"].pk,
            "found_at_label": "Shelf 1 (LOC-VAULT-A-R1-S1)",
        }
    ]
    assert result["counts"] == {"found": 1, "missing": 1, "misplaced": 3, "unknown": 1}
    assert closed.status == StockTake.Status.CLOSED


def test_items_outside_the_subtree_are_never_missing(librarian, vault, stock):
    take = services.start_stocktake(vault["shelf2"], actor=librarian)
    services.record_scans(take, ["C"], actor=librarian)

    result = services.close_stocktake(take, actor=librarian).result

    assert codes(result["found"]) == ["C"]
    assert result["missing"] == [] and result["misplaced"] == []


def test_sessions_remember_each_persons_shelf(librarian, vault, stock, make_user):
    helper = make_user("library", "second-librarian")
    take = services.start_stocktake(vault["rack1"], actor=librarian)
    services.record_scans(take, ["LOC-VAULT-A-R1-S1", "A"], actor=librarian)
    services.record_scans(take, ["LOC-VAULT-A-R1-S2", "C"], actor=helper)
    # Later sessions: each person carries on at the shelf they scanned last.
    services.record_scans(take, ["B"], actor=librarian)

    result = services.close_stocktake(take, actor=librarian).result

    assert codes(result["found"]) == ["A", "B", "C"]


def test_an_item_scanned_twice_counts_where_it_was_scanned_last(librarian, vault, stock):
    take = services.start_stocktake(vault["rack1"], actor=librarian)
    services.record_scans(
        take, ["LOC-VAULT-A-R1-S2", "A", "LOC-VAULT-A-R1-S1", "A"], actor=librarian
    )

    result = services.close_stocktake(take, actor=librarian).result

    assert codes(result["found"]) == ["A"]


def test_a_shelf_outside_the_subtree_refuses_the_batch(librarian, vault, stock):
    take = services.start_stocktake(vault["rack1"], actor=librarian)

    with pytest.raises(InvalidInput):
        services.record_scans(take, ["A", "LOC-VAULT-A-R2-S3", "D"], actor=librarian)

    assert take.scans.count() == 0


def test_the_result_is_frozen_and_a_closed_stocktake_takes_no_scans(librarian, vault, stock):
    take = services.start_stocktake(vault["rack1"], actor=librarian)
    services.record_scans(take, ["LOC-VAULT-A-R1-S1", "A", "B"], actor=librarian)
    services.close_stocktake(take, actor=librarian)

    services.move(stock["A"], vault["shelf3"], actor=librarian)

    take.refresh_from_db()
    assert codes(take.result["found"]) == ["A", "B"]
    with pytest.raises(InvalidTransition):
        services.record_scans(take, ["C"], actor=librarian)
    with pytest.raises(InvalidTransition):
        services.close_stocktake(take, actor=librarian)


def test_resolving_a_misplaced_item_moves_it_where_it_was_found(librarian, vault, stock):
    take = services.start_stocktake(vault["rack1"], actor=librarian)
    services.record_scans(take, ["LOC-VAULT-A-R1-S2", "D", "C"], actor=librarian)
    services.close_stocktake(take, actor=librarian)

    movement = services.resolve_misplaced(
        take, stock["D"], actor=librarian, reason="Shelved on the wrong rack"
    )

    item = MediaItem.objects.get(pk=stock["D"].pk)
    assert item.location == vault["shelf2"]
    assert movement.action == Movement.Action.STOCKTAKE
    assert movement.note == f"Stock-take {take.pk}: Shelved on the wrong rack"
    take.refresh_from_db()
    assert [r["item"] for r in take.result["resolved"]] == [stock["D"].pk]
    with pytest.raises(InvalidTransition):
        services.resolve_misplaced(take, stock["D"], actor=librarian, reason="again")
    with pytest.raises(InvalidInput):
        services.resolve_misplaced(take, stock["C"], actor=librarian, reason="was found")


def test_closing_a_500_item_shelf_is_a_handful_of_queries(
    librarian, vault, django_assert_max_num_queries
):
    from django.utils import timezone

    now = timezone.now()
    shelf = vault["shelf1"]
    MediaItem.objects.bulk_create(
        MediaItem(
            barcode=f"BULK-{n:04d}",
            title=f"Bulk {n}",
            kind="tape",
            format="hdcam",
            generation="dub",
            custody="location",
            location=shelf,
            placed_at=now,
        )
        for n in range(500)
    )
    take = services.start_stocktake(shelf, actor=librarian)
    scanned = [f"BULK-{n:04d}" for n in range(0, 500) if n % 10] + ["WHO-KNOWS"]
    services.record_scans(take, scanned, actor=librarian)

    with django_assert_max_num_queries(8):
        result = services.close_stocktake(take, actor=librarian).result

    assert result["counts"] == {"found": 450, "missing": 50, "misplaced": 0, "unknown": 1}
