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
