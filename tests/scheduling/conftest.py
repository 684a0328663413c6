"""Fixtures of the scheduling tests: a few rooms and people at the Soho site."""

import datetime

import pytest

from postdesk.core.audit import SYSTEM
from postdesk.scheduling import services

UTC = datetime.UTC


def at(day: int, hour: int, minute: int = 0, month: int = 3) -> datetime.datetime:
    """An instant in March 2026 (UTC; London is on GMT until the 29th)."""
    return datetime.datetime(2026, month, day, hour, minute, tzinfo=UTC)


def board_allocations(data: dict) -> list[dict]:
    """The board's allocation rows as dicts of `allocation_fields`, as a client reads them."""
    return [dict(zip(data["allocation_fields"], row, strict=True)) for row in data["allocations"]]


@pytest.fixture
def suite(site):
    return services.create_resource(
        actor=SYSTEM, kind="room", name="Suite 3", site=site, capacity=6
    )


@pytest.fixture
def suite2(site):
    return services.create_resource(actor=SYSTEM, kind="room", name="Suite 4", site=site)


@pytest.fixture
def editor(site):
    return services.create_resource(
        actor=SYSTEM,
        kind="person",
        name="Jo Editor",
        site=site,
        skills=[services.create_skill(actor=SYSTEM, name="Avid")],
    )


@pytest.fixture
def book(job):
    """book(resources, start, end, status="pencil", **kw) -> a booking on `job`."""

    def make(resources, start, end, status="pencil", **kw):
        kw.setdefault("job", job)
        kw.setdefault("actor", SYSTEM)
        return services.create_booking(
            resources=resources, start=start, end=end, status=status, **kw
        )

    return make


def ranks(booking) -> dict[int, int | None]:
    """{resource_id: hold_rank} of a booking as stored."""
    from postdesk.scheduling.models import Allocation

    return dict(Allocation.objects.filter(booking=booking).values_list("resource_id", "hold_rank"))
