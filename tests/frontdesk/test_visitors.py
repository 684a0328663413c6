"""Expected visitors from the bookings, sign-in with the NDA, badge, sign-out, midnight."""

import datetime

import pytest
from django.core import mail
from pypdf import PdfReader

from postdesk.core.errors import Conflict, InvalidInput
from postdesk.frontdesk import badges, visitor_queries, visitor_services
from postdesk.frontdesk.models import NdaAcceptance, Visit
from postdesk.productions import services as productions

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
DAY = datetime.date(2026, 3, 2)  # London is on GMT: local day = UTC day


def at(hour, minute=0, day=DAY):
    return datetime.datetime(day.year, day.month, day.day, hour, minute, tzinfo=UTC)


def test_expected_visitors_come_from_the_days_client_sessions_by_arrival(
    book, suite, job, contact, client_company, users
):
    # Given a session with no attendees named (so the job's contact is expected) and a
    # later one naming two other contacts of the client, plus a pre-registered visitor
    book([suite], at(14), at(16))
    later = book([suite], at(17), at(19))
    amy = productions.create_contact(
        actor=users["bookings"], client=client_company, name="Amy Cole"
    )
    ben = productions.create_contact(actor=users["bookings"], client=client_company, name="Ben Ode")
    for person in (amy, ben):
        visitor_services.add_attendee(actor=users["bookings"], booking=later, contact=person)
    visitor_services.pre_register(
        actor=users["engineer"], name="Sam Tech", company="Dolby", expected_at=at(10)
    )
    # and a session another day
    book(
        [suite],
        at(10, day=DAY + datetime.timedelta(days=1)),
        at(12, day=DAY + datetime.timedelta(days=1)),
    )

    rows = visitor_queries.expected(users["reception"], DAY)

    assert [(r["name"], r["expected_at"].hour, r["suite"], r["host"]) for r in rows] == [
        ("Sam Tech", 10, "", "engineer-user"),
        ("Hannah Reid", 14, "Suite 3", "bookings-user"),
        ("Amy Cole", 17, "Suite 3", "bookings-user"),
        ("Ben Ode", 17, "Suite 3", "bookings-user"),
    ]
    assert all(r["arrived"] is False for r in rows)


def test_a_contact_in_two_sessions_is_expected_once_and_marked_arrived_on_sign_in(
    book, suite, contact, users
):
    first = book([suite], at(9), at(11))
    book([suite], at(14), at(16))
    visit = visitor_services.sign_in(
        actor=users["reception"],
        name=contact.name,
        company="Northlight Pictures",
        contact=contact,
        booking=first,
        now=at(8, 55),
    )
    rows = visitor_queries.expected(users["reception"], DAY)
    assert [(r["name"], r["arrived"], r["visit"]) for r in rows] == [
        ("Hannah Reid", True, visit.pk)
    ]
    assert visit.host == users["bookings"]  # the session's owner hosts


def test_the_nda_is_accepted_once_per_version_and_again_when_the_text_changes(
    book, suite, contact, production, users
):
    booking = book([suite], at(9), at(11))
    visitor_services.publish_nda(actor=users["reception"], production=production, text="v1")
    sign = dict(actor=users["reception"], name=contact.name, contact=contact, booking=booking)

    with pytest.raises(InvalidInput) as refused:
        visitor_services.sign_in(**sign, now=at(9))
    assert refused.value.code == "nda_required"
    assert refused.value.details["nda"] == {"version": 1, "text": "v1"}
    assert Visit.objects.count() == 0

    first = visitor_services.sign_in(**sign, accept_nda_version=1, now=at(9))
    visitor_services.sign_out(first.pk, actor=users["reception"], now=at(10))
    # Same text: no need to accept again
    again = visitor_services.sign_in(**sign, now=at(10, 30))
    assert again.nda_accepted == first.nda_accepted

    visitor_services.publish_nda(actor=users["reception"], production=production, text="v2")
    with pytest.raises(InvalidInput, match="version 2"):
        visitor_services.sign_in(**sign, accept_nda_version=1, now=at(11))
    third = visitor_services.sign_in(**sign, accept_nda_version=2, now=at(11))
    assert third.nda_accepted.nda.version == 2
    assert NdaAcceptance.objects.filter(person=f"contact:{contact.pk}").count() == 2


def test_sign_out_is_one_tap_and_twice_is_a_conflict(users):
    visit = visitor_services.sign_in(actor=users["reception"], name="Walk In", now=at(9))
    visitor_services.sign_out(visit.pk, actor=users["reception"], now=at(12))
    with pytest.raises(Conflict):
        visitor_services.sign_out(visit.pk, actor=users["reception"], now=at(13))
    visit.refresh_from_db()
    assert visit.signed_out_at == at(12) and visit.auto_signed_out is False


def test_whoever_is_in_at_midnight_is_signed_out_automatically_marked_as_such(users):
    stayed = visitor_services.sign_in(actor=users["reception"], name="Night Owl", now=at(20))
    left = visitor_services.sign_in(actor=users["reception"], name="Early Bird", now=at(9))
    visitor_services.sign_out(left.pk, actor=users["reception"], now=at(17))
    today = visitor_services.sign_in(
        actor=users["reception"], name="Next Day", now=at(8, day=DAY + datetime.timedelta(days=1))
    )

    # The sweep before midnight changes nothing; after it, only the one left in that day
    assert visitor_services.sign_out_left_overnight(now=at(23, 59)) == 0
    assert visitor_services.sign_out_left_overnight(now=at(9, day=DAY + datetime.timedelta(1))) == 1

    stayed.refresh_from_db(), left.refresh_from_db(), today.refresh_from_db()
    assert stayed.auto_signed_out is True
    assert stayed.signed_out_at == at(0, day=DAY + datetime.timedelta(days=1))
    assert left.auto_signed_out is False and left.signed_out_at == at(17)
    assert today.signed_out_at is None


def test_the_host_is_mailed_by_the_worker_when_their_visitor_arrives(
    users, django_capture_on_commit_callbacks
):
    from postdesk.frontdesk import tasks

    users["engineer"].email = "eng@example.com"
    users["engineer"].save()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        visit = visitor_services.sign_in(
            actor=users["reception"], name="Sam Tech", company="Dolby", host=users["engineer"]
        )
    assert len(callbacks) == 2  # the host's mail, the midnight sweep
    tasks.mail_host_arrival.call(visit.pk)
    assert [m.to for m in mail.outbox] == [["eng@example.com"]]
    assert "Sam Tech (Dolby)" in mail.outbox[0].body


def test_the_badge_is_a_62_by_100_mm_pdf_with_name_company_and_host(users):
    visit = visitor_services.sign_in(
        actor=users["reception"], name="Sam Tech", company="Dolby", host=users["engineer"]
    )
    from io import BytesIO

    reader = PdfReader(BytesIO(badges.badge_pdf(visit)))
    box = reader.pages[0].mediabox
    mm = 72 / 25.4
    assert (round(float(box.width) / mm), round(float(box.height) / mm)) == (62, 100)
    text = reader.pages[0].extract_text()
    assert "Sam Tech" in text and "Dolby" in text and "Host: engineer-user" in text


def test_visitor_details_are_for_reception_supervisors_and_admins_only(api_as):
    for role in ("reception", "supervisor", "admin"):
        assert api_as(role).get("frontdesk/visits/on-site").status_code == 200
    for role in ("bookings", "engineer", "runner", "library", "accounts", "client"):
        assert api_as(role).get("frontdesk/visits/on-site").status_code == 403


def test_the_kiosk_search_starts_at_three_letters_expected_first(
    api_as, book, suite, contact, users
):
    from django.utils import timezone

    now = timezone.now()
    visitor_services.sign_in(
        actor=users["reception"],
        name="Hanna Old",
        company="Past Ltd",
        now=now - datetime.timedelta(days=3),
    )
    book([suite], now + datetime.timedelta(minutes=5), now + datetime.timedelta(hours=1))
    api = api_as("reception")
    assert api.get("frontdesk/search", q="Ha").json() == []
    found = api.get("frontdesk/search", q="han").json()
    assert [(f["name"], f["expected"]) for f in found] == [
        ("Hannah Reid", True),
        ("Hanna Old", False),
    ]


def test_sign_in_through_the_api_then_badge_and_sign_out(api_as, users):
    api = api_as("reception")
    res = api.post(
        "frontdesk/visits",
        {
            "name": "Walk In",
            "company": "Courier Co",
            "car_registration": "ab12 cde",
            "host": users["engineer"].pk,
        },
    )
    assert res.status_code == 201, res.content
    visit = res.json()
    assert visit["car_registration"] == "AB12 CDE" and visit["host"] == users["engineer"].pk
    pdf = api.get(f"frontdesk/visits/{visit['id']}/badge.pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    out = api.post(f"frontdesk/visits/{visit['id']}/sign-out")
    assert out.json()["signed_out_at"] is not None
    assert api.post(f"frontdesk/visits/{visit['id']}/sign-out").status_code == 409
    assert api.post("frontdesk/visits", {"name": "X", "contact": 999999}).status_code == 422
