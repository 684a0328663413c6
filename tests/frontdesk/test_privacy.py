"""Visitor details are anonymised after the retention period (default 180 days)."""

import datetime

import pytest

from postdesk.core.models import AuditEntry
from postdesk.frontdesk import privacy, visitor_services
from postdesk.frontdesk.models import NdaAcceptance, PreRegistration, Visit

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
NOW = datetime.datetime(2026, 9, 1, 12, tzinfo=UTC)


def _visit(users, name, days_ago, **kw):
    when = NOW - datetime.timedelta(days=days_ago)
    visit = visitor_services.sign_in(
        actor=users["reception"],
        name=name,
        company="Dolby",
        car_registration="AB12 CDE",
        now=when,
        **kw,
    )
    visitor_services.sign_out(
        visit.pk, actor=users["reception"], now=when + datetime.timedelta(hours=2)
    )
    return visit


def test_visits_older_than_180_days_lose_their_details_and_keep_the_record(users, production):
    visitor_services.publish_nda(actor=users["reception"], production=production, text="v1")
    old = _visit(users, "Old Visitor", 181, production=production, accept_nda_version=1)
    recent = _visit(users, "Recent Visitor", 179)
    visitor_services.pre_register(
        actor=users["engineer"],
        name="Old Guest",
        company="X",
        email="g@example.com",
        expected_at=NOW - datetime.timedelta(days=200),
    )

    assert privacy.anonymise_old_visitors(now=NOW) == 1

    old.refresh_from_db(), recent.refresh_from_db()
    assert (old.name, old.company, old.car_registration) == ("Anonymised visitor", "", "")
    assert old.anonymised_at == NOW and old.signed_in_at == NOW - datetime.timedelta(days=181)
    assert old.nda_accepted.nda.version == 1  # which text was accepted stays
    acceptance = NdaAcceptance.objects.get()
    assert acceptance.name == "Anonymised visitor" and "old visitor" not in acceptance.person
    assert (recent.name, recent.company) == ("Recent Visitor", "Dolby")
    reg = PreRegistration.objects.get()
    assert (reg.name, reg.email) == ("Anonymised visitor", "")
    assert AuditEntry.objects.filter(object_id="retention", actor_label="worker").count() == 1
    # Run again: nothing more to do
    assert privacy.anonymise_old_visitors(now=NOW) == 0


def test_the_retention_period_is_a_setting(users, settings):
    settings.POSTDESK = {**settings.POSTDESK, "VISITOR_RETENTION_DAYS": 30}
    _visit(users, "Month Old", 31)
    assert privacy.anonymise_old_visitors(now=NOW) == 1
    assert Visit.objects.get().name == "Anonymised visitor"


def test_anonymised_visitors_are_not_offered_by_the_kiosk_search(users, api_as):
    _visit(users, "Hannah Gone", 200)
    privacy.anonymise_old_visitors(now=NOW)
    assert api_as("reception").get("frontdesk/search", q="Anonym").json() == []
