"""Requirements that apps above the front desk register for sign-in (an NDA to sign):
refused with the reason until the visitor types their name and ticks the box; the
signature kept with the visit, and blanked with the visitor's details after the
retention period."""

import datetime

import pytest

from postdesk.core.errors import InvalidInput
from postdesk.frontdesk import privacy, sign_in_requirements, visitor_services
from postdesk.frontdesk.sign_in_requirements import NdaRequirement

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 9, 1, 12, tzinfo=datetime.UTC)


@pytest.fixture
def requires_nda(monkeypatch, production):
    """A provider requiring an NDA of visits for `production` (and no other)."""
    asked = []

    def provider(booking, production_id, now):
        asked.append((booking, production_id, now))
        if production_id != production.pk:
            return []
        return [NdaRequirement(reason="The preview requires a signed NDA", text="Say nothing.")]

    monkeypatch.setattr(sign_in_requirements, "_providers", [provider])
    return asked


def test_a_visit_needing_an_nda_is_refused_until_signed(requires_nda, production, users):
    sign = {"actor": users["reception"], "name": "Ann Lee", "production": production, "now": NOW}
    with pytest.raises(InvalidInput) as refused:
        visitor_services.sign_in(**sign)
    assert refused.value.code == "nda_signature_required"
    assert refused.value.message == "The preview requires a signed NDA"
    assert refused.value.details["nda"]["text"] == "Say nothing."
    assert set(refused.value.details["fields"]) == {"nda_signature", "nda_agreed"}
    with pytest.raises(InvalidInput) as unticked:
        visitor_services.sign_in(**sign, nda_signature="Ann Lee")
    assert set(unticked.value.details["fields"]) == {"nda_agreed"}

    visit = visitor_services.sign_in(**sign, nda_signature="  Ann   Lee ", nda_agreed=True)
    assert (visit.nda_signature, visit.nda_signed_for) == (
        "Ann Lee",
        "The preview requires a signed NDA",
    )
    assert requires_nda[-1] == (None, production.pk, NOW)


def test_no_context_or_another_production_needs_nothing(requires_nda, users):
    visit = visitor_services.sign_in(actor=users["reception"], name="Walk In", now=NOW)
    assert visit.nda_signature == ""
    assert requires_nda == []  # nothing to ask about: no booking, no production


def test_the_signature_is_blanked_with_the_visitor_after_retention(requires_nda, production, users):
    old = NOW - datetime.timedelta(days=200)
    visit = visitor_services.sign_in(
        actor=users["reception"],
        name="Ann Lee",
        production=production,
        nda_signature="Ann Lee",
        nda_agreed=True,
        now=old,
    )
    visitor_services.sign_out(visit.pk, actor=users["reception"], now=old)
    assert privacy.anonymise_old_visitors(now=NOW) == 1
    visit.refresh_from_db()
    assert (visit.nda_signature, visit.nda_signed_for) == (
        privacy.ANONYMOUS,
        "The preview requires a signed NDA",
    )


def test_the_api_answers_422_with_the_reason_then_signs_in(requires_nda, production, api_as):
    api = api_as("reception")
    body = {"name": "Ann Lee", "production": production.pk}
    refused = api.post("frontdesk/visits", body)
    assert refused.status_code == 422
    assert refused.json()["code"] == "nda_signature_required"
    assert refused.json()["message"] == "The preview requires a signed NDA"
    signed = api.post("frontdesk/visits", {**body, "nda_signature": "Ann Lee", "nda_agreed": True})
    assert signed.status_code == 201, signed.content
    assert signed.json()["nda_signature"] == "Ann Lee"
