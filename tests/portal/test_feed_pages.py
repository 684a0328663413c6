"""The feed pages, each form submitted through its page; the feed API; and a booking's
invitation mailed by the worker with its .ics."""

import icalendar
import pytest
from django.core import mail
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from postdesk.core.models import AuditEntry
from postdesk.portal.models import CalendarFeed
from tests.portal.conftest import events, soon
from tests.worker import run_worker

pytestmark = pytest.mark.django_db


def test_the_feeds_page_makes_a_feed_and_shows_its_url_once(page_as, users, room):
    http = page_as("bookings")
    page = http.get(reverse("portal:feeds"))
    assert page.status_code == 200
    assert b'id="feed-form"' in page.content

    made = http.post(reverse("portal:feeds"), {"kind": "resource", "resource": room.pk})

    assert made.status_code == 201
    feed = CalendarFeed.objects.get()
    url = made.context["new_url"]
    assert url.startswith("http://testserver/feeds/pdcal_") and url.endswith(".ics")
    assert url.encode() in made.content
    assert http.get(url).status_code == 200
    # Shown once: the list afterwards has only the prefix.
    again = http.get(reverse("portal:feeds"))
    assert url.encode() not in again.content
    assert feed.prefix.encode() in again.content


def test_the_feeds_page_refuses_a_resource_feed_without_a_resource(page_as):
    page = page_as("bookings").post(reverse("portal:feeds"), {"kind": "resource"})
    assert page.status_code == 200
    assert b"Choose the room, equipment or person" in page.content
    assert CalendarFeed.objects.count() == 0


def test_new_url_and_revoke_through_their_confirm_pages(page_as, users, room, make_feed):
    feed, token = make_feed(users["bookings"], "resource", resource=room)
    http = page_as("bookings")
    ask = http.get(reverse("portal:feed-regenerate", args=[feed.pk]))
    assert b"Make a new URL" in ask.content

    done = http.post(reverse("portal:feed-regenerate", args=[feed.pk]), {"confirm": "yes"})
    new_url = done.context["new_url"]
    assert http.get(reverse("portal:feed", args=[token])).status_code == 404
    assert http.get(new_url).status_code == 200

    revoked = http.post(reverse("portal:feed-revoke", args=[feed.pk]), {"confirm": "yes"})
    assert revoked.status_code == 302
    assert http.get(new_url).status_code == 404
    assert CalendarFeed.objects.get().revoked_at is not None


def test_another_users_feed_pages_are_404(page_as, users, room, make_feed):
    feed, _ = make_feed(users["bookings"], "resource", resource=room)
    http = page_as("supervisor")
    assert http.get(reverse("portal:feed-revoke", args=[feed.pk])).status_code == 404
    assert (
        http.post(reverse("portal:feed-revoke", args=[feed.pk]), {"confirm": "yes"}).status_code
        == 404
    )
    assert CalendarFeed.objects.get().revoked_at is None


def test_a_client_makes_its_company_feed_on_the_page(page_as, users, job, book):
    booking = book(job, soon(2))
    http = page_as("client")
    form = http.get(reverse("portal:feeds"))
    assert b'value="resource"' not in form.content

    made = http.post(reverse("portal:feeds"), {"kind": "company"})

    assert made.status_code == 201
    body = http.get(made.context["new_url"]).content
    assert set(events(body)) == {f"booking-{booking.pk}@postdesk"}


def test_feed_api_makes_lists_regenerates_and_revokes(api_as, users, room):
    api = api_as("bookings")
    made = api.post("calendar-feeds", {"kind": "resource", "resource": room.pk})
    assert made.status_code == 201
    body = made.json()
    assert (body["kind"], body["name"], body["active"]) == ("resource", "Suite 3", True)
    assert body["token"].startswith("pdcal_")
    assert api.get(body["url"].replace("http://testserver", "")).status_code == 200

    listed = api.get("calendar-feeds").json()
    assert [f["id"] for f in listed] == [body["id"]]
    assert "token" not in listed[0]

    again = api.post(f"calendar-feeds/{body['id']}/regenerate").json()
    assert again["token"] != body["token"]
    revoked = api.post(f"calendar-feeds/{body['id']}/revoke")
    assert (revoked.status_code, revoked.json()["active"]) == (200, False)
    assert api.post(f"calendar-feeds/{body['id']}/revoke").status_code == 409
    assert api.post(f"calendar-feeds/{body['id']}/regenerate").status_code == 409


@pytest.mark.parametrize(
    "payload, status, field",
    [
        ({"kind": "resource"}, 422, "resource"),
        ({"kind": "resource", "resource": 999999}, 422, "resource"),
        ({"kind": "production"}, 422, "production"),
        ({"kind": "planet"}, 422, "kind"),
        ({"kind": "company"}, 403, None),
    ],
)
def test_feed_api_refuses_bad_input_with_a_reason(api_as, room, payload, status, field):
    answer = api_as("bookings").post("calendar-feeds", payload)
    assert answer.status_code == status
    if field:
        assert field in answer.json()["details"]["fields"]
    assert CalendarFeed.objects.count() == 0


def test_feed_api_for_clients_and_roles_without_the_board(api_as, users, room, other_job):
    client = api_as("client")
    assert (
        client.post("calendar-feeds", {"kind": "resource", "resource": room.pk}).status_code == 403
    )
    other = other_job.production.pk
    assert (
        client.post("calendar-feeds", {"kind": "production", "production": other}).status_code
        == 404
    )
    assert client.post("calendar-feeds", {"kind": "company"}).status_code == 201
    assert api_as(None).get("calendar-feeds").status_code == 401


def test_another_users_feed_is_404_in_the_api(api_as, users, room, make_feed):
    feed, _ = make_feed(users["bookings"], "resource", resource=room)
    assert api_as("supervisor").post(f"calendar-feeds/{feed.pk}/revoke").status_code == 404
    assert CalendarFeed.objects.get().revoked_at is None


def test_an_invitation_is_mailed_by_the_worker_with_its_ics(
    page_as, users, job, contact, book, django_capture_on_commit_callbacks
):
    booking = book(job, soon(3))
    http = page_as("bookings")
    assert b"Hannah Reid" in http.get(reverse("portal:invite", args=[booking.pk])).content

    with django_capture_on_commit_callbacks(execute=True):
        sent = http.post(reverse("portal:invite", args=[booking.pk]), {"contact": contact.pk})

    assert sent.status_code == 302
    assert mail.outbox == []
    assert DBTaskResult.objects.get().task_path == "postdesk.portal.tasks.mail_booking_invitation"
    run_worker()
    (message,) = mail.outbox
    assert message.to == ["hannah@example.com"]
    name, ics, mimetype = message.attachments[0]
    assert (name, mimetype) == ("booking.ics", "text/calendar; method=REQUEST")
    cal = icalendar.Calendar.from_ical(ics)
    (event,) = cal.walk("VEVENT")
    assert str(event["UID"]) == f"booking-{booking.pk}@postdesk"
    assert str(cal["METHOD"]) == "REQUEST"
    assert [str(t["TZID"]) for t in cal.walk("VTIMEZONE")] == ["Europe/London"]
    assert event.decoded("DTSTART") == soon(3)[0]
    assert str(event["ATTENDEE"]) == "mailto:hannah@example.com"
    assert AuditEntry.objects.filter(
        object_type="scheduling.booking", summary="Mailed booking invitation to hannah@example.com"
    ).exists()


def test_an_invitation_is_refused_for_a_pencil_or_another_companys_contact(
    api_as, users, job, other_company, book
):
    from postdesk.core.audit import SYSTEM
    from postdesk.productions import services as productions

    pencil = book(job, soon(3), status="pencil")
    confirmed = book(job, soon(4))
    stranger = productions.create_contact(
        actor=SYSTEM, client=other_company, name="Sam Other", email="sam@other.example"
    )
    api = api_as("bookings")
    assert api.post(f"bookings/{pencil.pk}/invitation", {"contact": stranger.pk}).status_code == 409
    refused = api.post(f"bookings/{confirmed.pk}/invitation", {"contact": stranger.pk})
    assert (refused.status_code, list(refused.json()["details"]["fields"])) == (422, ["contact"])
    assert (
        api_as("client").post(f"bookings/{confirmed.pk}/invitation", {"contact": 1}).status_code
        == 403
    )
    assert DBTaskResult.objects.count() == 0
