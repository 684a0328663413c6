"""The longest span, the overlap predicate and the site-or-facility zone are each defined
once and used by the booking services, the board's queries and billing's span limits."""

import datetime
import zoneinfo

import pytest

from postdesk.billing import limits
from postdesk.core.audit import SYSTEM
from postdesk.core.errors import InvalidInput
from postdesk.core.timeutil import zone_or_facility
from postdesk.scheduling import availability, board, overlap, services
from postdesk.scheduling.models import Allocation
from postdesk.scheduling.services import checks, conflicts
from tests.scheduling.conftest import at

pytestmark = pytest.mark.django_db


def test_one_definition_of_each():
    assert checks.max_span is overlap.max_span
    assert conflicts.max_span is overlap.max_span
    assert availability.max_span is overlap.max_span
    assert availability.overlapping is overlap.overlapping
    assert board.overlapping is overlap.overlapping
    assert limits.max_span is overlap.max_span


def test_overlap_is_half_open(book, suite):
    book([suite], at(2, 10), at(2, 11), "confirmed")
    touching = Allocation.objects.filter(overlap.overlaps(at(2, 11), at(2, 12)))
    inside = Allocation.objects.filter(overlap.overlaps(at(2, 10, 30), at(2, 10, 45)))
    assert (touching.count(), inside.count()) == (0, 1)
    assert overlap.overlapping(Allocation.objects.all(), at(2, 11), at(2, 12)).count() == 0
    assert overlap.overlapping(Allocation.objects.all(), at(2, 9), at(2, 10, 1)).count() == 1


def test_max_booking_days_bounds_bookings_and_priced_spans_alike(settings, suite, job):
    settings.POSTDESK = {**settings.POSTDESK, "MAX_BOOKING_DAYS": 2}
    start, end = at(2, 9), at(2, 9) + datetime.timedelta(days=3)
    with pytest.raises(InvalidInput) as booking:
        services.create_booking(job=job, resources=[suite], start=start, end=end, actor=SYSTEM)
    with pytest.raises(InvalidInput) as priced:
        limits.require_span(start, end)
    assert booking.value.message == "A booking may span at most 2 days"
    assert priced.value.message == "A span may last at most 2 days"
    assert Allocation.objects.count() == 0


def test_zone_or_facility(settings):
    settings.TIME_ZONE = "Europe/London"
    assert zone_or_facility("America/New_York") == zoneinfo.ZoneInfo("America/New_York")
    assert zone_or_facility("") == zoneinfo.ZoneInfo("Europe/London")
    assert zone_or_facility(None) == zoneinfo.ZoneInfo("Europe/London")
