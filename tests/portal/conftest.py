"""Fixtures of the portal's tests: a room and bookings made through scheduling's
services, and feeds made through the portal's."""

import datetime
import zoneinfo

import icalendar
import pytest
from django.utils import timezone

from postdesk.portal import services
from postdesk.scheduling import services as scheduling
from tests.billing.conftest import (  # noqa: F401 - billing's fixtures, by name
    baselight,
    make_booking,
    standard_card,
    theatre,
)

LONDON = zoneinfo.ZoneInfo("Europe/London")


def soon(days: int, hour: int = 9, hours: int = 10):
    """A span starting `days` days from today at `hour` London time, `hours` long."""
    day = timezone.now().astimezone(LONDON).date() + datetime.timedelta(days=days)
    start = datetime.datetime.combine(day, datetime.time(hour), LONDON)
    return start, start + datetime.timedelta(hours=hours)


def london(day: str, hhmm: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(f"{day}T{hhmm}:00").replace(tzinfo=LONDON)


def events(body: bytes) -> dict[str, icalendar.Event]:
    """The feed's events by UID, as icalendar parses them."""
    cal = icalendar.Calendar.from_ical(body)
    return {str(e["UID"]): e for e in cal.walk("VEVENT")}


@pytest.fixture
def room(site, users):
    return scheduling.create_resource(
        actor=users["bookings"], kind="room", name="Suite 3", site=site
    )


@pytest.fixture
def book(users, room):
    def make(job, span, *, status="confirmed", resources=None, **kw):
        return scheduling.create_booking(
            job=job,
            resources=resources or [room],
            start=span[0],
            end=span[1],
            status=status,
            actor=users["bookings"],
            **kw,
        )

    return make


@pytest.fixture
def make_feed():
    def make(user, kind, **target):
        return services.create_feed(kind=kind, actor=user, **target)

    return make
