"""Real threads against the real database: exactly one of many conflicting writers wins."""

import datetime
import threading

import pytest
from django.db import connection

from postdesk.core.audit import SYSTEM
from postdesk.core.errors import Conflict
from postdesk.scheduling import services
from postdesk.scheduling.models import Allocation, Booking

pytestmark = [
    pytest.mark.concurrency,
    pytest.mark.django_db(transaction=True),
]

THREADS = 16
ROUNDS = 10
BASE = datetime.datetime(2026, 3, 2, 9, tzinfo=datetime.UTC)
HOUR = datetime.timedelta(hours=1)


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


@pytest.fixture
def rooms(site):
    return [
        services.create_resource(actor=SYSTEM, kind="room", name=f"Race room {i}", site=site)
        for i in range(3)
    ]


def test_sixteen_conflicting_confirmed_creates_one_winner_per_round(job, rooms):
    for round_no in range(ROUNDS):
        day = BASE + datetime.timedelta(days=round_no)

        def work(i, day=day):
            # Every request overlaps every other; the resource order varies to tempt deadlocks.
            chosen = [rooms[0], rooms[1 + i % 2]] if i % 3 else [rooms[2], rooms[0]]
            return services.create_booking(
                job=job,
                resources=chosen,
                start=day + (i % 4) * HOUR,
                end=day + (5 + i % 3) * HOUR,
                status="confirmed",
                actor=SYSTEM,
            )

        outcomes = race(work)

        winners = [o for o in outcomes if isinstance(o, Booking)]
        losers = [o for o in outcomes if not isinstance(o, Booking)]
        assert len(winners) == 1, outcomes
        assert all(isinstance(o, services.BookingConflict) for o in losers), losers
        assert all(o.details["conflicts"] for o in losers)
    assert Booking.objects.count() == ROUNDS


def test_sixteen_pencils_confirming_at_once_one_winner_per_round(job, other_job, rooms):
    for round_no in range(ROUNDS):
        day = BASE + datetime.timedelta(days=round_no)
        pencils = [
            services.create_booking(
                job=job if i % 2 else other_job,
                resources=[rooms[0]],
                start=day + (i % 3) * HOUR,
                end=day + 6 * HOUR,
                status="pencil",
                actor=SYSTEM,
            )
            for i in range(THREADS)
        ]

        outcomes = race(
            lambda i, pencils=pencils: services.confirm_booking(pencils[i], actor=SYSTEM)
        )

        winners = [o for o in outcomes if isinstance(o, Booking)]
        assert len(winners) == 1, outcomes
        assert winners[0].pk == pencils[0].pk
        assert all(isinstance(o, Conflict) for o in outcomes if o is not winners[0]), outcomes
    blocking = Allocation.objects.filter(blocking=True).count()
    assert blocking == ROUNDS


def test_api_race_gives_one_201_and_409s(api_as, job, rooms):
    headers = api_as("bookings").headers

    for round_no in range(3):
        day = BASE + datetime.timedelta(days=round_no)

        def work(i, day=day):
            from django.test import Client

            response = Client().post(
                "/api/v1/bookings",
                {
                    "job": job.pk,
                    "resources": [rooms[0].pk],
                    "status": "confirmed",
                    "start": (day + (i % 4) * HOUR).isoformat(),
                    "end": (day + 6 * HOUR).isoformat(),
                },
                content_type="application/json",
                **headers,
            )
            return response.status_code, response.json()[
                "code"
            ] if response.status_code != 201 else ""

        outcomes = race(work)

        assert sorted(outcomes) == [(201, "")] + [(409, "booking_conflict")] * (THREADS - 1)
    assert Booking.objects.count() == 3
