# ruff: noqa: F811 (the fixtures imported below are redefined as arguments)
"""A screening's NDA-required flag, enforced by the front desk at sign-in through its
registry (frontdesk/sign_in_requirements.py): a visitor signing in for the screening's
booking, or for its production on the screening's day, signs the NDA or is refused."""

import datetime

import pytest

from postdesk.coordination import screenings
from postdesk.coordination.screening_ndas import screening_ndas
from postdesk.core.errors import InvalidInput
from postdesk.frontdesk import sign_in_requirements, visitor_services
from tests.coordination.test_screenings import screening_job, span, theatre  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def nda_screening(screening_job, theatre, coordinator):
    start, end = span()
    return screenings.book_screening(
        job=screening_job,
        room=theatre,
        start=start,
        end=end,
        cut_version="Director's cut v3",
        nda_required=True,
        actor=coordinator,
    )


def test_coordination_registers_its_provider_with_the_front_desk():
    assert screening_ndas in sign_in_requirements._providers


def test_signing_in_for_the_screenings_booking_needs_the_nda(nda_screening, users):
    sign = {
        "actor": users["reception"],
        "name": "Priya Shah",
        "booking": nda_screening.booking,
        "now": nda_screening.starts_at - datetime.timedelta(minutes=20),
    }
    with pytest.raises(InvalidInput) as refused:
        visitor_services.sign_in(**sign)
    assert refused.value.code == "nda_signature_required"
    assert (
        refused.value.message
    ) == "The screening of The Long Tide (Director's cut v3) requires a signed NDA"
    assert "Director's cut v3" in refused.value.details["nda"]["text"]
    visit = visitor_services.sign_in(**sign, nda_signature="Priya Shah", nda_agreed=True)
    assert visit.nda_signature == "Priya Shah"
    assert visit.nda_signed_for.startswith("The screening of The Long Tide")


def test_the_production_on_the_screenings_day_needs_it_other_days_do_not(
    nda_screening, production, users
):
    on_the_day = nda_screening.starts_at - datetime.timedelta(hours=3)
    with pytest.raises(InvalidInput):
        visitor_services.sign_in(
            actor=users["reception"], name="Leo", production=production, now=on_the_day
        )
    day_before = nda_screening.starts_at - datetime.timedelta(days=1)
    visit = visitor_services.sign_in(
        actor=users["reception"], name="Leo", production=production, now=day_before
    )
    assert visit.nda_signature == ""


def test_a_screening_without_the_flag_needs_nothing(screening_job, theatre, coordinator, users):
    start, end = span(7)
    plain = screenings.book_screening(
        job=screening_job, room=theatre, start=start, end=end, cut_version="v1", actor=coordinator
    )
    visit = visitor_services.sign_in(
        actor=users["reception"], name="Mia", booking=plain.booking, now=start
    )
    assert visit.nda_signed_for == ""


def test_the_api_refuses_with_422_then_signs_in(nda_screening, api_as):
    api = api_as("reception")
    body = {"name": "Priya Shah", "booking": nda_screening.booking_id}
    refused = api.post("frontdesk/visits", body)
    assert refused.status_code == 422
    answer = refused.json()
    assert answer["code"] == "nda_signature_required"
    assert "requires a signed NDA" in answer["message"]
    assert "Director's cut v3" in answer["details"]["nda"]["text"]
    half = api.post("frontdesk/visits", {**body, "nda_signature": "Priya Shah"})
    assert half.status_code == 422
    signed = api.post(
        "frontdesk/visits", {**body, "nda_signature": "Priya Shah", "nda_agreed": True}
    )
    assert signed.status_code == 201, signed.content
    assert signed.json()["nda_signature"] == "Priya Shah"
