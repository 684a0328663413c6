"""The location tree: barcodes, materialised paths, moving a subtree, archiving, and the
roll-up counts of a subtree in one query."""

import pytest

from postdesk.core.errors import Conflict, InvalidInput
from postdesk.library import queries, services
from postdesk.library.models import Location

pytestmark = pytest.mark.django_db


def test_paths_follow_the_tree_and_barcodes_are_generated(librarian, vault):
    loose = services.create_location(actor=librarian, name="Bay", kind="room")

    assert vault["shelf1"].path == (
        f"/{vault['site'].pk}/{vault['vault'].pk}/{vault['rack1'].pk}/{vault['shelf1'].pk}/"
    )
    assert loose.barcode == "LOC-000001"
    assert loose.path == f"/{loose.pk}/"
    assert vault["shelf3"].site == vault["site"].site


def test_a_barcode_in_use_anywhere_is_refused(librarian, vault, register):
    register(barcode="TAPE-9")
    for code in ("loc-vault-a", "TAPE-9"):
        with pytest.raises(Conflict):
            services.create_location(actor=librarian, name="X", kind="shelf", barcode=code)


def test_two_siblings_cannot_share_a_name(librarian, vault):
    with pytest.raises(Conflict):
        services.create_location(
            actor=librarian, name="Shelf 1", kind="shelf", parent=vault["rack1"]
        )


def test_moving_a_rack_rewrites_its_subtree_in_one_update(
    librarian, vault, django_assert_max_num_queries
):
    other = services.create_location(
        actor=librarian, name="Vault B", kind="vault", parent=vault["site"]
    )

    with django_assert_max_num_queries(12):
        services.move_location(vault["rack1"], actor=librarian, parent=other)

    rack = Location.objects.get(pk=vault["rack1"].pk)
    shelf = Location.objects.get(pk=vault["shelf2"].pk)
    assert rack.parent == other
    assert rack.path == f"{other.path}{rack.pk}/"
    assert shelf.path == f"{other.path}{rack.pk}/{shelf.pk}/"
    assert Location.objects.get(pk=vault["shelf3"].pk).path.startswith(vault["vault"].path)


def test_a_location_never_goes_under_its_own_subtree(librarian, vault):
    for below in ("rack1", "shelf1"):
        with pytest.raises(InvalidInput):
            services.move_location(vault["rack1"], actor=librarian, parent=vault[below])
    assert Location.objects.get(pk=vault["rack1"].pk).parent == vault["vault"]


def test_archiving_is_refused_while_the_subtree_holds_items(librarian, vault, register):
    register(location=vault["shelf2"])

    with pytest.raises(services.LocationNotEmpty) as refused:
        services.archive_location(vault["rack1"], actor=librarian)

    assert refused.value.details == {"items": 1}
    assert not Location.objects.filter(archived=True).exists()
    services.archive_location(vault["rack2"], actor=librarian)
    assert set(Location.objects.filter(archived=True)) == {vault["rack2"], vault["shelf3"]}


def test_rename(librarian, vault):
    services.rename_location(vault["shelf1"], actor=librarian, name="Top shelf")
    assert Location.objects.get(pk=vault["shelf1"].pk).name == "Top shelf"


def test_rollup_counts_a_subtree_in_one_query(
    librarian, vault, register, users, next_week, django_assert_num_queries
):
    for _ in range(3):
        register(location=vault["shelf1"])
    register(location=vault["shelf2"])
    register(location=vault["shelf3"])
    register(location=vault["rack1"])
    out = register(location=vault["shelf1"])
    services.check_out(out, actor=librarian, holder=users["runner"], due_back=next_week)
    gone = register(location=vault["shelf2"])
    services.archive_item(gone, actor=librarian, reason="Registered twice")

    with django_assert_num_queries(1):
        rows = queries.location_rollup(vault["vault"])

    table = {row["name"]: (row["depth"], row["direct"], row["total"]) for row in rows}
    assert table == {
        "Vault A": (0, 0, 6),
        "Rack 1": (1, 1, 5),
        "Shelf 1": (2, 3, 3),
        "Shelf 2": (2, 1, 1),
        "Rack 2": (1, 0, 1),
        "Shelf 3": (2, 1, 1),
    }
    # Tree order: every node comes after its parent.
    seen = set()
    for row in rows:
        assert row["parent_id"] in seen or row["id"] == vault["vault"].pk
        seen.add(row["id"])
