"""On site now and the fire roll call: the three lists, marshals' shared ticks, the live
ETag, the PDF, and lists that stay right across midnight."""

import datetime
from io import BytesIO

import pytest
from pypdf import PdfReader

from postdesk.frontdesk import rollcall, visitor_services
from postdesk.scheduling import services as scheduling

pytestmark = pytest.mark.django_db

UTC = datetime.UTC


def at(day, hour, minute=0):
    return datetime.datetime(2026, 3, day, hour, minute, tzinfo=UTC)  # London on GMT


@pytest.fixture
def night_editor(site, users, job, suite):
    """An editor on a night shift, 22:00 on the 2nd to 06:00 on the 3rd, in Suite 3."""
    person = scheduling.create_resource(
        actor=users["bookings"], kind="person", name="Jo Night", site=site
    )
    scheduling.create_booking(
        job=job,
        resources=[person, suite],
        start=at(2, 22),
        end=at(3, 6),
        status="confirmed",
        actor=users["bookings"],
    )
    return person


def names(rows):
    return sorted(r["name"] for r in rows)


def test_the_lists_are_right_across_midnight(night_editor, users):
    reception = users["reception"]
    late = visitor_services.sign_in(actor=reception, name="Late Client", now=at(2, 21))
    gone = visitor_services.sign_in(actor=reception, name="Day Visitor", now=at(2, 10))
    visitor_services.sign_out(gone.pk, actor=reception, now=at(2, 18))
    contractor = visitor_services.sign_in(
        actor=reception, name="Spark Electric", kind="contractor", now=at(2, 23)
    )

    before = rollcall.on_site(reception, now=at(2, 23, 30))
    after = rollcall.on_site(reception, now=at(3, 0, 30))  # past midnight, nobody swept yet

    assert names(before) == ["Jo Night", "Late Client", "Spark Electric"]
    assert names(after) == names(before)
    kinds = {r["name"]: (r["kind"], r["key"]) for r in after}
    assert kinds["Jo Night"] == ("staff", f"shift:{night_editor.pk}")
    assert kinds["Spark Electric"] == ("contractor", f"visit:{contractor.pk}")
    assert kinds["Late Client"][1] == f"visit:{late.pk}"
    # When the shift ends the editor leaves the list
    assert "Jo Night" not in names(rollcall.on_site(reception, now=at(3, 6)))


def test_marshals_tick_people_off_into_the_safe_list_once(users):
    reception, supervisor = users["reception"], users["supervisor"]
    visit = visitor_services.sign_in(actor=reception, name="Sam Tech")
    rollcall.staff_in(actor=users["engineer"])
    call = rollcall.start(actor=reception)
    assert rollcall.start(actor=supervisor) == call  # the second marshal joins it

    rollcall.mark_safe(actor=reception, person=f"visit:{visit.pk}", name="Sam Tech")
    rollcall.mark_safe(actor=supervisor, person=f"visit:{visit.pk}", name="Sam Tech")

    lists = rollcall.roll_call(reception)
    assert names(lists["on_site"]) == ["engineer-user"]
    assert [(r["name"], r["marked_by"]) for r in lists["safe"]] == [("Sam Tech", "reception-user")]


def test_expected_not_arrived_is_its_own_list(users, book, suite):
    from django.utils import timezone

    now = timezone.now()
    book([suite], now + datetime.timedelta(minutes=1), now + datetime.timedelta(hours=1))
    lists = rollcall.roll_call(users["reception"])
    assert [r["name"] for r in lists["expected"]] == ["Hannah Reid"]
    assert lists["on_site"] == [] and lists["safe"] == []


def test_the_poll_is_304_until_someone_is_ticked_off(api_as, users):
    visit = visitor_services.sign_in(actor=users["reception"], name="Sam Tech")
    api = api_as("reception")
    api.post("frontdesk/roll-call/start")
    first = api.get("frontdesk/roll-call")
    etag = first["ETag"]
    same = api.http.get("/api/v1/frontdesk/roll-call", HTTP_IF_NONE_MATCH=etag, **api.headers)
    assert same.status_code == 304
    marked = api_as("supervisor").post(
        "frontdesk/roll-call/mark", {"person": f"visit:{visit.pk}", "name": "Sam Tech"}
    )
    assert marked.status_code == 200
    changed = api.http.get("/api/v1/frontdesk/roll-call", HTTP_IF_NONE_MATCH=etag, **api.headers)
    assert changed.status_code == 200
    assert [p["name"] for p in changed.json()["safe"]] == ["Sam Tech"]


def test_a_bad_person_key_is_422(api_as):
    api = api_as("reception")
    api.post("frontdesk/roll-call/start")
    assert api.post("frontdesk/roll-call/mark", {"person": "x:1", "name": "A"}).status_code == 422


def test_the_roll_call_prints_as_a_pdf_with_its_time(api_as, users):
    visitor_services.sign_in(actor=users["reception"], name="Sam Tech")
    res = api_as("reception").get("frontdesk/roll-call.pdf")
    assert res.status_code == 200 and res["Content-Type"] == "application/pdf"
    text = PdfReader(BytesIO(res.content)).pages[0].extract_text()
    assert "Fire roll call" in text and "Taken" in text and "Sam Tech" in text


def test_the_roll_call_reads_a_fixed_number_of_queries_at_300_on_site(
    users, django_assert_max_num_queries
):
    from postdesk.frontdesk.models import Visit

    Visit.objects.bulk_create(
        Visit(
            name=f"Visitor {i}",
            signed_in_at=datetime.datetime.now(UTC),
            signed_in_by=users["reception"],
        )
        for i in range(300)
    )
    with django_assert_max_num_queries(10):
        lists = rollcall.roll_call(users["reception"])
    assert len(lists["on_site"]) == 300
