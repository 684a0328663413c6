import datetime

import pytest

from postdesk.core.audit import SYSTEM
from postdesk.core.errors import InvalidInput, InvalidTransition
from postdesk.core.models import AuditEntry
from postdesk.scheduling import services
from postdesk.scheduling.models import Allocation, Booking
from postdesk.scheduling.services import BookingConflict, HigherPencil
from tests.scheduling.conftest import at, ranks

pytestmark = pytest.mark.django_db


def test_confirmed_booking_holds_every_resource_blocking(book, suite, editor):
    booking = book([suite, editor], at(2, 9), at(2, 19), "confirmed")

    rows = list(
        Allocation.objects.filter(booking=booking)
        .order_by("resource_id")
        .values_list("resource_id", "status", "blocking", "hold_rank")
    )
    assert rows == [(suite.pk, "confirmed", True, None), (editor.pk, "confirmed", True, None)]
    entry = AuditEntry.objects.get(object_type="scheduling.booking", object_id=str(booking.pk))
    assert entry.action == "create"
    assert entry.changes["resources"] == [None, [suite.pk, editor.pk]]
    assert entry.changes["status"] == [None, "confirmed"]
    assert entry.summary == f"Created job booking {booking.pk} (confirmed)"
    # The booking, its allocations and the audit entry are written together (one
    # statement on PostgreSQL): the returned objects carry the ids the database gave.
    stored = dict(Allocation.objects.filter(booking=booking).values_list("resource_id", "id"))
    assert {a.resource_id: a.pk for a in booking.allocation_list} == stored
    assert all(a.booking_id == booking.pk for a in booking.allocation_list)


def test_overlapping_confirmed_booking_is_refused_with_the_clash_named(book, suite, editor):
    first = book([suite], at(2, 10), at(2, 19), "confirmed")

    with pytest.raises(BookingConflict) as caught:
        book([editor, suite], at(2, 18), at(2, 20), "confirmed")

    assert caught.value.message == (
        "Suite 3 is confirmed for Northlight Pictures / The Long Tide "
        "from 10:00 to 19:00 on Mon 2 Mar"
    )
    [conflict] = caught.value.details["conflicts"]
    assert conflict["booking"] == first.pk
    assert conflict["resource"] == suite.pk
    assert conflict["resource_name"] == "Suite 3"
    assert conflict["job_number"] == first.job.number
    assert conflict["client"] == "Northlight Pictures"
    assert (conflict["start"], conflict["end"]) == (at(2, 10), at(2, 19))
    assert Booking.objects.count() == 1
    assert Allocation.objects.filter(resource=editor).count() == 0


def test_touching_spans_do_not_clash(book, suite):
    book([suite], at(2, 10), at(2, 11), "confirmed")
    second = book([suite], at(2, 11), at(2, 12), "confirmed")
    assert second.status == "confirmed"


def test_message_is_in_site_local_time_in_summer(book, suite):
    book([suite], at(1, 9, month=6), at(1, 18, month=6), "confirmed")
    with pytest.raises(BookingConflict) as caught:
        book([suite], at(1, 12, month=6), at(1, 13, month=6), "confirmed")
    assert caught.value.message.endswith("from 10:00 to 19:00 on Mon 1 Jun")


def test_maintenance_and_leave_block(suite, editor, book):
    services.create_booking(
        job=None,
        kind="maintenance",
        resources=[suite],
        start=at(3, 8),
        end=at(3, 12),
        status="confirmed",
        actor=SYSTEM,
    )
    services.create_booking(
        job=None,
        kind="leave",
        resources=[editor],
        start=at(3, 0),
        end=at(4, 0),
        status="confirmed",
        actor=SYSTEM,
    )
    with pytest.raises(BookingConflict) as caught:
        book([suite], at(3, 11), at(3, 13), "confirmed")
    assert (
        caught.value.message
        == "Suite 3 is blocked for maintenance from 08:00 to 12:00 on Tue 3 Mar"
    )
    with pytest.raises(BookingConflict) as caught:
        book([editor], at(3, 11), at(3, 13), "confirmed")
    assert caught.value.message.startswith("Jo Editor is on leave from 00:00 on Tue 3 Mar")


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"start": at(2, 10), "end": at(2, 10)}, "end"),
        ({"start": at(2, 10), "end": at(2, 9)}, "end"),
        ({"start": datetime.datetime(2026, 3, 2, 9), "end": at(2, 10)}, "start"),
        ({"start": at(2, 10), "end": at(2, 10) + datetime.timedelta(days=91)}, "end"),
        ({"resources": []}, "resources"),
        ({"resources": [999999]}, "resources"),
        ({"resources": "dupe"}, "resources"),
        ({"job": None}, "job"),
        ({"kind": "maintenance"}, "job"),
        ({"kind": "leave", "job": None, "status": "pencil"}, "status"),
        ({"status": "released"}, "status"),
        ({"kind": "party"}, "kind"),
    ],
)
def test_invalid_bookings_are_422_and_leave_nothing(job, suite, kwargs, field):
    args = {
        "job": job,
        "resources": [suite],
        "start": at(2, 10),
        "end": at(2, 12),
        "status": "pencil",
        "actor": SYSTEM,
    }
    if kwargs.get("resources") == "dupe":
        kwargs = {"resources": [suite, suite.pk]}
    args.update(kwargs)

    with pytest.raises(InvalidInput) as caught:
        services.create_booking(**args)

    assert field in caught.value.details["fields"]
    assert Booking.objects.count() == 0
    assert not AuditEntry.objects.filter(object_type="scheduling.booking").exists()


def test_archived_and_unbookable_resources_cannot_be_booked(job, suite, suite2):
    services.archive_resource(suite, actor=SYSTEM)
    services.update_resource(suite2, actor=SYSTEM, bookable=False)
    for resource, words in ((suite, "archived"), (suite2, "not bookable")):
        with pytest.raises(InvalidInput) as caught:
            services.create_booking(
                job=job,
                resources=[resource],
                start=at(2, 9),
                end=at(2, 10),
                status="pencil",
                actor=SYSTEM,
            )
        assert words in caught.value.message


def test_pencils_rank_in_creation_order_per_overlap_group(book, suite, editor, other_job):
    first = book([suite], at(2, 9), at(2, 19))
    second = book([suite, editor], at(2, 12), at(2, 20), job=other_job)
    third = book([suite], at(2, 19), at(2, 21))
    apart = book([suite], at(5, 9), at(5, 19))

    assert ranks(first) == {suite.pk: 1}
    assert ranks(second) == {suite.pk: 2, editor.pk: 1}
    assert ranks(third) == {suite.pk: 3}  # joined to the group through the second
    assert ranks(apart) == {suite.pk: 1}
    assert [a.hold_rank for a in second.allocation_list] == [2, 1]


def test_release_moves_ranks_up_and_can_split_a_group(book, suite, other_job):
    first = book([suite], at(2, 9), at(2, 19))
    second = book([suite], at(2, 12), at(2, 20), job=other_job)
    third = book([suite], at(2, 19), at(2, 21))

    services.release_booking(second, actor=SYSTEM)

    assert ranks(first) == {suite.pk: 1}
    assert ranks(third) == {suite.pk: 1}  # no longer connected to the first
    assert ranks(second) == {suite.pk: None}
    assert Booking.objects.get(pk=second.pk).status == "released"


def test_confirm_refused_while_a_higher_pencil_stands(book, suite, other_job, users):
    first = book([suite], at(2, 9), at(2, 19), actor=users["bookings"])
    second = book([suite], at(2, 12), at(2, 20), job=other_job)

    with pytest.raises(HigherPencil) as caught:
        services.confirm_booking(second, actor=SYSTEM)

    assert caught.value.code == "higher_pencil"
    assert caught.value.message.startswith(
        f"Suite 3 has a higher pencil: booking {first.pk} for Northlight Pictures / "
        "The Long Tide (1st pencil, held by bookings-user) from 09:00 to 19:00 on Mon 2 Mar"
    )
    assert caught.value.details["pencils"][0]["booking"] == first.pk
    assert Booking.objects.get(pk=second.pk).status == "pencil"


def test_first_pencil_confirms_and_later_ones_move_up(book, suite, other_job):
    first = book([suite], at(2, 9), at(2, 19))
    second = book([suite], at(2, 12), at(2, 20), job=other_job)
    third = book([suite], at(2, 13), at(2, 14), job=other_job)

    services.confirm_booking(first, actor=SYSTEM)

    assert ranks(first) == {suite.pk: None}
    assert ranks(second) == {suite.pk: 1}
    assert ranks(third) == {suite.pk: 2}
    with pytest.raises(BookingConflict):
        services.confirm_booking(second, actor=SYSTEM)
    assert (
        AuditEntry.objects.filter(
            object_id=str(first.pk), action="transition", changes__status=["pencil", "confirmed"]
        ).count()
        == 1
    )


def test_pencil_over_confirmed_is_allowed_but_cannot_confirm(book, suite):
    book([suite], at(2, 9), at(2, 19), "confirmed")
    pencil = book([suite], at(2, 10), at(2, 11))
    assert ranks(pencil) == {suite.pk: 1}
    with pytest.raises(BookingConflict):
        services.confirm_booking(pencil, actor=SYSTEM)


def test_transitions_refused_from_wrong_states(book, suite):
    booking = book([suite], at(2, 9), at(2, 10))
    services.release_booking(booking, actor=SYSTEM)
    for service in (services.confirm_booking, services.release_booking, services.cancel_booking):
        with pytest.raises(InvalidTransition):
            service(booking, actor=SYSTEM)
    with pytest.raises(InvalidTransition):
        services.update_booking(booking, actor=SYSTEM, title="x")


def test_cancel_confirmed_frees_the_time(book, suite):
    booking = book([suite], at(2, 9), at(2, 19), "confirmed")
    services.cancel_booking(booking, actor=SYSTEM)
    again = book([suite], at(2, 9), at(2, 19), "confirmed")
    assert again.status == "confirmed"
    assert Allocation.objects.get(booking=booking).blocking is False


def test_complete_only_after_the_end(book, suite):
    booking = book([suite], at(2, 9), at(2, 19), "confirmed")
    with pytest.raises(InvalidTransition):
        services.complete_booking(booking, actor=SYSTEM, now=at(2, 18))
    services.complete_booking(booking, actor=SYSTEM, now=at(2, 19))
    assert Allocation.objects.get(booking=booking).status == "completed"
    assert Allocation.objects.get(booking=booking).blocking is True


def test_move_confirmed_checks_clashes_excluding_itself(book, suite):
    booking = book([suite], at(2, 9), at(2, 19), "confirmed")
    other = book([suite], at(3, 9), at(3, 19), "confirmed")

    services.move_booking(booking, start=at(2, 8), end=at(2, 20), actor=SYSTEM)
    with pytest.raises(BookingConflict) as caught:
        services.move_booking(booking, start=at(3, 8), end=at(3, 10), actor=SYSTEM)

    assert caught.value.details["conflicts"][0]["booking"] == other.pk
    booking.refresh_from_db()
    assert (booking.start, booking.end) == (at(2, 8), at(2, 20))
    assert Allocation.objects.get(booking=booking).start == at(2, 8)
    assert AuditEntry.objects.filter(object_id=str(booking.pk), action="update").count() == 1


def test_add_and_remove_resources(book, suite, suite2, editor):
    booking = book([suite], at(2, 9), at(2, 19), "confirmed")
    book([suite2], at(2, 12), at(2, 13), "confirmed")

    services.add_resources(booking, resources=[editor], actor=SYSTEM)
    with pytest.raises(BookingConflict):
        services.add_resources(booking, resources=[suite2], actor=SYSTEM)
    services.remove_resources(booking, resources=[suite], actor=SYSTEM)
    with pytest.raises(InvalidInput):
        services.remove_resources(booking, resources=[editor], actor=SYSTEM)

    assert list(
        Allocation.objects.filter(booking=booking).values_list("resource_id", flat=True)
    ) == [editor.pk]


def test_moving_a_pencil_reranks_old_and_new_places(book, suite, other_job):
    first = book([suite], at(2, 9), at(2, 19))
    second = book([suite], at(2, 12), at(2, 20), job=other_job)
    third = book([suite], at(4, 9), at(4, 19))

    services.move_booking(first, start=at(4, 10), end=at(4, 11), actor=SYSTEM)

    assert ranks(second) == {suite.pk: 1}
    assert ranks(first) == {suite.pk: 1}  # older allocation than the third
    assert ranks(third) == {suite.pk: 2}


def test_split_into_days_keeps_job_resources_and_hours(book, suite, editor):
    booking = book([suite, editor], at(2, 9), at(6, 19), "confirmed", title="Offline")

    days = services.split_into_days(booking, actor=SYSTEM)

    assert [(b.start, b.end) for b in days] == [(at(d, 9), at(d, 19)) for d in range(2, 7)]
    assert len({b.series for b in days}) == 1
    assert all(b.job_id == booking.job_id and b.title == "Offline" for b in days)
    assert Allocation.objects.filter(booking__in=days).count() == 10


def test_split_pencil_days_keep_the_place_the_pencil_was_made_in(book, suite, other_job):
    """A pencil made before another keeps first refusal on every day it is cut into,
    although the days after the first are new bookings."""
    first = book([suite], at(2, 9), at(4, 19), title="Grade")
    later = book([suite], at(3, 9), at(3, 19), job=other_job)
    assert (ranks(first), ranks(later)) == ({suite.pk: 1}, {suite.pk: 2})

    days = services.split_into_days(first, actor=SYSTEM)

    assert [ranks(day) for day in days] == [{suite.pk: 1}] * 3
    assert ranks(later) == {suite.pk: 2}
    with pytest.raises(HigherPencil):
        services.confirm_booking(later, actor=SYSTEM)
    # A pencil made after the split still queues behind the day it overlaps.
    newest = book([suite], at(4, 12), at(4, 13), job=other_job)
    assert (ranks(days[2]), ranks(newest)) == ({suite.pk: 1}, {suite.pk: 2})


def test_repeating_all_or_nothing_and_skipping(book, suite):
    from postdesk.scheduling.spans import weekday_spans

    clash = book([suite], at(4, 8), at(4, 12), "confirmed")
    spans = weekday_spans(
        datetime.date(2026, 3, 2),
        datetime.date(2026, 3, 13),
        start_time=datetime.time(9),
        end_time=datetime.time(19),
        zone=suite.site.zone,
    )

    with pytest.raises(BookingConflict):
        services.create_repeating(
            job=clash.job, resources=[suite], occurrences=spans, status="confirmed", actor=SYSTEM
        )
    assert Booking.objects.count() == 1

    made, skipped = services.create_repeating(
        job=clash.job,
        resources=[suite],
        occurrences=spans,
        status="confirmed",
        actor=SYSTEM,
        skip_conflicts=True,
    )
    assert len(made) == 9
    assert [(s["start"], s["end"]) for s in skipped] == [(at(4, 9), at(4, 19))]
    assert skipped[0]["conflicts"][0]["booking"] == clash.pk
