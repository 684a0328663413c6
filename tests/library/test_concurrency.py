"""Real threads against the real database: concurrent moves of one item serialise, so its
history stays one chain and it ends in exactly one place (issue 13, custody)."""

import itertools
import threading

import pytest
from django.db import connection

from postdesk.core.errors import InvalidTransition
from postdesk.library import services
from postdesk.library.models import MediaItem, Movement

pytestmark = [pytest.mark.concurrency, pytest.mark.django_db(transaction=True)]

THREADS = 16


def race(work) -> list:
    """Run work(i) in THREADS threads released together; return their outcomes."""
    barrier = threading.Barrier(THREADS)
    outcomes: list = [None] * THREADS

    def run(i):
        try:
            barrier.wait()
            outcomes[i] = work(i)
        except Exception as exc:
            outcomes[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return outcomes


def assert_single_chain(item):
    moves = list(Movement.objects.filter(item=item).order_by("at", "id"))
    assert moves[0].action == "register"
    for previous, following in itertools.pairwise(moves):
        assert following.from_place == previous.to_place, (previous.pk, following.pk)
    item.refresh_from_db()
    last = moves[-1].to_place
    assert last["custody"] == item.custody
    if item.custody == "location":
        assert last["location"] == item.location_id
    return moves


def test_sixteen_threads_moving_one_item_leave_one_chain(register, librarian, vault, site):
    shelves = [
        services.create_location(
            actor=librarian, name=f"Race shelf {i}", kind="shelf", parent=vault["rack1"]
        )
        for i in range(THREADS)
    ]
    item = register()

    outcomes = race(lambda i: services.move(item, shelves[i], actor=librarian))

    assert all(isinstance(o, Movement) for o in outcomes), outcomes
    moves = assert_single_chain(item)
    assert len(moves) == THREADS + 1
    # Every thread's destination appears once, and the item is at the last one.
    assert sorted(m.to_place["location"] for m in moves[1:]) == sorted(s.pk for s in shelves)
    assert MediaItem.objects.get(pk=item.pk).location_id == moves[-1].to_place["location"]


def test_sixteen_threads_mixing_verbs_on_one_item(register, librarian, users, vault, next_week):
    """Moves, check-outs, check-ins and dispatches at once: each either happens from the
    place its predecessor left, or is refused as impossible from there; never a 500."""
    item = register()
    verbs = [
        lambda: services.move(item, vault["shelf2"], actor=librarian),
        lambda: services.move(item, vault["shelf3"], actor=librarian),
        lambda: services.check_out(
            item, actor=librarian, holder=users["runner"], due_back=next_week
        ),
        lambda: services.check_in(item, vault["shelf1"], actor=librarian),
        lambda: services.dispatch(item, actor=librarian, courier="X", destination="Y"),
        lambda: services.receive(item, vault["shelf2"], actor=librarian),
    ]

    outcomes = race(lambda i: verbs[i % len(verbs)]())

    happened = [o for o in outcomes if isinstance(o, Movement)]
    refused = [o for o in outcomes if not isinstance(o, Movement)]
    assert all(isinstance(o, InvalidTransition) for o in refused), refused
    moves = assert_single_chain(item)
    assert len(moves) == len(happened) + 1


def test_two_locations_moved_under_each_other_at_once_never_deadlock(librarian, vault):
    """A under B and B under A together: one wins, the other is refused (a location
    never goes under its own subtree), and the tree stays a tree."""
    from postdesk.core.errors import InvalidInput
    from postdesk.library.models import Location

    a, b = vault["rack1"], vault["rack2"]
    pairs = [(a, b), (b, a)]

    outcomes = race(
        lambda i: services.move_location(pairs[i % 2][0], actor=librarian, parent=pairs[i % 2][1])
    )

    assert all(isinstance(o, Location | InvalidInput) for o in outcomes), outcomes
    a.refresh_from_db()
    b.refresh_from_db()
    assert not (a.parent_id == b.pk and b.parent_id == a.pk)
    for loc in Location.objects.all():
        expected = f"{loc.parent.path}{loc.pk}/" if loc.parent_id else f"/{loc.pk}/"
        assert loc.path == expected, loc


def test_two_racks_moved_under_each_others_shelves_at_once_make_no_loop(librarian, vault):
    """Rack 1 under a shelf of rack 2 and rack 2 under a shelf of rack 1: together they
    would make a loop; the moves share locked ancestors, so the second sees the first."""
    from postdesk.core.errors import InvalidInput
    from postdesk.library.models import Location

    moves = [(vault["rack1"], vault["shelf3"]), (vault["rack2"], vault["shelf1"])]

    outcomes = race(
        lambda i: services.move_location(moves[i % 2][0], actor=librarian, parent=moves[i % 2][1])
    )

    assert all(isinstance(o, Location | InvalidInput) for o in outcomes), outcomes
    for loc in Location.objects.select_related("parent"):
        expected = f"{loc.parent.path}{loc.pk}/" if loc.parent_id else f"/{loc.pk}/"
        assert loc.path == expected, loc
        # Walking up from anywhere reaches a root.
        seen, up = set(), loc
        while up.parent_id is not None:
            assert up.pk not in seen, "loop"
            seen.add(up.pk)
            up = Location.objects.get(pk=up.parent_id)


def test_sixteen_overlapping_scans_in_any_order_all_move_without_deadlock(
    register, librarian, vault
):
    """Scans of the same four items, listed in different orders, to different shelves:
    items are locked in id order, so none deadlocks; every item keeps one chain."""
    items = [register(barcode=f"S-{n}") for n in range(4)]
    shelves = ["shelf1", "shelf2", "shelf3"]

    def work(i):
        codes = [item.barcode for item in (items if i % 2 else items[::-1])]
        return services.scan_move([*codes, vault[shelves[i % 3]].barcode], actor=librarian)

    outcomes = race(work)

    assert all(isinstance(o, dict) for o in outcomes), outcomes
    assert all(o["refused"] == [] for o in outcomes), outcomes
    for item in items:
        assert_single_chain(item)
