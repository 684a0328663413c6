"""Custody services: each verb from the places it may start from, one movement each,
refusals that change nothing, and who may do what."""

import itertools

import pytest

from postdesk.core.errors import Forbidden, InvalidInput, InvalidTransition
from postdesk.core.models import AuditEntry
from postdesk.library import services
from postdesk.library.models import MediaItem, Movement

pytestmark = pytest.mark.django_db


def place(item):
    item.refresh_from_db()
    return item.custody, item.location_id, item.holder_id, item.holder_name, item.courier


def test_a_full_round_trip_appends_one_chained_movement_per_step(
    register, librarian, users, vault, next_week
):
    item = register()

    services.move(item, vault["shelf2"], actor=librarian)
    services.check_out(
        item, actor=librarian, holder=users["runner"], due_back=next_week, signer_name="Ria"
    )
    services.check_in(item, vault["shelf3"], actor=librarian)
    services.dispatch(
        item, actor=librarian, courier="Cityspeed", tracking="CS9", destination="Pinewood"
    )
    services.receive(item, vault["shelf1"], actor=librarian, signer_name="Door")

    moves = list(item.movements.order_by("at", "id"))
    assert [m.action for m in moves] == [
        "register",
        "move",
        "check_out",
        "check_in",
        "dispatch",
        "receive",
    ]
    for previous, following in itertools.pairwise(moves):
        assert following.from_place == previous.to_place
    assert moves[2].to_place == {
        "custody": "person",
        "holder": users["runner"].pk,
        "holder_name": "",
        "due_back": next_week.isoformat(),
        "label": users["runner"].display_name,
    }
    assert moves[2].signer_name == "Ria"
    assert moves[4].to_place["courier"] == "Cityspeed"
    assert place(item) == ("location", vault["shelf1"].pk, None, "", "")
    transitions = AuditEntry.objects.filter(
        object_type="library.mediaitem", object_id=str(item.pk), action="transition"
    )
    assert transitions.count() == 5


def test_check_out_to_someone_outside(register, librarian, next_week):
    item = register()

    services.check_out(item, actor=librarian, holder_name="Sam (Dub Co)", due_back=next_week)

    assert place(item) == ("person", None, None, "Sam (Dub Co)", "")


@pytest.mark.parametrize(
    ("holder", "name"),
    [(None, ""), ("runner", "Sam")],
)
def test_check_out_needs_exactly_one_holder(register, librarian, users, next_week, holder, name):
    item = register()
    with pytest.raises(InvalidInput):
        services.check_out(
            item,
            actor=librarian,
            holder=users[holder] if holder else None,
            holder_name=name,
            due_back=next_week,
        )
    assert item.movements.count() == 1


def test_moving_into_a_missing_location_is_422_and_changes_nothing(register, librarian):
    item = register()

    with pytest.raises(InvalidInput) as refused:
        services.move(item, 99999999, actor=librarian)

    assert refused.value.status == 422
    assert refused.value.details["fields"]["location"] == ["Location 99999999 does not exist"]
    assert item.movements.count() == 1


def test_moving_into_an_archived_location_is_422(register, librarian, vault):
    item = register()
    spare = services.create_location(
        actor=librarian, name="Spare", kind="shelf", parent=vault["rack2"]
    )
    services.archive_location(spare, actor=librarian)

    with pytest.raises(InvalidInput):
        services.move(item, spare, actor=librarian)
    assert place(item)[1] == vault["shelf1"].pk


@pytest.mark.parametrize(
    ("verb", "start"),
    [
        ("move", "person"),
        ("move", "transit"),
        ("check_in", "location"),
        ("check_in", "transit"),
        ("receive", "location"),
        ("receive", "person"),
        ("dispatch", "transit"),
        ("check_out", "transit"),
    ],
)
def test_a_verb_from_the_wrong_place_is_an_invalid_transition(
    register, librarian, users, vault, next_week, verb, start
):
    starts = {
        "location": {},
        "person": {"holder": users["runner"], "due_back": next_week},
        "transit": {"courier": "Cityspeed", "destination": "Pinewood"},
    }
    item = register(**starts[start])
    calls = {
        "move": lambda: services.move(item, vault["shelf2"], actor=librarian),
        "check_in": lambda: services.check_in(item, vault["shelf2"], actor=librarian),
        "receive": lambda: services.receive(item, vault["shelf2"], actor=librarian),
        "dispatch": lambda: services.dispatch(item, actor=librarian, courier="X", destination="Y"),
        "check_out": lambda: services.check_out(
            item, actor=librarian, holder_name="Sam", due_back=next_week
        ),
    }

    with pytest.raises(InvalidTransition):
        calls[verb]()
    assert item.movements.count() == 1


def test_a_destroyed_item_refuses_every_move_with_409(register, librarian, vault, next_week):
    item = register()
    MediaItem.objects.filter(pk=item.pk).update(destroyed_at=item.placed_at)

    for call in (
        lambda: services.move(item, vault["shelf2"], actor=librarian),
        lambda: services.check_out(item, actor=librarian, holder_name="S", due_back=next_week),
        lambda: services.dispatch(item, actor=librarian, courier="X", destination="Y"),
    ):
        with pytest.raises(services.ItemDestroyed) as refused:
            call()
        assert refused.value.status == 409
        assert refused.value.code == "item_destroyed"
    assert item.movements.count() == 1


def test_runners_move_and_check_out_but_do_not_receive_or_dispatch(
    register, users, vault, next_week
):
    runner = users["runner"]
    item = register()

    services.move(item, vault["shelf2"], actor=runner)
    services.check_out(item, actor=runner, holder=runner, due_back=next_week)
    services.check_in(item, vault["shelf1"], actor=runner)
    with pytest.raises(Forbidden):
        services.dispatch(item, actor=runner, courier="X", destination="Y")


def test_reception_receives_and_dispatches_but_does_not_move(register, users, vault):
    reception = users["reception"]
    item = register()

    with pytest.raises(Forbidden):
        services.move(item, vault["shelf2"], actor=reception)
    services.dispatch(item, actor=reception, courier="Cityspeed", destination="Pinewood")
    services.receive(item, vault["shelf2"], actor=reception, signer_name="Door")
    assert place(item)[1] == vault["shelf2"].pk


@pytest.mark.parametrize("role", ["client", "supervisor", "engineer", "accounts", "bookings"])
def test_other_roles_move_nothing(register, users, vault, role):
    item = register()
    with pytest.raises(Forbidden):
        services.move(item, vault["shelf2"], actor=users[role])


def test_a_bare_string_is_not_an_actor(register, vault):
    item = register()
    with pytest.raises(TypeError):
        services.move(item, vault["shelf2"], actor="someone")


def test_the_database_refuses_an_item_in_no_place(register):
    from django.db import IntegrityError, transaction

    item = register()
    with pytest.raises(IntegrityError), transaction.atomic():
        MediaItem.objects.filter(pk=item.pk).update(location=None)
    with pytest.raises(IntegrityError), transaction.atomic():
        MediaItem.objects.filter(pk=item.pk).update(courier="Cityspeed")


def test_the_database_refuses_editing_or_deleting_movements(register):
    from django.db import DatabaseError, transaction

    item = register()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        Movement.objects.filter(item=item).update(note="rewritten")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        Movement.objects.filter(item=item).delete()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        item.delete()
    assert item.movements.get().note == ""
