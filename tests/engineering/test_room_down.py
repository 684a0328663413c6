"""A "room down" fault blocks the room on the board in the same transaction, lists the
bookings in the way with contacts and free rooms, moves them, and resolving ends the block."""

import pytest

from postdesk.core.errors import Conflict, Forbidden, InvalidInput, InvalidTransition
from postdesk.engineering import queries, services
from postdesk.engineering.models import FaultTicket
from postdesk.scheduling import queries as scheduling_queries
from postdesk.scheduling.models import Allocation, Booking

from .conftest import at

NOW = at(2, 8)


def _blocks(room):
    return list(
        Allocation.objects.filter(
            resource=room, blocking=True, booking__kind="maintenance"
        ).values_list("start", "end")
    )


def test_room_down_with_nothing_booked_blocks_from_now_to_the_estimate(users, rooms):
    ticket = services.report_fault(
        actor=users["runner"],
        severity="room_down",
        room=rooms["grade1"].pk,
        description="No picture on the projector",
        estimate_until=at(2, 18),
        now=NOW,
    )
    assert _blocks(rooms["grade1"]) == [(NOW, at(2, 18))]
    block = ticket.blocks.get()
    assert (block.kind, block.status, block.title) == (
        "maintenance",
        "confirmed",
        f"Room down: fault {ticket.pk}",
    )


def test_the_block_is_on_the_board_with_the_banner(users, rooms):
    ticket = services.report_fault(
        actor=users["reception"],
        severity="room_down",
        room=rooms["grade1"].pk,
        description="Smoke from the desk",
        estimate_until=at(2, 18),
        now=NOW,
    )
    data, _ = scheduling_queries.board(users["bookings"], start=at(2, 0), end=at(3, 0))
    rows = {r["id"]: r for r in data["resources"]}
    assert rows[rooms["grade1"].pk]["notices"] == [f"ROOM DOWN (fault {ticket.pk})"]
    assert rows[rooms["grade2"].pk]["notices"] == []
    fields = data["allocation_fields"]
    held = [dict(zip(fields, row, strict=True)) for row in data["allocations"]]
    assert [(a["resource"], a["kind"]) for a in held] == [(rooms["grade1"].pk, "maintenance")]


def test_a_failure_while_blocking_leaves_no_ticket(users, rooms, monkeypatch):
    """Same transaction: if the block cannot be written, the ticket is not either."""
    from postdesk.engineering.services import faults

    def refuse(**kwargs):
        raise Conflict("refused")

    monkeypatch.setattr(faults.scheduling_services, "create_booking", refuse)
    with pytest.raises(Conflict):
        services.report_fault(
            actor=users["runner"],
            severity="room_down",
            room=rooms["grade1"].pk,
            description="Dead",
            estimate_until=at(2, 18),
            now=NOW,
        )
    assert FaultTicket.objects.count() == 0


def test_confirmed_bookings_in_the_span_are_listed_with_contacts_and_free_rooms(
    users, rooms, book, contact
):
    morning = book([rooms["grade1"]], at(2, 9), at(2, 13))
    afternoon = book([rooms["grade1"]], at(2, 14), at(2, 17))
    book([rooms["grade2"]], at(2, 14), at(2, 16))  # Grade 2 busy in the afternoon
    pencil = book([rooms["grade1"]], at(2, 9), at(2, 10), status="pencil")
    ticket = services.report_fault(
        actor=users["engineer"],
        severity="room_down",
        room=rooms["grade1"].pk,
        description="Desk dead",
        estimate_until=at(2, 18),
        now=NOW,
    )
    # Blocked around the two confirmed bookings (pencils do not stand in the way).
    assert sorted(_blocks(rooms["grade1"])) == [
        (NOW, at(2, 9)),
        (at(2, 13), at(2, 14)),
        (at(2, 17), at(2, 18)),
    ]
    plan = queries.room_down_plan(ticket, now=NOW)
    assert [p["booking"].pk for p in plan] == [morning.pk, afternoon.pk]
    assert plan[0]["contacts"] == [
        {"name": "Hannah Reid", "email": "hannah@example.com", "phone": ""}
    ]
    # Same kind and skill, free for the whole booking; the edit suite has no Baselight.
    assert [s["name"] for s in plan[0]["suggestions"]] == ["Grade 2", "Grade 3"]
    assert [s["name"] for s in plan[1]["suggestions"]] == ["Grade 3"]
    assert pencil.pk not in [p["booking"].pk for p in plan]


def test_moving_one_off_extends_the_block_over_the_time_it_left(users, rooms, book):
    morning = book([rooms["grade1"]], at(2, 9), at(2, 13))
    ticket = services.report_fault(
        actor=users["engineer"],
        severity="room_down",
        room=rooms["grade1"].pk,
        description="Desk dead",
        estimate_until=at(2, 18),
        now=NOW,
    )
    services.move_off(
        ticket, actor=users["engineer"], booking=morning.pk, to_room=rooms["grade3"].pk, now=NOW
    )
    assert list(morning.allocations.values_list("resource_id", flat=True)) == [rooms["grade3"].pk]
    assert sorted(_blocks(rooms["grade1"])) == [
        (NOW, at(2, 9)),
        (at(2, 9), at(2, 13)),
        (at(2, 13), at(2, 18)),
    ]
    assert queries.room_down_plan(ticket, now=NOW) == []


def test_move_all_moves_every_booking_in_the_way(users, rooms, book):
    first = book([rooms["grade1"]], at(2, 9), at(2, 13))
    second = book([rooms["grade1"]], at(2, 13), at(2, 17))
    ticket = services.report_fault(
        actor=users["bookings"],
        severity="room_down",
        room=rooms["grade1"].pk,
        description="Desk dead",
        estimate_until=at(2, 18),
        now=NOW,
    )
    moved = services.move_all_off(ticket, actor=users["bookings"], now=NOW)
    assert [b.pk for b in moved] == [first.pk, second.pk]
    assert Allocation.objects.filter(resource=rooms["grade1"], booking__kind="job").count() == 0
    assert _blocks(rooms["grade1"])[0][0] == NOW


def test_move_all_refuses_and_changes_nothing_when_one_has_no_match(users, rooms, book):
    booked = book([rooms["grade1"]], at(2, 9), at(2, 13))
    book([rooms["grade2"]], at(2, 8), at(2, 20))
    book([rooms["grade3"]], at(2, 8), at(2, 20))
    ticket = services.report_fault(
        actor=users["engineer"],
        severity="room_down",
        room=rooms["grade1"].pk,
        description="Desk dead",
        estimate_until=at(2, 18),
        now=NOW,
    )
    with pytest.raises(Conflict, match=f"Booking {booked.pk} has no free room"):
        services.move_all_off(ticket, actor=users["engineer"], now=NOW)
    assert list(booked.allocations.values_list("resource_id", flat=True)) == [rooms["grade1"].pk]


def test_an_engineer_moves_a_client_booking_for_the_ticket_but_a_runner_may_not(users, rooms, book):
    booked = book([rooms["grade1"]], at(2, 9), at(2, 13))
    ticket = services.report_fault(
        actor=users["runner"],
        severity="room_down",
        room=rooms["grade1"].pk,
        description="Dead",
        estimate_until=at(2, 18),
        now=NOW,
    )
    with pytest.raises(Forbidden):
        services.move_off(
            ticket, actor=users["runner"], booking=booked.pk, to_room=rooms["grade2"].pk, now=NOW
        )
    services.move_off(
        ticket, actor=users["engineer"], booking=booked.pk, to_room=rooms["grade2"].pk, now=NOW
    )
    assert list(booked.allocations.values_list("resource_id", flat=True)) == [rooms["grade2"].pk]


def test_resolving_ends_the_block_now_and_cancels_later_pieces(users, rooms, book):
    book([rooms["grade1"]], at(2, 12), at(2, 13))
    ticket = services.report_fault(
        actor=users["engineer"],
        severity="room_down",
        room=rooms["grade1"].pk,
        description="Dead",
        estimate_until=at(2, 18),
        now=NOW,
    )
    services.resolve_ticket(
        ticket, actor=users["engineer"], text="Replaced PSU", minutes=45, now=at(2, 10)
    )
    ticket.refresh_from_db()
    assert (ticket.state, ticket.resolved_at) == ("resolved", at(2, 10))
    assert _blocks(rooms["grade1"]) == [(NOW, at(2, 10))]
    assert Booking.objects.filter(kind="maintenance", status="cancelled").count() == 1
    assert queries.time_spent(ticket) == 45
    data, _ = scheduling_queries.board(users["bookings"], start=at(2, 0), end=at(3, 0))
    assert all(r["notices"] == [] for r in data["resources"])


def test_a_new_estimate_moves_the_end_of_the_block(users, rooms):
    ticket = services.report_fault(
        actor=users["engineer"],
        severity="room_down",
        room=rooms["grade1"].pk,
        description="Dead",
        estimate_until=at(2, 18),
        now=NOW,
    )
    services.set_estimate(ticket, actor=users["engineer"], estimate_until=at(2, 12), now=at(2, 9))
    assert _blocks(rooms["grade1"]) == [(NOW, at(2, 12))]
    services.set_estimate(ticket, actor=users["engineer"], estimate_until=at(2, 20), now=at(2, 9))
    assert sorted(_blocks(rooms["grade1"])) == [(NOW, at(2, 12)), (at(2, 12), at(2, 20))]


def test_states_move_only_along_the_machine(users, rooms):
    ticket = services.report_fault(
        actor=users["accounts"],
        severity="degraded",
        room=rooms["edit"].pk,
        description="Left speaker crackles",
        now=NOW,
    )
    assert _blocks(rooms["edit"]) == []
    engineer = users["engineer"]
    services.change_state(ticket, actor=engineer, state="in_progress", now=NOW)
    services.change_state(ticket, actor=engineer, state="on_hold", text="Cone ordered", now=NOW)
    with pytest.raises(InvalidTransition, match="cannot become closed"):
        services.change_state(ticket, actor=engineer, state="closed", now=NOW)
    services.change_state(ticket, actor=engineer, state="resolved", minutes=30, now=at(3, 9))
    services.change_state(ticket, actor=engineer, state="closed", now=at(3, 10))
    with pytest.raises(InvalidTransition):
        services.change_state(ticket, actor=engineer, state="in_progress", now=at(3, 11))
    notes = list(ticket.notes.values_list("state", "text", "minutes"))
    assert notes == [
        ("in_progress", "", 0),
        ("on_hold", "Cone ordered", 0),
        ("resolved", "", 30),
        ("closed", "", 0),
    ]


def test_reporting_needs_a_place_and_a_room_down_a_room(users, rooms):
    with pytest.raises(InvalidInput, match="Say which room or asset"):
        services.report_fault(actor=users["runner"], severity="degraded", description="x", now=NOW)
    with pytest.raises(Forbidden):
        services.report_fault(
            actor=users["client"], severity="cosmetic", room=rooms["edit"].pk, description="x"
        )
    with pytest.raises(InvalidInput, match="later than now"):
        services.report_fault(
            actor=users["runner"],
            severity="room_down",
            room=rooms["edit"].pk,
            description="x",
            estimate_until=at(1, 8),
            now=NOW,
        )
    assert FaultTicket.objects.count() == 0
