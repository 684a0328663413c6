"""Billing fixtures: resources, a standard rate card, and bookings made through the
scheduling services."""

import datetime
from decimal import Decimal

import pytest

from postdesk.billing import services
from postdesk.core.audit import SYSTEM
from postdesk.scheduling.models import Booking, Resource, Skill

UTC = datetime.UTC


def at(day: str, hhmm: str) -> datetime.datetime:
    """A UTC instant from '2026-03-02', '09:00' (winter dates: London is UTC)."""
    return datetime.datetime.fromisoformat(f"{day}T{hhmm}:00+00:00")


@pytest.fixture
def baselight(db):
    return Skill.objects.create(name="Baselight")


@pytest.fixture
def theatre(site, baselight):
    room = Resource.objects.create(kind="room", name="Grading theatre 1", site=site)
    room.skills.add(baselight)
    return room


@pytest.fixture
def suite(site):
    return Resource.objects.create(kind="room", name="Offline suite 2", site=site)


@pytest.fixture
def colourist(site, baselight):
    person = Resource.objects.create(
        kind="person",
        name="Ana Colourist",
        site=site,
        employment="freelance",
        day_rate=Decimal("400.00"),
    )
    person.skills.add(baselight)
    return person


@pytest.fixture
def standard_card(db):
    card = services.create_rate_card(actor=SYSTEM, name="Standard", is_standard=True)
    services.create_rate_entry(
        actor=SYSTEM,
        card=card,
        resource_kind="room",
        label="Room",
        hourly=Decimal("150"),
        half_day=Decimal("600"),
        day=Decimal("1000"),
        category="offline",
        nominal_code="4000",
    )
    services.create_rate_entry(
        actor=SYSTEM,
        card=card,
        resource_kind="person",
        label="Crew",
        hourly=Decimal("50"),
        half_day=Decimal("250"),
        day=Decimal("450"),
        category="other",
        nominal_code="4100",
    )
    services.create_rate_entry(
        actor=SYSTEM,
        card=card,
        service="Courier",
        label="Courier",
        unit="item",
        unit_price=Decimal("35"),
        category="services",
        nominal_code="4200",
    )
    return card


@pytest.fixture
def make_booking(db):
    """Bookings through the scheduling services; "completed" ones are confirmed, then
    completed once over, "released" ones pencilled, then released."""
    from postdesk.scheduling import services as scheduling

    def make(job, resources, start, end, status="confirmed"):
        first = {"completed": "confirmed", "released": "pencil"}.get(status, status)
        booking = scheduling.create_booking(
            job=job, resources=resources, start=start, end=end, status=first, actor=SYSTEM
        )
        if status == "completed":
            booking = scheduling.complete_booking(booking, actor=SYSTEM, now=end)
        elif status == "released":
            booking = scheduling.release_booking(booking, actor=SYSTEM)
        return Booking.objects.get(pk=booking.pk)

    return make


@pytest.fixture
def signed_sheet(job, theatre, standard_card, make_booking):
    """A signed-off job sheet for a completed 10-hour weekday in the grading theatre."""

    def make(day="2026-03-02", start="09:00", end="19:00", resources=None):
        booking = make_booking(
            job, resources or [theatre], at(day, start), at(day, end), status="completed"
        )
        sheet = services.create_job_sheet(booking=booking, actor=SYSTEM)
        services.sign_job_sheet(sheet, actor=SYSTEM, party="operator", name="Ana")
        return services.sign_job_sheet(sheet, actor=SYSTEM, party="client", name="Hannah Reid")

    return make


@pytest.fixture
def draft_invoice(job, signed_sheet):
    """A draft invoice of one signed-off sheet: 1000.00 net, 200.00 VAT."""
    return services.create_invoice(job=job, sheets=[signed_sheet()], actor=SYSTEM)
