"""Preventive maintenance: due by days or by hours booked on the board; placing a task in
the room's next free window that fits."""

import pytest

from postdesk.core.errors import InvalidInput
from postdesk.engineering import queries, services
from postdesk.scheduling.models import Allocation

from .conftest import at


def test_due_after_n_days(users, rooms):
    s = services.create_schedule(
        actor=users["engineer"],
        title="Clean projector filters",
        room=rooms["grade1"],
        every_days=7,
        last_done_at=at(1, 9),
    )
    assert queries.schedule_status(s, now=at(8, 8, 59))["due"] is False
    assert queries.schedule_status(s, now=at(8, 9))["due"] is True


def test_due_after_n_booked_hours_counted_from_the_board(users, rooms, book):
    s = services.create_schedule(
        actor=users["engineer"],
        title="Recalibrate monitor",
        room=rooms["grade1"],
        every_booked_hours=10,
        last_done_at=at(2, 0),
    )
    book([rooms["grade1"]], at(1, 20), at(2, 4))  # 4 hours after it was done
    book([rooms["grade1"]], at(3, 9), at(3, 14))  # 5 hours
    book([rooms["grade1"]], at(4, 9), at(4, 19), status="pencil")  # pencils are not use
    status = queries.schedule_status(s, now=at(5, 0))
    assert (status["due"], status["used_hours"]) == (False, 9.0)
    book([rooms["grade1"]], at(5, 9), at(5, 10))
    status = queries.schedule_status(s, now=at(6, 0))
    assert (status["due"], status["used_hours"]) == (True, 10.0)
    assert [d["schedule"].pk for d in queries.maintenance_due(now=at(6, 0))] == [s.pk]


def test_placing_a_task_takes_the_next_free_window_that_fits(users, rooms, book):
    s = services.create_schedule(
        actor=users["engineer"],
        title="Desk service",
        room=rooms["grade1"],
        every_days=30,
        duration_minutes=180,
        last_done_at=at(1, 0),
    )
    book([rooms["grade1"]], at(2, 9), at(2, 11))
    book([rooms["grade1"]], at(2, 13), at(2, 18))  # 2-hour gap 11-13 is too short
    block = services.place_task(s, actor=users["engineer"], now=at(2, 9))
    assert (block.start, block.end, block.kind) == (at(2, 18), at(2, 21), "maintenance")
    s.refresh_from_db()
    assert s.placed_id == block.pk
    services.mark_done(s, actor=users["engineer"], at=at(2, 21))
    s.refresh_from_db()
    assert (s.last_done_at, s.placed_id) == (at(2, 21), None)
    assert Allocation.objects.filter(booking=block, resource=rooms["grade1"]).exists()


def test_a_schedule_counts_days_or_hours_not_both(users, rooms):
    with pytest.raises(InvalidInput, match="Count either days"):
        services.create_schedule(
            actor=users["engineer"],
            title="x",
            room=rooms["grade1"],
            every_days=7,
            every_booked_hours=5,
        )
