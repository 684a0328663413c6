"""Calendar feeds: parsed with icalendar, stable UIDs, SEQUENCE bumps, cancellations kept
30 days, pencils tentative, local times right across the 2026 clock changes, ETag and
Last-Modified with 304, tokens stored hashed, revocable and regenerable, and no other
client's names in a client's feed."""

import datetime

import pytest
from django.test import Client as HttpClient
from django.urls import reverse
from django.utils import timezone

from postdesk.core.errors import Conflict, Forbidden, InvalidInput
from postdesk.core.models import AuditEntry
from postdesk.portal import feeds, services
from postdesk.portal.models import CalendarFeed
from postdesk.scheduling import services as scheduling
from postdesk.scheduling.models import Booking
from tests.portal.conftest import LONDON, events, london, soon

pytestmark = pytest.mark.django_db


def fetch(token, **headers):
    return HttpClient().get(reverse("portal:feed", args=[token]), **headers)


def uid(booking):
    return f"booking-{booking.pk}@postdesk"


def test_a_room_feed_parses_with_uids_sequence_status_and_no_notes(
    users, room, job, book, make_feed
):
    confirmed = book(job, soon(3), notes="Client is late payer")
    pencil = book(job, soon(4), status="pencil")
    maintenance = scheduling.create_booking(
        job=None,
        kind="maintenance",
        title="Projector lamp",
        resources=[room],
        start=soon(5)[0],
        end=soon(5)[1],
        actor=users["bookings"],
    )
    _, token = make_feed(users["bookings"], "resource", resource=room)

    response = fetch(token)

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    found = events(response.content)
    assert set(found) == {uid(confirmed), uid(pencil), uid(maintenance)}
    event = found[uid(confirmed)]
    assert str(event["SUMMARY"]) == f"{job.number} The Long Tide (Northlight Pictures)"
    assert str(event["STATUS"]) == "CONFIRMED"
    assert str(event["LOCATION"]) == "Suite 3"
    assert event["SEQUENCE"] == 0
    assert event.decoded("DTSTART") == soon(3)[0]
    assert event.decoded("DTEND") == soon(3)[1]
    assert str(found[uid(pencil)]["STATUS"]) == "TENTATIVE"
    assert str(found[uid(maintenance)]["SUMMARY"]) == "Projector lamp"
    assert b"late payer" not in response.content


def test_a_change_bumps_sequence_and_keeps_the_uid(users, room, job, book, make_feed):
    booking = book(job, soon(3))
    _, token = make_feed(users["bookings"], "resource", resource=room)
    before = events(fetch(token).content)[uid(booking)]

    scheduling.move_booking(booking, start=soon(6)[0], end=soon(6)[1], actor=users["bookings"])
    after = events(fetch(token).content)[uid(booking)]

    assert before["SEQUENCE"] == 0
    assert after["SEQUENCE"] == Booking.objects.get(pk=booking.pk).version - 1 == 1
    assert after.decoded("DTSTART") == soon(6)[0]


def test_cancelled_bookings_stay_cancelled_for_30_days_then_leave(
    users, room, job, book, make_feed
):
    recent = book(job, soon(3))
    old = book(job, soon(5))
    released = book(job, soon(7), status="pencil")
    scheduling.cancel_booking(recent, actor=users["bookings"])
    scheduling.cancel_booking(old, actor=users["bookings"])
    scheduling.release_booking(released, actor=users["bookings"])
    Booking.objects.filter(pk=old.pk).update(
        updated_at=timezone.now() - datetime.timedelta(days=31)
    )
    _, token = make_feed(users["bookings"], "resource", resource=room)

    found = events(fetch(token).content)

    assert set(found) == {uid(recent), uid(released)}
    assert str(found[uid(recent)]["STATUS"]) == "CANCELLED"
    assert found[uid(recent)]["SEQUENCE"] == 1
    assert str(found[uid(released)]["STATUS"]) == "CANCELLED"


@pytest.mark.parametrize(
    "day",
    ["2026-03-27", "2026-03-30", "2026-10-23", "2026-10-26"],
    ids=["gmt-before-spring", "bst-after-spring", "bst-before-autumn", "gmt-after-autumn"],
)
def test_local_times_are_right_across_the_2026_clock_changes(users, room, job, book, day):
    booking = book(job, (london(day, "09:00"), london(day, "19:00")))
    feed, _ = services.create_feed(kind="resource", resource=room, actor=users["bookings"])
    now = datetime.datetime(2026, 6, 1, tzinfo=datetime.UTC)

    event = events(feeds.render(feed, feeds.rows(feed, now=now)))[uid(booking)]

    start = event.decoded("DTSTART").astimezone(LONDON)
    end = event.decoded("DTEND").astimezone(LONDON)
    assert (start.isoformat(), end.isoformat()) == (
        f"{day}T09:00:00{start.strftime('%z')[:3]}:00",
        f"{day}T19:00:00{end.strftime('%z')[:3]}:00",
    )
    assert (start.hour, end.hour, end - start) == (9, 19, datetime.timedelta(hours=10))
    summer = day in ("2026-03-30", "2026-10-23")
    assert event.decoded("DTSTART").astimezone(datetime.UTC).hour == (8 if summer else 9)


def test_etag_and_last_modified_answer_304_until_something_changes(
    users, room, job, book, make_feed
):
    booking = book(job, soon(3))
    _, token = make_feed(users["bookings"], "resource", resource=room)
    first = fetch(token)
    etag, last = first["ETag"], first["Last-Modified"]

    feed = CalendarFeed.objects.select_related("owner").get()
    now = timezone.now()
    # The plain GET takes its ETag from the rows it read; a conditional one aggregates.
    assert feeds.stamp_of_rows(feed, feeds.rows(feed, now), now) == feeds.stamp(feed, now)
    assert fetch(token, HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert fetch(token, HTTP_IF_MODIFIED_SINCE=last).status_code == 304
    not_modified = fetch(token, HTTP_IF_NONE_MATCH=etag)
    assert (not_modified["ETag"], not_modified.content) == (etag, b"")

    scheduling.move_booking(booking, start=soon(4)[0], end=soon(4)[1], actor=users["bookings"])
    changed = fetch(token, HTTP_IF_NONE_MATCH=etag)

    assert changed.status_code == 200
    assert changed["ETag"] != etag
    assert uid(booking) in events(changed.content)


def test_only_the_token_hash_is_stored_and_revoke_and_regenerate_work(
    users, room, job, book, make_feed
):
    feed, token = make_feed(users["bookings"], "resource", resource=room)
    stored = CalendarFeed.objects.filter(pk=feed.pk).values().get()
    assert token not in [str(v) for v in stored.values()]
    assert stored["token_hash"] == feeds.hash_token(token)

    _, new_token = services.regenerate_feed_token(feed, actor=users["bookings"])
    assert (fetch(token).status_code, fetch(new_token).status_code) == (404, 200)

    services.revoke_feed(feed, actor=users["bookings"])
    assert fetch(new_token).status_code == 404
    assert CalendarFeed.objects.get(pk=feed.pk).token_hash is None
    assert AuditEntry.objects.filter(object_type="portal.calendarfeed").count() == 3


def test_a_feed_follows_its_owners_rights(users, room, make_feed):
    _, token = make_feed(users["bookings"], "resource", resource=room)
    users["bookings"].is_active = False
    users["bookings"].save(update_fields=["is_active"])

    assert fetch(token).status_code == 404


def test_only_the_owner_changes_a_feed(users, room, make_feed):
    feed, token = make_feed(users["bookings"], "resource", resource=room)
    with pytest.raises(Forbidden):
        services.regenerate_feed_token(feed, actor=users["engineer"])
    with pytest.raises(Forbidden):
        services.revoke_feed(feed, actor=users["engineer"])
    assert fetch(token).status_code == 200


def test_a_client_feed_shows_its_own_company_only(users, room, job, other_job, book, make_feed):
    ours = book(job, soon(3))
    theirs = book(other_job, soon(4))
    feed, token = make_feed(users["client"], "company")

    body = fetch(token).content

    assert set(events(body)) == {uid(ours)}
    assert b"Other Films" not in body
    assert b"Elsewhere" not in body
    assert feed.client_id == users["client"].client_id
    assert uid(theirs) not in events(body)


def test_a_client_cannot_have_a_room_or_another_companys_production(
    users, room, other_job, make_feed
):
    with pytest.raises(Forbidden):
        make_feed(users["client"], "resource", resource=room)
    with pytest.raises(InvalidInput):
        make_feed(users["client"], "production", production=other_job.production)
    assert CalendarFeed.objects.count() == 0


def test_a_production_feed_holds_its_sessions_with_every_room(
    users, site, room, job, other_job, book, make_feed
):
    booth = scheduling.create_resource(
        actor=users["bookings"], kind="room", name="ADR 1", site=site
    )
    session = book(job, soon(3), resources=[room, booth])
    book(other_job, soon(5))
    _, token = make_feed(users["supervisor"], "production", production=job.production)

    found = events(fetch(token).content)

    assert set(found) == {uid(session)}
    assert str(found[uid(session)]["LOCATION"]) == "ADR 1, Suite 3"


def test_a_user_holds_at_most_twenty_feeds(users, room, make_feed):
    for _ in range(feeds.MAX_FEEDS_PER_USER):
        make_feed(users["bookings"], "resource", resource=room)
    with pytest.raises(Conflict):
        make_feed(users["bookings"], "resource", resource=room)
    assert CalendarFeed.objects.count() == feeds.MAX_FEEDS_PER_USER


def test_a_malformed_or_unknown_token_is_a_404(db):
    assert fetch("pdcal_nothing").status_code == 404
    assert fetch("x" * 300).status_code == 404
