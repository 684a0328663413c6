"""Registering and changing media items: barcodes, kind/format pairs, timecodes at the
item's rate, ties, first place, archive and restore."""

import pytest

from postdesk.core.errors import Forbidden, InvalidInput, InvalidTransition
from postdesk.core.models import AuditEntry
from postdesk.library import services
from postdesk.library.models import Derivation, MediaItem, Movement

pytestmark = pytest.mark.django_db


def test_generated_barcodes_count_up_and_a_given_one_is_normalised(register):
    first = register()
    second = register()
    given = register(barcode="  tape-0042 ")

    assert (first.barcode, second.barcode) == ("LIB-000001", "LIB-000002")
    assert given.barcode == "TAPE-0042"


def test_generated_barcode_skips_one_registered_as_is(register):
    register(barcode="LIB-000001")

    assert register().barcode == "LIB-000002"


def test_duplicate_barcode_is_refused_and_nothing_is_written(register):
    register(barcode="TAPE-1")
    movements = Movement.objects.count()

    with pytest.raises(services.DuplicateBarcode) as refused:
        register(barcode="tape-1 ")

    assert refused.value.status == 409
    assert refused.value.details["fields"]["barcode"] == ["TAPE-1 is already registered"]
    assert MediaItem.objects.count() == 1
    assert Movement.objects.count() == movements


def test_registration_records_a_register_movement_and_an_audit_entry(register, vault):
    item = register()

    (movement,) = item.movements.all()
    assert movement.action == Movement.Action.REGISTER
    assert movement.from_place == {}
    assert movement.to_place == {
        "custody": "location",
        "location": vault["shelf1"].pk,
        "label": "Shelf 1 (LOC-VAULT-A-R1-S1)",
    }
    assert movement.actor.username == "librarian"
    entry = AuditEntry.objects.get(object_type="library.mediaitem", object_id=str(item.pk))
    assert entry.action == AuditEntry.Action.CREATE
    assert entry.changes["barcode"] == [None, item.barcode]


@pytest.mark.parametrize(
    ("kind", "fmt"),
    [("tape", "ssd"), ("drive", "hdcam_sr"), ("camera_card", "lto9"), ("film_can", "file")],
)
def test_a_format_the_kind_cannot_have_is_refused(register, kind, fmt):
    with pytest.raises(InvalidInput) as refused:
        register(kind=kind, format=fmt)

    assert "format" in refused.value.details["fields"]
    assert MediaItem.objects.count() == 0


def test_a_file_deliverable_needs_its_path(register):
    with pytest.raises(InvalidInput) as refused:
        register(kind="file", format="file")
    assert "file_path" in refused.value.details["fields"]

    item = register(kind="file", format="file", file_path="/mnt/deliveries/ep1.mxf")
    assert item.file_path == "/mnt/deliveries/ep1.mxf"


@pytest.mark.parametrize(
    ("rate", "drop", "start", "duration"),
    [
        ("25", False, "10:00:00:24", "00:52:00:00"),
        ("23.976", False, "01:00:00:23", "00:44:10:12"),
        ("29.97", True, "01:00:00;02", "00:59:59;29"),
        ("59.94", True, "00:10:00;00", ""),
    ],
)
def test_valid_timecodes_at_the_items_rate(register, rate, drop, start, duration):
    item = register(frame_rate=rate, drop_frame=drop, start_timecode=start, duration=duration)

    assert (item.start_timecode, item.duration) == (start, duration)


@pytest.mark.parametrize(
    ("rate", "drop", "start", "field", "says"),
    [
        ("24", False, "01:00:00:24", "start_timecode", "frame 24 does not exist at 24"),
        ("25", False, "01:00:00;00", "start_timecode", "drop frame exists only at"),
        ("29.97", True, "01:01:00;00", "start_timecode", "are dropped at the start of minute"),
        ("29.97", False, "01:00:00;10", "start_timecode", "written as drop frame"),
        ("25", False, "1:00:00:00", "start_timecode", "is not a timecode"),
        ("", False, "01:00:00:00", "start_timecode", "Give the frame rate"),
        ("25", True, "", "drop_frame", "Drop frame exists only at 29.97 and 59.94"),
    ],
)
def test_invalid_timecodes_are_refused_with_the_reason(register, rate, drop, start, field, says):
    with pytest.raises(InvalidInput) as refused:
        register(frame_rate=rate, drop_frame=drop, start_timecode=start)

    assert says in refused.value.details["fields"][field][0]
    assert MediaItem.objects.count() == 0


def test_production_and_client_follow_the_job(register, job):
    item = register(job=job)

    assert item.production == job.production
    assert item.client == job.client


def test_a_job_of_another_production_is_refused(register, job, other_job):
    with pytest.raises(InvalidInput) as refused:
        register(job=other_job, production=job.production)

    assert "job" in refused.value.details["fields"]


def test_registered_with_a_person_or_a_courier(register, users, next_week):
    with_person = register(holder=users["runner"], due_back=next_week)
    outside = register(holder_name="Sam at Dubbing Co", due_back=next_week)
    moving = register(courier="Cityspeed", tracking="CS123", destination="Pinewood")

    assert (with_person.custody, with_person.holder, with_person.due_back) == (
        "person",
        users["runner"],
        next_week,
    )
    assert (outside.custody, outside.holder_name) == ("person", "Sam at Dubbing Co")
    assert (moving.custody, moving.courier, moving.destination) == (
        "transit",
        "Cityspeed",
        "Pinewood",
    )


@pytest.mark.parametrize(
    "place",
    [
        {"location": None},
        {"courier": "Cityspeed", "destination": "Pinewood", "holder_name": "Sam"},
    ],
)
def test_an_item_is_registered_in_exactly_one_place(librarian, vault, place):
    with pytest.raises(InvalidInput):
        services.register_item(
            actor=librarian,
            title="Nowhere",
            kind="tape",
            format="hdcam",
            generation="dub",
            **place,
        )
    assert MediaItem.objects.count() == 0


def test_registering_into_a_missing_or_archived_location_is_422(register, librarian, vault):
    empty = services.create_location(actor=librarian, name="Old shelf", kind="shelf")
    services.archive_location(empty, actor=librarian)

    for target in (987654, empty):
        with pytest.raises(InvalidInput) as refused:
            register(location=target)
        assert refused.value.status == 422
    assert MediaItem.objects.count() == 0


def test_only_the_library_registers(users, vault):
    for role in ("runner", "reception", "supervisor", "client"):
        with pytest.raises(Forbidden):
            services.register_item(
                actor=users[role],
                title="x",
                kind="tape",
                format="hdcam",
                generation="dub",
                location=vault["shelf1"],
            )


def test_parents_are_recorded_as_lineage(register):
    master = register()
    dub = register(generation="dub", parents=[master])

    assert list(Derivation.objects.values_list("parent_id", "child_id")) == [(master.pk, dub.pk)]


def test_add_parents_refuses_a_loop(register, librarian):
    master = register()
    dub = register(generation="dub", parents=[master])
    copy = register(generation="dub", parents=[dub])

    with pytest.raises(InvalidInput):
        services.add_parents(master, [copy], actor=librarian)
    with pytest.raises(InvalidInput):
        services.add_parents(master, [master], actor=librarian)

    other = register(generation="protection_master")
    services.add_parents(copy, [other], actor=librarian)
    assert set(Derivation.objects.filter(child=copy).values_list("parent_id", flat=True)) == {
        dub.pk,
        other.pk,
    }


def test_update_item_changes_the_catalogue_and_is_audited(register, librarian):
    item = register(frame_rate="25", start_timecode="10:00:00:00")

    services.update_item(item, actor=librarian, title="Ep1 textless master", reel="R7")

    item.refresh_from_db()
    assert (item.title, item.reel) == ("Ep1 textless master", "R7")
    entry = AuditEntry.objects.filter(object_id=str(item.pk), action="update").get()
    assert entry.changes == {
        "title": ["The Long Tide ep1 master", "Ep1 textless master"],
        "reel": ["", "R7"],
    }


def test_update_item_refuses_a_timecode_wrong_at_the_new_rate(register, librarian):
    item = register(frame_rate="25", start_timecode="10:00:00:24")

    with pytest.raises(InvalidInput):
        services.update_item(item, actor=librarian, frame_rate="24")

    item.refresh_from_db()
    assert item.frame_rate == "25"


def test_unknown_fields_are_refused(register, librarian):
    item = register()
    with pytest.raises(InvalidInput):
        services.update_item(item, actor=librarian, custody="transit")


def test_archived_items_do_not_move_until_restored(register, librarian, vault):
    item = register()
    services.archive_item(item, actor=librarian, reason="Registered twice")

    with pytest.raises(services.ItemArchived):
        services.move(item, vault["shelf2"], actor=librarian)
    with pytest.raises(InvalidTransition):
        services.archive_item(item, actor=librarian, reason="again")

    services.restore_item(item, actor=librarian)
    services.move(item, vault["shelf2"], actor=librarian)
    item.refresh_from_db()
    assert item.location == vault["shelf2"]


def test_ties_and_holders_may_be_given_by_id(register, job, users, next_week):
    item = register(job=job.pk, holder=users["runner"].pk, due_back=next_week)

    assert (item.job, item.production, item.client) == (job, job.production, job.client)
    assert item.holder == users["runner"]
    for bad in ({"job": 999999}, {"production": 999999}):
        with pytest.raises(InvalidInput):
            register(**bad)
    with pytest.raises(InvalidInput):
        register(holder=999999, due_back=next_week)
