"""A production's feed carries its milestones, deliverable due dates and screenings (ADR
sessions being bookings already), and a person's own feed, through the link between a
user and their person on the board, carries their bookings, ADR sessions as mixer,
maintenance, leave and the screenings they are invited to. Parsed with icalendar: stable
UIDs, SEQUENCE bumps on change, local times right across the 2026 clock changes."""

import datetime

import pytest
from django.test import Client as HttpClient
from django.urls import reverse

from postdesk.coordination import adr, screenings
from postdesk.coordination import services as coordination
from postdesk.core.errors import Conflict, Forbidden, InvalidInput
from postdesk.core.services import update_user
from postdesk.portal import feeds, services
from postdesk.portal.models import CalendarFeed, PersonLink
from postdesk.scheduling import services as scheduling
from tests.portal.conftest import LONDON, events, london, soon

pytestmark = pytest.mark.django_db


def fetch(token, **headers):
    return HttpClient().get(reverse("portal:feed", args=[token]), **headers)


def booking_uid(booking):
    return f"booking-{booking.pk}@postdesk"


@pytest.fixture
def work(production):
    """The production's ADR and screening jobs (a coordinator books only those)."""
    from postdesk.core.audit import SYSTEM
    from postdesk.productions import services as productions

    def make(kind):
        return productions.create_job(
            actor=SYSTEM, production=production, description=kind.upper(), work_type=kind
        )

    return {"adr": make("adr"), "screening": make("screening")}


@pytest.fixture
def mixer(site, users):
    return scheduling.create_resource(
        actor=users["bookings"], kind="person", name="Mo Mixer", site=site
    )


@pytest.fixture
def stage(site, users):
    return scheduling.create_resource(
        actor=users["bookings"], kind="room", name="ADR stage", site=site
    )


def test_a_production_feed_holds_milestones_due_dates_screenings_and_adr(
    users, job, work, room, stage, mixer, make_feed
):
    who = users["coordinator"]
    production = job.production
    today = soon(0)[0].date()
    lock = coordination.set_milestone(
        production=production,
        kind="picture_lock",
        planned=today + datetime.timedelta(days=10),
        actor=who,
    )
    item = coordination.add_deliverable(
        production=production,
        name="Textless master",
        due=today + datetime.timedelta(days=20),
        actor=who,
    )
    outside = screenings.book_screening(
        job=job,
        start=soon(7, hour=19)[0],
        end=soon(7, hour=19)[1],
        cut_version="Cut 3",
        external_venue="Soho Screening Rooms",
        venue_capacity=60,
        actor=who,
    )
    inside = screenings.book_screening(
        job=work["screening"],
        start=soon(8)[0],
        end=soon(8, hours=3)[1],
        cut_version="Cut 4",
        room=room,
        actor=who,
    )
    session = adr.book_session(
        job=work["adr"],
        stage=stage,
        mixer=mixer,
        start=soon(4)[0],
        end=soon(4, hours=4)[1],
        talent="Ana Actor",
        actor=who,
    )
    _, token = make_feed(users["supervisor"], "production", production=production)

    first = fetch(token)
    found = events(first.content)

    milestone = found[f"milestone-{lock.pk}@postdesk"]
    assert milestone.decoded("DTSTART") == today + datetime.timedelta(days=10)
    assert (str(milestone["STATUS"]), milestone["SEQUENCE"]) == ("TENTATIVE", 0)
    assert str(milestone["SUMMARY"]) == f"Picture lock: {production.title}"
    due = found[f"deliverable-{item.pk}@postdesk"]
    assert due.decoded("DTSTART") == item.due
    assert str(due["SUMMARY"]) == f"Due: Textless master ({production.title})"
    assert str(due["DESCRIPTION"]) == "Status: Not started"
    shown = found[f"screening-{outside.pk}@postdesk"]
    assert str(shown["LOCATION"]) == "Soho Screening Rooms"
    assert shown.decoded("DTSTART").astimezone(LONDON).hour == 19
    assert shown.decoded("DTEND") - shown.decoded("DTSTART") == datetime.timedelta(hours=2)
    # A screening in the house's own room and an ADR session are bookings of the job.
    assert str(found[booking_uid(inside.booking)]["SUMMARY"]).endswith(": Screening: Cut 4")
    adr_event = found[booking_uid(session.booking)]
    assert str(adr_event["LOCATION"]) == "ADR stage, Mo Mixer"
    assert f"screening-{inside.pk}@postdesk" not in found
    assert len(found) == 5

    # A change bumps SEQUENCE, keeps the UID, and the old ETag no longer answers 304.
    assert fetch(token, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    coordination.set_milestone(
        production=production,
        kind="picture_lock",
        planned=lock.planned,
        revised=lock.planned + datetime.timedelta(days=3),
        actor=who,
    )
    coordination.start_deliverable(item, actor=who)
    again = fetch(token, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 200
    found = events(again.content)
    moved = found[f"milestone-{lock.pk}@postdesk"]
    assert moved["SEQUENCE"] == 1
    assert moved.decoded("DTSTART") == lock.planned + datetime.timedelta(days=3)
    assert "(planned" in str(moved["SUMMARY"])
    started = found[f"deliverable-{item.pk}@postdesk"]
    assert (started["SEQUENCE"], str(started["DESCRIPTION"])) == (1, "Status: In progress")
    assert fetch(token, HTTP_IF_NONE_MATCH=again["ETag"]).status_code == 304


@pytest.fixture
def linked(users, mixer, page_as):
    """The engineer is Mo Mixer on the board, linked through the people page's form."""
    engineer = update_user(users["engineer"], actor=users["admin"], email="mo@house.example")
    page = page_as("admin").post(
        reverse("portal:people"), {"user": engineer.pk, "resource": mixer.pk}
    )
    assert page.status_code == 302, page.content
    return engineer


def test_a_persons_own_feed_holds_their_bookings_adr_maintenance_leave_and_invitations(
    users, job, work, stage, mixer, linked, page_as
):
    who = users["coordinator"]
    session = adr.book_session(
        job=work["adr"],
        stage=stage,
        mixer=mixer,
        start=soon(2)[0],
        end=soon(2, hours=4)[1],
        talent="Ana Actor",
        actor=who,
    )

    def on_mixer(kind, days, title):
        return scheduling.create_booking(
            job=None,
            kind=kind,
            title=title,
            resources=[mixer],
            start=soon(days)[0],
            end=soon(days)[1],
            status="confirmed",
            actor=users["bookings"],
        )

    service = on_mixer("maintenance", 5, "Desk service")
    away = on_mixer("leave", 9, "Holiday")
    screening = screenings.book_screening(
        job=job,
        start=soon(6, hour=18)[0],
        end=soon(6, hour=18)[1],
        cut_version="Cut 2",
        external_venue="Curzon",
        venue_capacity=80,
        actor=who,
    )
    invite = screenings.invite(screening, name="Mo", email="MO@house.example", actor=who)
    screenings.invite(screening, name="Someone else", email="else@x.example", actor=who)
    # The feed is made on the feeds page, as "my own calendar".
    page = page_as("engineer").post(reverse("portal:feeds"), {"kind": "person"})
    assert page.status_code == 201, page.content
    url = page.context["new_url"]
    token = url.rsplit("/", 1)[1].removesuffix(".ics")

    first = fetch(token)
    found = events(first.content)

    assert set(found) == {
        booking_uid(session.booking),
        booking_uid(service),
        booking_uid(away),
        f"screening-{screening.pk}@postdesk",
    }
    assert str(found[booking_uid(away)]["SUMMARY"]) == "Holiday"
    invited = found[f"screening-{screening.pk}@postdesk"]
    assert (str(invited["STATUS"]), invited["SEQUENCE"]) == ("TENTATIVE", 0)
    assert str(invited["LOCATION"]) == "Curzon"

    screenings.respond(screening_id=screening.pk, token=invite.token, accept=True)
    after = fetch(token, HTTP_IF_NONE_MATCH=first["ETag"])
    assert after.status_code == 200
    invited = events(after.content)[f"screening-{screening.pk}@postdesk"]
    assert (str(invited["STATUS"]), invited["SEQUENCE"]) == ("CONFIRMED", 1)

    # Unlinked (through the confirm page), the feed answers as if it did not exist.
    link = PersonLink.objects.get(user=linked)
    assert page_as("admin").post(reverse("portal:unlink", args=[link.pk]), {"confirm": "yes"})
    assert fetch(token).status_code == 404


@pytest.mark.parametrize(
    "day",
    ["2026-03-27", "2026-03-30", "2026-10-23", "2026-10-26"],
    ids=["gmt-before-spring", "bst-after-spring", "bst-before-autumn", "gmt-after-autumn"],
)
def test_a_persons_feed_keeps_local_times_across_the_2026_clock_changes(
    users, job, mixer, linked, day
):
    leave = scheduling.create_booking(
        job=None,
        kind="leave",
        title="Away",
        resources=[mixer],
        start=london(day, "09:00"),
        end=london(day, "17:30"),
        status="confirmed",
        actor=users["bookings"],
    )
    feed, _ = services.create_feed(kind="person", actor=linked)
    feed = CalendarFeed.objects.select_related("owner").get(pk=feed.pk)
    now = datetime.datetime(2026, 6, 1, tzinfo=datetime.UTC)

    body = feeds.render(feed, feeds.rows(feed, now=now), feeds.extras(feed, now))

    event = events(body)[booking_uid(leave)]
    start = event.decoded("DTSTART").astimezone(LONDON)
    end = event.decoded("DTEND").astimezone(LONDON)
    assert (start.hour, start.minute, end.hour, end.minute) == (9, 0, 17, 30)
    summer = day in ("2026-03-30", "2026-10-23")
    assert event.decoded("DTSTART").astimezone(datetime.UTC).hour == (8 if summer else 9)


def test_person_links_are_kept_by_user_managers_and_refused_otherwise(
    users, mixer, site, api_as, page_as
):
    # Without a link there is no own calendar to make.
    with pytest.raises(InvalidInput):
        services.create_feed(kind="person", actor=users["engineer"])
    with pytest.raises(Forbidden):
        services.create_feed(kind="person", actor=users["client"])
    with pytest.raises(Forbidden):
        services.link_person(user=users["engineer"], resource=mixer, actor=users["bookings"])

    api = api_as("admin")
    made = api.post("person-links", {"user": users["engineer"].pk, "resource": mixer.pk})
    assert made.status_code == 201
    assert made.json()["resource_name"] == "Mo Mixer"
    assert [r["username"] for r in api.get("person-links").json()] == [users["engineer"].username]
    # One person is one user's; a client user is nobody on the board; a room is no person.
    taken = api.post("person-links", {"user": users["runner"].pk, "resource": mixer.pk})
    assert taken.status_code == 409
    client = api.post("person-links", {"user": users["client"].pk, "resource": mixer.pk})
    assert client.status_code == 422
    room = scheduling.create_resource(actor=users["bookings"], kind="room", name="R", site=site)
    assert (
        api.post("person-links", {"user": users["runner"].pk, "resource": room.pk}).status_code
        == 422
    )
    assert api.post("person-links", {"user": 99999, "resource": mixer.pk}).status_code == 422
    assert api_as("bookings").get("person-links").status_code == 403
    assert api_as("client").get("person-links").status_code == 403
    assert page_as("bookings").get(reverse("portal:people")).status_code == 403
    page = page_as("admin").post(reverse("portal:people"), {"user": users["runner"].pk})
    assert page.status_code == 200 and page.context["form"].errors

    _, token = services.create_feed(kind="person", actor=users["engineer"])
    assert fetch(token).status_code == 200
    link_id = made.json()["id"]
    assert api.delete(f"person-links/{link_id}").status_code == 204
    assert api.delete(f"person-links/{link_id}").status_code == 404
    assert fetch(token).status_code == 404
    services.link_person(user=users["engineer"], resource=mixer, actor=users["admin"])
    with pytest.raises(Conflict):
        services.link_person(user=users["runner"], resource=mixer, actor=users["admin"])


def test_the_demo_links_the_engineer_to_the_first_staff_person(site, db):
    from postdesk.core.audit import SYSTEM
    from postdesk.core.services import create_user
    from postdesk.portal import demo

    for role in ("admin", "engineer"):
        create_user(username=role, role=role, password="pw-for-tests", actor=SYSTEM)
    person = scheduling.create_resource(
        actor=SYSTEM, kind="person", name="Ana Engineer", site=site, employment="staff"
    )

    said = demo._own_calendar()

    link = PersonLink.objects.select_related("user").get()
    assert (link.user.username, link.resource_id) == ("engineer", person.pk)
    token = said.rsplit("/feeds/", 1)[1].removesuffix(".ics")
    assert fetch(token).status_code == 200
