import pytest

from postdesk.core import demo_data
from postdesk.productions import demo as productions_demo
from postdesk.scheduling import demo
from postdesk.scheduling.models import Allocation, Booking, Resource

pytestmark = pytest.mark.django_db


def test_demo_facility_has_six_weeks_of_believable_bookings():
    demo_data.load()
    productions_demo.load()

    summary = demo.load()

    assert summary.startswith("82 resources;")
    assert Resource.objects.filter(kind="room").count() == 12
    assert Resource.objects.filter(kind="equipment", location__isnull=False).count() > 10
    assert Resource.objects.filter(kind="person", employment="freelance").count() > 10
    ranks = set(Allocation.objects.filter(status="pencil").values_list("hold_rank", flat=True))
    assert {1, 2, 3} <= ranks
    assert Booking.objects.filter(challenge_deadline__isnull=False, status="pencil").count() == 1
    assert Booking.objects.filter(status="completed").exists()
    assert Booking.objects.filter(kind="maintenance").exists()
    assert Booking.objects.filter(kind="leave").exists()
    assert demo.load().startswith("skipped")
