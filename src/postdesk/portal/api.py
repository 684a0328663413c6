"""API of the portal: calendar feed tokens (list, make, new URL, revoke) and booking
invitations. The feeds themselves are read at their secret URL (/feeds/<token>.ics)."""

import datetime
from typing import Literal

from django.contrib.auth import get_user_model
from django.http import HttpRequest
from django.urls import reverse
from ninja import Router, Status

from postdesk.core.apiutil import Id, InputSchema, OutSchema, get_scoped, require
from postdesk.core.errors import InvalidInput, NotFound
from postdesk.core.roles import MANAGE_USERS, VIEW_BOARD
from postdesk.productions.models import Production
from postdesk.scheduling.models import Resource

from . import feeds, services
from .models import CalendarFeed, PersonLink

router = Router(tags=["portal"])

FeedKind = Literal["resource", "production", "company", "person"]


class CalendarFeedIn(InputSchema):
    kind: FeedKind
    resource: Id | None = None
    production: Id | None = None


class CalendarFeedOut(OutSchema):
    id: int
    kind: FeedKind
    name: str
    resource: int | None
    production: int | None
    prefix: str
    active: bool
    created_at: datetime.datetime
    revoked_at: datetime.datetime | None


class CalendarFeedTokenOut(CalendarFeedOut):
    token: str
    url: str


class PersonLinkIn(InputSchema):
    user: Id
    resource: Id


class PersonLinkOut(OutSchema):
    id: int
    user: int
    username: str
    resource: int
    resource_name: str
    created_at: datetime.datetime


class BookingInvitationIn(InputSchema):
    contact: Id


class BookingInvitationOut(OutSchema):
    booking: int
    contact: int
    queued: bool


def _out(feed: CalendarFeed) -> dict:
    return {
        "id": feed.pk,
        "kind": feed.kind,
        "name": feeds.calendar_name(feed),
        "resource": feed.resource_id,
        "production": feed.production_id,
        "prefix": feed.prefix,
        "active": feed.is_active,
        "created_at": feed.created_at,
        "revoked_at": feed.revoked_at,
    }


def _with_token(request, feed: CalendarFeed, token: str) -> dict:
    url = request.build_absolute_uri(reverse("portal:feed", args=[token]))
    return {**_out(feed), "token": token, "url": url}


def _mine(request, feed_id: int) -> CalendarFeed:
    feed = (
        CalendarFeed.objects.select_related("resource", "production", "owner")
        .filter(pk=feed_id, owner=request.user)
        .first()
    )
    if feed is None:
        raise NotFound(f"No calendar feed with id {feed_id}")
    return feed


@router.get("/calendar-feeds", response=list[CalendarFeedOut])
def list_feeds(request: HttpRequest):
    """The signed-in user's own feeds, revoked ones included (their tokens never shown)."""
    require(request, VIEW_BOARD)
    mine = CalendarFeed.objects.filter(owner=request.user).select_related(
        "resource", "production", "owner"
    )
    return [_out(f) for f in mine[: feeds.MAX_FEEDS_PER_USER * 5]]


@router.post("/calendar-feeds", response={201: CalendarFeedTokenOut})
def create_feed(request: HttpRequest, payload: CalendarFeedIn):
    """A new feed; its token and URL are in this answer only."""
    require(request, VIEW_BOARD)
    resource = production = None
    if payload.kind == "resource":
        if payload.resource is None:
            raise InvalidInput.field("resource", "A resource feed needs a resource")
        resource = Resource.objects.filter(pk=payload.resource).first()
        if resource is None:
            raise InvalidInput.field("resource", f"No resource {payload.resource}")
    elif payload.kind == "production":
        if payload.production is None:
            raise InvalidInput.field("production", "A production feed needs a production")
        production = get_scoped(
            request, Production.objects, payload.production, "client", "production"
        )
    feed, token = services.create_feed(
        kind=payload.kind, resource=resource, production=production, actor=request.user
    )
    return Status(201, _with_token(request, feed, token))


@router.post("/calendar-feeds/{feed_id}/regenerate", response=CalendarFeedTokenOut)
def regenerate_feed(request: HttpRequest, feed_id: Id):
    """A new secret URL; the old one stops working."""
    require(request, VIEW_BOARD)
    feed, token = services.regenerate_feed_token(_mine(request, feed_id), actor=request.user)
    return _with_token(request, feed, token)


@router.post("/calendar-feeds/{feed_id}/revoke", response=CalendarFeedOut)
def revoke_feed(request: HttpRequest, feed_id: Id):
    require(request, VIEW_BOARD)
    return _out(services.revoke_feed(_mine(request, feed_id), actor=request.user))


def _link(link: PersonLink) -> dict:
    return {
        "id": link.pk,
        "user": link.user_id,
        "username": link.user.username,
        "resource": link.resource_id,
        "resource_name": link.resource.name,
        "created_at": link.created_at,
    }


@router.get("/person-links", response=list[PersonLinkOut])
def list_person_links(request: HttpRequest):
    """Which facility user is which person on the board (their own calendar feed)."""
    require(request, MANAGE_USERS, internal="Person links")
    links = PersonLink.objects.select_related("user", "resource").order_by("resource__name")
    return [_link(link) for link in links[:500]]


@router.post("/person-links", response={201: PersonLinkOut})
def link_person(request: HttpRequest, payload: PersonLinkIn):
    require(request, MANAGE_USERS, internal="Person links")
    user = get_user_model().objects.filter(pk=payload.user).first()
    if user is None:
        raise InvalidInput.field("user", f"No user {payload.user}")
    resource = Resource.objects.filter(pk=payload.resource).first()
    if resource is None:
        raise InvalidInput.field("resource", f"No resource {payload.resource}")
    link = services.link_person(user=user, resource=resource, actor=request.user)
    return Status(201, _link(link))


@router.delete("/person-links/{link_id}", response={204: None})
def unlink_person(request: HttpRequest, link_id: Id):
    require(request, MANAGE_USERS, internal="Person links")
    services.unlink_person(link_id, actor=request.user)
    return Status(204, None)


@router.post("/bookings/{booking_id}/invitation", response={202: BookingInvitationOut})
def send_invitation(request: HttpRequest, booking_id: Id, payload: BookingInvitationIn):
    """Mail the confirmed booking to a contact of its client with an .ics invitation."""
    services.send_booking_invitation(
        booking=booking_id, contact=payload.contact, actor=request.user
    )
    return Status(202, {"booking": booking_id, "contact": payload.contact, "queued": True})
