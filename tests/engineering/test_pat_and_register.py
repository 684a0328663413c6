"""PAT due dates (exact to the day across month ends), what a failed test does, and
finding assets in the register."""

import datetime

import pytest

from postdesk.core.audit import SYSTEM
from postdesk.core.errors import InvalidInput
from postdesk.engineering import lists, queries, services
from postdesk.engineering.models import Asset
from postdesk.engineering.pat import add_months, next_due
from postdesk.scheduling import services as scheduling
from postdesk.scheduling.models import Resource

from .conftest import at

D = datetime.date


@pytest.mark.parametrize(
    ("tested", "months", "due"),
    [
        (D(2026, 1, 31), 1, D(2026, 2, 28)),
        (D(2027, 12, 31), 2, D(2028, 2, 29)),  # into a leap February
        (D(2026, 8, 31), 6, D(2027, 2, 28)),
        (D(2026, 3, 31), 3, D(2026, 6, 30)),
        (D(2026, 11, 30), 3, D(2027, 2, 28)),
        (D(2026, 2, 28), 12, D(2027, 2, 28)),
        (D(2026, 5, 15), 48, D(2030, 5, 15)),
    ],
)
def test_months_are_added_to_the_day_never_spilling_into_the_next_month(tested, months, due):
    assert add_months(tested, months) == due


def test_the_interval_comes_from_the_risk_class():
    assert next_due(D(2026, 1, 31), "location") == D(2026, 4, 30)
    assert next_due(D(2026, 1, 31), "handheld") == D(2027, 1, 31)
    assert next_due(D(2026, 1, 31), "it") == D(2030, 1, 31)
    with pytest.raises(ValueError, match="unknown risk class"):
        next_due(D(2026, 1, 31), "flat-year")


@pytest.fixture
def deck(site, rooms):
    resource = scheduling.create_resource(
        actor=SYSTEM, kind="equipment", name="HDCAM SR deck", site=site
    )
    return services.create_asset(
        actor=SYSTEM,
        tag="ENG-0001",
        make="Sony",
        model="SRW-5800",
        serial="SN-778",
        room=rooms["grade1"],
        resource=resource,
        critical=True,
        risk_class="movable",
    )


def test_a_failed_pat_takes_the_asset_out_of_service_and_off_the_board(users, deck, job):
    test = services.record_pat_test(
        actor=users["engineer"],
        asset=deck,
        tested_on=D(2026, 3, 2),
        tester="A. Sparks",
        result="fail",
    )
    assert test.next_due == D(2028, 3, 2)
    deck.refresh_from_db()
    assert deck.status == Asset.Status.FAULTY
    assert Resource.objects.get(pk=deck.resource_id).bookable is False
    with pytest.raises(InvalidInput, match="HDCAM SR deck is not bookable"):
        scheduling.create_booking(
            job=job, resources=[deck.resource_id], start=at(3, 9), end=at(3, 10), actor=SYSTEM
        )
    # Repaired and back in service: bookable again.
    services.set_asset_status(deck, actor=users["engineer"], status="in_service")
    assert Resource.objects.get(pk=deck.resource_id).bookable is True


def test_a_passed_pat_changes_nothing_but_the_due_date(users, deck):
    services.record_pat_test(
        actor=users["engineer"],
        asset=deck,
        tested_on=D(2026, 1, 31),
        tester="A. Sparks",
        result="pass",
    )
    deck.refresh_from_db()
    assert deck.status == Asset.Status.IN_SERVICE
    assert queries.pat_due(by=D(2028, 1, 30))["due"] == []
    assert [t.asset.tag for t in queries.pat_due(by=D(2028, 1, 31))["due"]] == ["ENG-0001"]


def test_the_due_list_takes_each_assets_latest_test_and_lists_the_never_tested(users, deck, rooms):
    services.record_pat_test(
        actor=users["engineer"], asset=deck, tested_on=D(2024, 1, 10), tester="x", result="pass"
    )
    services.record_pat_test(
        actor=users["engineer"], asset=deck, tested_on=D(2026, 1, 10), tester="x", result="pass"
    )
    lamp = services.create_asset(
        actor=SYSTEM, tag="ENG-0002", make="Anglepoise", model="Type 75", risk_class="class2"
    )
    due = queries.pat_due(by=D(2026, 12, 31))
    assert due["due"] == []
    assert [a.tag for a in due["never_tested"]] == [lamp.tag]


def test_an_asset_without_a_risk_class_cannot_be_given_a_due_date(users, rooms):
    bare = services.create_asset(actor=SYSTEM, tag="ENG-0003", make="Generic", model="Lead")
    with pytest.raises(InvalidInput, match="no risk class"):
        services.record_pat_test(
            actor=users["engineer"], asset=bare, tested_on=D(2026, 3, 2), tester="x", result="pass"
        )


def test_assets_are_found_by_tag_serial_model_and_room(deck, rooms):
    services.create_asset(
        actor=SYSTEM, tag="ENG-0100", make="Eizo", model="CG319X", room=rooms["grade2"]
    )

    def found(q="", **filters):
        return [a.tag for a in lists.ASSETS.strict(queries.assets(), q=q, filters=filters)]

    assert found("eng-0001") == ["ENG-0001"]
    assert found("SN-778") == ["ENG-0001"]
    assert found("cg319") == ["ENG-0100"]
    assert found("Grade 2") == ["ENG-0100"]
    assert found(room=rooms["grade1"].pk) == ["ENG-0001"]
    assert [a.tag for a in queries.critical_assets(rooms["grade1"].pk)] == ["ENG-0001"]


def test_an_asset_is_located_in_a_room_and_booked_as_equipment(site, rooms):
    with pytest.raises(InvalidInput, match="must be a room"):
        services.create_asset(
            actor=SYSTEM,
            tag="X1",
            make="a",
            model="b",
            room=scheduling.create_resource(actor=SYSTEM, kind="equipment", name="Cart", site=site),
        )
    with pytest.raises(InvalidInput, match="equipment resource"):
        services.create_asset(actor=SYSTEM, tag="X2", make="a", model="b", resource=rooms["edit"])
    assert Asset.objects.count() == 0


def test_a_room_with_assets_is_not_deleted_but_refused_naming_them(api_as, rooms):
    # Given a room never booked that holds an asset (the scheduling service would
    # otherwise delete it: it has no history)
    room = rooms["edit"]
    services.create_asset(actor=SYSTEM, tag="ENG-1", make="Sony", model="X300", room=room)

    # When the bookings office deletes it through the API
    response = api_as("admin").delete(f"resources/{room.pk}")

    # Then it is refused, saying what still uses it, and nothing changed
    assert response.status_code == 409, response.content
    assert response.json()["message"] == "Edit 1 is still used by assets; archive it instead"
    assert response.json()["details"] == {"used_by": ["assets"]}
    assert Resource.objects.filter(pk=room.pk, archived_at=None).exists()
    assert Asset.objects.get(tag="ENG-1").room_id == room.pk
