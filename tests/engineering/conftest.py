"""Fixtures of the engineering tests: grading rooms with skills at the Soho site, and a
job to book them for."""

import datetime

import pytest

from postdesk.core.audit import SYSTEM
from postdesk.scheduling import services as scheduling

UTC = datetime.UTC


def at(day: int, hour: int, minute: int = 0, month: int = 3) -> datetime.datetime:
    """An instant in 2026 (UTC)."""
    return datetime.datetime(2026, month, day, hour, minute, tzinfo=UTC)


@pytest.fixture
def grading(site):
    return scheduling.create_skill(actor=SYSTEM, name="Baselight")


@pytest.fixture
def rooms(site, grading):
    """Grade 1 (down in the tests), Grade 2 and Grade 3 (same kind and skill), and an
    edit suite without the skill."""
    make = scheduling.create_resource
    return {
        "grade1": make(actor=SYSTEM, kind="room", name="Grade 1", site=site, skills=[grading]),
        "grade2": make(actor=SYSTEM, kind="room", name="Grade 2", site=site, skills=[grading]),
        "grade3": make(actor=SYSTEM, kind="room", name="Grade 3", site=site, skills=[grading]),
        "edit": make(actor=SYSTEM, kind="room", name="Edit 1", site=site),
    }


@pytest.fixture
def book(job):
    def make(resources, start, end, status="confirmed", **kw):
        kw.setdefault("job", job)
        kw.setdefault("actor", SYSTEM)
        return scheduling.create_booking(
            resources=[getattr(r, "pk", r) for r in resources],
            start=start,
            end=end,
            status=status,
            **kw,
        )

    return make
