"""Concurrent custody changes through the API are serialised, never a 500: sixteen real
threads move one item, each through its own connection; every answer is a 200 or a 409,
the history is one chain and the item ends where the last movement put it."""

import itertools
import threading

import pytest
from django.db import connections

from postdesk.library.models import MediaItem, Movement

pytestmark = pytest.mark.django_db(transaction=True)

THREADS = 16


def test_sixteen_concurrent_api_moves_of_one_item_answer_200_or_409_and_leave_one_chain(
    api_as, register, vault
):
    item = register()
    shelves = [vault["shelf1"], vault["shelf2"], vault["shelf3"]]
    api = api_as("library")
    statuses = []
    start = threading.Barrier(THREADS)

    def move(n: int) -> None:
        try:
            start.wait()
            response = api.post(f"media/{item.pk}/move", {"location": shelves[n % 3].pk})
            statuses.append(response.status_code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=move, args=(n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(statuses) == THREADS
    assert set(statuses) <= {200, 409}, statuses
    moves = list(Movement.objects.filter(item=item).order_by("at", "id"))
    assert len(moves) == 1 + statuses.count(200)
    for before, after in itertools.pairwise(moves):
        assert after.from_place["location"] == before.to_place["location"]
    item = MediaItem.objects.get(pk=item.pk)
    assert item.location_id == moves[-1].to_place["location"]
