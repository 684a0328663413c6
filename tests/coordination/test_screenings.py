"""Preview screenings: a room booked through the scheduling service or an external
venue; RSVP links that cannot be guessed or used for another screening; capacity
checked against accepted RSVPs."""

import datetime

import pytest

from postdesk.coordination import screenings
from postdesk.coordination.models import Invitee, Screening
from postdesk.core.audit import SYSTEM
from postdesk.core.errors import Conflict, InvalidInput, NotFound
from postdesk.core.timeutil import facility_zone, local_at
from postdesk.productions import services as production_services
from postdesk.scheduling import services as scheduling
from postdesk.scheduling.models import Booking
from tests.coordination.conftest import days
from tests.scheduling.test_pages_resource_forms import submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def screening_job(production):
    return production_services.create_job(
        actor=SYSTEM, production=production, description="Preview", work_type="screening"
    )


@pytest.fixture
def theatre(site):
    return scheduling.create_resource(
        actor=SYSTEM, kind="room", name="Screening room", site=site, capacity=3
    )


def span(day=6):
    zone = facility_zone()
    return local_at(days(day), datetime.time(18), zone), local_at(
        days(day), datetime.time(21), zone
    )


@pytest.fixture
def screening(screening_job, theatre, coordinator):
    start, end = span()
    return screenings.book_screening(
        job=screening_job,
        room=theatre,
        start=start,
        end=end,
        cut_version="Director's cut v3",
        plus_ones_allowed=1,
        actor=coordinator,
    )


def test_a_room_screening_is_a_booking_and_an_external_one_is_noted(
    screening, screening_job, coordinator, theatre
):
    assert Booking.objects.get().pk == screening.booking_id
    start, end = span(8)
    outside = screenings.book_screening(
        job=screening_job,
        external_venue="Soho Screening Rooms",
        venue_capacity=40,
        start=start,
        end=end,
        cut_version="v4",
        actor=coordinator,
    )
    assert (outside.booking_id, outside.external_venue, screenings.capacity(outside)) == (
        None,
        "Soho Screening Rooms",
        40,
    )
    with pytest.raises(InvalidInput):
        screenings.book_screening(
            job=screening_job,
            room=theatre,
            external_venue="Both",
            start=start,
            end=end,
            cut_version="x",
            actor=coordinator,
        )
    assert Screening.objects.count() == 2


def test_tokens_cannot_be_guessed_or_used_for_another_screening(
    screening, screening_job, coordinator
):
    ann = screenings.invite(screening, name="Ann", email="ann@example.com", actor=coordinator)
    start, end = span(9)
    other = screenings.book_screening(
        job=screening_job,
        external_venue="Elsewhere",
        venue_capacity=10,
        start=start,
        end=end,
        cut_version="v5",
        actor=coordinator,
    )
    bob = screenings.invite(other, name="Bob", email="bob@example.com", actor=coordinator)

    assert len(ann.token) >= 43 and ann.token != bob.token
    with pytest.raises(NotFound):
        screenings.respond(screening_id=other.pk, token=ann.token, accept=True)
    with pytest.raises(NotFound):
        screenings.respond(screening_id=screening.pk, token="a" * 43, accept=True)
    assert Invitee.objects.get(pk=ann.pk).response == "pending"
    assert (
        screenings.respond(screening_id=screening.pk, token=ann.token, accept=True).response
        == "accepted"
    )


def test_capacity_is_checked_against_accepted_rsvps(screening, coordinator):
    a, b, c = (
        screenings.invite(screening, name=n, email=f"{n}@example.com", actor=coordinator)
        for n in "abc"
    )
    screenings.respond(screening_id=screening.pk, token=a.token, accept=True, plus_ones=1)
    screenings.respond(screening_id=screening.pk, token=b.token, accept=True)
    assert screenings.seats_taken(screening) == 3

    with pytest.raises(Conflict) as exc:
        screenings.respond(screening_id=screening.pk, token=c.token, accept=True)
    assert exc.value.message == "The screening is full (3 seats)"
    assert Invitee.objects.get(pk=c.pk).response == "pending"
    # a guest dropped frees a seat; answering again does not count one's own seat twice
    screenings.respond(screening_id=screening.pk, token=a.token, accept=True, plus_ones=0)
    assert (
        screenings.respond(screening_id=screening.pk, token=c.token, accept=True).response
        == "accepted"
    )
    with pytest.raises(InvalidInput):
        screenings.respond(screening_id=screening.pk, token=b.token, accept=True, plus_ones=2)


def test_pages_book_invite_and_the_invitee_answers_without_signing_in(
    page_as, production, screening_job, theatre, client
):
    http = page_as("coordinator")
    start, end = span(10)
    zone = facility_zone()
    response = submit(
        http,
        f"/coordination/productions/{production.pk}/screenings/new/",
        job=str(screening_job.pk),
        room=str(theatre.pk),
        start=start.astimezone(zone).strftime("%Y-%m-%dT%H:%M"),
        end=end.astimezone(zone).strftime("%Y-%m-%dT%H:%M"),
        cut_version="Fine cut",
        plus_ones_allowed="1",
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    screening = Screening.objects.get()
    response = submit(
        http,
        f"/coordination/screenings/{screening.pk}/invite/",
        name="Dee",
        email="dee@example.com",
    )
    assert response.status_code == 302
    dee = Invitee.objects.get()

    url = f"/coordination/rsvp/{screening.pk}/{dee.token}/"
    assert client.get(url).status_code == 200
    answered = client.post(url, {"accept": "yes", "plus_ones": "1"})
    assert answered.status_code == 200 and "Thank you" in answered.content.decode()
    assert (Invitee.objects.get().response, Invitee.objects.get().plus_ones) == ("accepted", 1)
    assert client.get(f"/coordination/rsvp/{screening.pk + 1}/{dee.token}/").status_code == 404
    page = http.get(f"/coordination/productions/{production.pk}/screenings/").content.decode()
    assert "2 of 3 seats taken" in page


def test_screenings_through_the_api(api_as, production, screening_job, theatre):
    api = api_as("coordinator")
    start, end = span(12)
    created = api.post(
        "screenings",
        {
            "job": screening_job.pk,
            "room": theatre.pk,
            "start": start.isoformat(),
            "end": end.isoformat(),
            "cut_version": "Lock v1",
            "nda_required": True,
        },
    )
    assert created.status_code == 201, created.content
    sid = created.json()["id"]
    invited = api.post(f"screenings/{sid}/invitees", {"name": "Eve", "email": "eve@example.com"})
    assert invited.status_code == 201
    body = api.get(f"productions/{production.pk}/screenings").json()[0]
    assert (body["capacity"], body["seats_taken"], body["nda_required"]) == (3, 0, True)
    assert body["invitees"][0]["rsvp_path"].startswith(f"/coordination/rsvp/{sid}/")
    assert (
        api.post(
            "screenings",
            {
                "job": screening_job.pk,
                "start": start.isoformat(),
                "end": end.isoformat(),
                "cut_version": "x",
            },
        ).status_code
        == 422
    )
    assert api_as("client").get(f"productions/{production.pk}/screenings").status_code == 403


def test_the_coordinators_desk_lists_this_fortnights_screenings_and_adr(
    page_as, screening, coordinator, site
):
    from postdesk.coordination import adr

    adr_job = production_services.create_job(
        actor=SYSTEM, production=screening.production, description="ADR", work_type="adr"
    )
    stage = scheduling.create_resource(actor=SYSTEM, kind="room", name="ADR stage", site=site)
    mixer = scheduling.create_resource(
        actor=SYSTEM, kind="person", name="Mo", site=site, employment="staff"
    )
    start, end = span(3)
    adr.book_session(
        job=adr_job,
        stage=stage,
        mixer=mixer,
        start=start,
        end=end,
        talent="Ruth Wilde",
        actor=coordinator,
    )

    page = page_as("coordinator").get("/coordination/")

    assert [s.pk for s in page.context["desk"]["screenings"]] == [screening.pk]
    assert [a.talent for a in page.context["desk"]["adr_sessions"]] == ["Ruth Wilde"]
    text = page.content.decode()
    assert "Director&#x27;s cut v3" in text and "Ruth Wilde" in text
