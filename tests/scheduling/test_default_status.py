"""The status a new booking takes when none is given is decided once, in the services:
maintenance and leave are confirmed, everything else is a pencil."""

import datetime

import pytest

from postdesk.core.audit import SYSTEM
from postdesk.core.errors import InvalidInput
from postdesk.scheduling import services
from postdesk.scheduling.models import Booking
from tests.scheduling.conftest import at

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("kind", "expected"),
    [("maintenance", "confirmed"), ("leave", "confirmed"), ("internal", "pencil")],
)
def test_create_booking_without_status_takes_the_kinds_default(suite, kind, expected):
    booking = services.create_booking(
        job=None, resources=[suite], start=at(2, 9), end=at(2, 11), kind=kind, actor=SYSTEM
    )
    assert Booking.objects.get(pk=booking.pk).status == expected


def test_create_booking_of_a_job_without_status_is_a_pencil(suite, job):
    booking = services.create_booking(
        job=job, resources=[suite], start=at(2, 9), end=at(2, 11), actor=SYSTEM
    )
    assert Booking.objects.get(pk=booking.pk).status == "pencil"


def test_create_repeating_without_status_takes_the_kinds_default(suite):
    made, skipped = services.create_repeating(
        job=None,
        resources=[suite],
        occurrences=[(at(2, 9), at(2, 11)), (at(3, 9), at(3, 11))],
        kind="leave",
        actor=SYSTEM,
    )
    assert skipped == []
    assert [Booking.objects.get(pk=b.pk).status for b in made] == ["confirmed", "confirmed"]


def test_an_explicit_pencil_for_maintenance_is_still_refused(suite):
    with pytest.raises(InvalidInput):
        services.create_booking(
            job=None,
            resources=[suite],
            start=at(2, 9),
            end=at(2, 11),
            kind="maintenance",
            status="pencil",
            actor=SYSTEM,
        )
    assert Booking.objects.count() == 0


def test_api_repeat_without_status_takes_the_kinds_default(api_as, suite, job):
    body = {
        "resources": [suite.pk],
        "first_day": "2026-03-02",
        "last_day": "2026-03-03",
        "start_time": "09:00",
        "end_time": "11:00",
    }
    maintenance = api_as("engineer").post("bookings/repeat", {**body, "kind": "maintenance"})
    work = api_as("bookings").post(
        "bookings/repeat",
        {**body, "job": job.pk, "first_day": "2026-03-09", "last_day": "2026-03-09"},
    )
    assert maintenance.status_code == 201, maintenance.content
    assert [b["status"] for b in maintenance.json()["bookings"]] == ["confirmed", "confirmed"]
    assert work.status_code == 201, work.content
    assert [b["status"] for b in work.json()["bookings"]] == ["pencil"]
    assert datetime.date(2026, 3, 9).isoformat() in work.json()["bookings"][0]["start"]
