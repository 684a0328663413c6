"""Fixtures of the front desk tests: a suite, bookings made through scheduling's services."""

import datetime

import pytest

from postdesk.scheduling import services as scheduling

UTC = datetime.UTC


@pytest.fixture
def suite(site, users):
    return scheduling.create_resource(
        actor=users["bookings"], kind="room", name="Suite 3", site=site
    )


@pytest.fixture
def book(job, users):
    """book(resources, start, end) -> a confirmed client session on `job`, owned by the
    bookings user (the visitors' host)."""

    def make(resources, start, end, **kw):
        kw.setdefault("job", job)
        kw.setdefault("owner", users["bookings"])
        return scheduling.create_booking(
            resources=resources,
            start=start,
            end=end,
            status="confirmed",
            actor=users["bookings"],
            **kw,
        )

    return make
