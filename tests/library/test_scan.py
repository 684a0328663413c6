"""The scan station's scan_move: items then a destination; the verb follows each item's
place; refusals per code."""

import datetime

import pytest
from django.utils import timezone

from postdesk.core.errors import InvalidInput
from postdesk.library import services
from postdesk.library.models import MediaItem

pytestmark = pytest.mark.django_db


def test_items_scanned_to_a_shelf_each_take_the_right_verb(
    register, librarian, users, vault, next_week
):
    on_shelf = register(barcode="T-1")
    already = register(barcode="T-2", location=vault["shelf3"])
    out = register(barcode="T-3", holder=users["runner"], due_back=next_week)
    arriving = register(barcode="T-4", courier="Cityspeed", destination="Soho")

    answer = services.scan_move(
        ["t-1", "T-2", "T-3", "T-4", "T-1", "NOPE-1", "LOC-VAULT-A-R2-S3"], actor=librarian
    )

    assert answer["destination"] == {
        "kind": "location",
        "id": vault["shelf3"].pk,
        "label": "Shelf 3 (LOC-VAULT-A-R2-S3)",
    }
    assert [(m["code"], m["action"]) for m in answer["moved"]] == [
        ("T-1", "move"),
        ("T-3", "check_in"),
        ("T-4", "receive"),
    ]
    assert answer["moved"][0]["from"] == "Shelf 1 (LOC-VAULT-A-R1-S1)"
    assert [u["code"] for u in answer["unchanged"]] == ["T-2"]
    assert answer["refused"] == [
        {
            "code": "NOPE-1",
            "error": "unknown_code",
            "message": "NOPE-1 is not a registered item",
            "status": 404,
        }
    ]
    for item in (on_shelf, already, out, arriving):
        item.refresh_from_db()
        assert (item.custody, item.location_id) == ("location", vault["shelf3"].pk)


def test_scanning_a_badge_checks_items_out_to_its_user(register, librarian, users):
    services.set_badge(users["runner"], "badge-77", actor=librarian)
    item = register(barcode="T-1")

    answer = services.scan_move(["T-1", "BADGE-77"], actor=librarian)

    assert answer["destination"]["kind"] == "person"
    assert answer["moved"][0]["action"] == "check_out"
    item.refresh_from_db()
    assert item.holder == users["runner"]
    assert item.due_back == timezone.localdate() + datetime.timedelta(days=7)


def test_a_destroyed_item_is_refused_with_409_and_the_others_still_move(register, librarian, vault):
    good = register(barcode="T-1")
    gone = register(barcode="T-2")
    MediaItem.objects.filter(pk=gone.pk).update(destroyed_at=timezone.now())

    answer = services.scan_move(["T-1", "T-2", "LOC-VAULT-A-R1-S2"], actor=librarian)

    assert [m["code"] for m in answer["moved"]] == ["T-1"]
    assert [(r["code"], r["error"], r["status"]) for r in answer["refused"]] == [
        ("T-2", "item_destroyed", 409)
    ]
    good.refresh_from_db()
    gone.refresh_from_db()
    assert (good.location, gone.location) == (vault["shelf2"], vault["shelf1"])
    assert gone.movements.count() == 1


def test_reception_may_receive_by_scan_but_not_move(register, users, vault):
    register(barcode="T-1")
    register(barcode="T-2", courier="Cityspeed", destination="Soho")

    answer = services.scan_move(["T-1", "T-2", "LOC-VAULT-A-R1-S2"], actor=users["reception"])

    assert [m["code"] for m in answer["moved"]] == ["T-2"]
    assert [(r["code"], r["status"]) for r in answer["refused"]] == [("T-1", 403)]


@pytest.mark.parametrize(
    "codes",
    [["T-1"], [], ["T-1", "NOT-A-PLACE"], ["T-1", ""], "T-1,LOC-VAULT-A", ["T-1"] * 201],
)
def test_a_bad_scan_is_422_and_moves_nothing(register, librarian, vault, codes):
    item = register(barcode="T-1")

    with pytest.raises(InvalidInput) as refused:
        services.scan_move(codes, actor=librarian)

    assert refused.value.status == 422
    assert item.movements.count() == 1


def test_an_archived_destination_is_422(register, librarian, vault):
    register(barcode="T-1")
    spare = services.create_location(
        actor=librarian, name="Spare", kind="shelf", parent=vault["rack2"], barcode="LOC-SPARE"
    )
    services.archive_location(spare, actor=librarian)

    with pytest.raises(InvalidInput):
        services.scan_move(["T-1", "LOC-SPARE"], actor=librarian)


def test_one_scan_is_a_bounded_number_of_queries(
    register, librarian, vault, django_assert_max_num_queries
):
    register(barcode="T-1")

    with django_assert_max_num_queries(14):
        services.scan_move(["T-1", "LOC-VAULT-A-R1-S2"], actor=librarian)
