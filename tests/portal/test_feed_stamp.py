"""The 304's hand-written SQL (portal/feed_stamp.py) gives the very ETag the ORM's
`feeds.stamp` gives, for every kind of feed, and finds no feed exactly where `open_feed`
finds none; a resource's 304 costs two statements."""

import datetime

import pytest
from django.db import connection
from django.test import Client as HttpClient
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from postdesk.coordination import screenings
from postdesk.coordination import services as coordination
from postdesk.core.services import update_user
from postdesk.portal import feed_stamp, feeds, services
from tests.portal.conftest import soon

pytestmark = pytest.mark.django_db


@pytest.fixture
def every_kind(users, room, job, book, site, make_feed):
    """A feed of each kind over bookings (one cancelled), a milestone, a due date and an
    invitation."""
    from postdesk.scheduling import services as scheduling

    book(job, soon(2))
    gone = book(job, soon(3), status="pencil")
    scheduling.cancel_booking(gone, actor=users["bookings"])
    person = scheduling.create_resource(
        actor=users["bookings"], kind="person", name="Mo Mixer", site=site
    )
    book(None, soon(4), kind="leave", title="Away", resources=[person])
    engineer = update_user(users["engineer"], actor=users["admin"], email="mo@house.example")
    services.link_person(user=engineer, resource=person, actor=users["admin"])
    who = users["coordinator"]
    coordination.set_milestone(
        production=job.production, kind="grade", planned=soon(9)[0].date(), actor=who
    )
    coordination.add_deliverable(
        production=job.production, name="DCP", due=soon(12)[0].date(), actor=who
    )
    shown = screenings.book_screening(
        job=job,
        start=soon(6)[0],
        end=soon(6)[1],
        cut_version="Cut 1",
        external_venue="Curzon",
        venue_capacity=50,
        actor=who,
    )
    screenings.invite(shown, name="Mo", email="mo@house.example", actor=who)
    return {
        "resource": make_feed(users["bookings"], "resource", resource=room)[1],
        "production": make_feed(users["supervisor"], "production", production=job.production)[1],
        "company": make_feed(users["client"], "company")[1],
        "person": make_feed(engineer, "person")[1],
    }


@pytest.mark.parametrize("kind", ["resource", "production", "company", "person"])
def test_the_quick_etag_is_the_orms(every_kind, kind):
    token = every_kind[kind]
    now = timezone.now()

    quick = feed_stamp.quick_stamp(token, now)

    assert quick == feeds.stamp(feeds.open_feed(token), now)
    full = HttpClient().get(reverse("portal:feed", args=[token]))
    assert full["ETag"] == quick[0]
    answer = HttpClient().get(reverse("portal:feed", args=[token]), HTTP_IF_NONE_MATCH=quick[0])
    assert answer.status_code == 304


def test_a_resource_304_costs_two_statements(every_kind):
    token = every_kind["resource"]
    etag = HttpClient().get(reverse("portal:feed", args=[token]))["ETag"]
    http = HttpClient()

    with CaptureQueriesContext(connection) as queries:
        answer = http.get(reverse("portal:feed", args=[token]), HTTP_IF_NONE_MATCH=etag)

    assert answer.status_code == 304
    assert len(queries) == 2


def test_no_quick_answer_where_open_feed_finds_no_feed(every_kind, users, job):
    from postdesk.core.services import update_user as change
    from postdesk.portal.models import PersonLink

    now = timezone.now()
    assert feed_stamp.quick_stamp("pdcal_nothing-like-it", now) is None
    assert feed_stamp.quick_stamp("not-a-token", now) is None
    # The owner switched off: neither finds the feed.
    change(users["bookings"], actor=users["admin"], is_active=False)
    assert feeds.open_feed(every_kind["resource"]) is None
    assert feed_stamp.quick_stamp(every_kind["resource"], now) is None
    # Unlinked from their person: the person feed is gone for both.
    services.unlink_person(PersonLink.objects.get(), actor=users["admin"])
    assert feeds.open_feed(every_kind["person"]) is None
    assert feed_stamp.quick_stamp(every_kind["person"], now) is None
    answer = HttpClient().get(
        reverse("portal:feed", args=[every_kind["person"]]), HTTP_IF_NONE_MATCH='"x"'
    )
    assert answer.status_code == 404
    # A client's production feed of another company's production is no feed.
    feed = services.create_feed(kind="production", production=job.production, actor=users["client"])
    from postdesk.productions import services as productions

    other = productions.create_client(actor=users["admin"], name="Elsewhere Ltd")
    change(users["client"], actor=users["admin"], client=other)
    assert feeds.open_feed(feed[1]) is None
    assert feed_stamp.quick_stamp(feed[1], now + datetime.timedelta(seconds=1)) is None
