"""Every write of the portal: calendar feeds made, their tokens regenerated or revoked,
and a booking's invitation sent to a client contact (mailed by the worker)."""

import datetime

from django.db import transaction
from django.utils import timezone

from postdesk.core import audit, jobs
from postdesk.core.errors import Conflict, Forbidden, InvalidInput, InvalidTransition, NotFound
from postdesk.core.models import AuditEntry
from postdesk.core.roles import CHANGE_BOOKINGS, MANAGE_USERS, VIEW_BOARD, can, is_outside
from postdesk.core.timeutil import require_instant
from postdesk.productions.models import Contact
from postdesk.scheduling.models import Booking, Resource

from . import feeds
from .models import BookingRequest, CalendarFeed, PersonLink

Kind = CalendarFeed.Kind


def _own(feed: CalendarFeed, actor, *, admin_may=False) -> None:
    if feed.owner_id == getattr(actor, "pk", None):
        return
    if admin_may and can(actor, MANAGE_USERS) and not is_outside(actor):
        return
    raise Forbidden("Only the feed's owner may change it")


def _issue(feed: CalendarFeed) -> str:
    token = feeds.new_token()
    feed.token_hash = feeds.hash_token(token)
    feed.prefix = token[: len(feeds.TOKEN_PREFIX) + 4]
    feed.token_issued_at = timezone.now()
    return token


@transaction.atomic
def create_feed(*, kind: str, actor, resource=None, production=None) -> tuple[CalendarFeed, str]:
    """A new feed of the actor's own; returns it with its token, which is shown once.
    A company feed is of the actor's own company."""
    client_id = getattr(actor, "client_id", None) if kind == Kind.COMPANY else None
    reason = feeds.forbidden(actor, kind)
    if reason:
        raise Forbidden(reason)
    reason = feeds.refusal(
        actor, kind, resource=resource, production=production, client_id=client_id
    )
    if reason:
        raise InvalidInput.field("production" if kind == Kind.PRODUCTION else "resource", reason)
    active = CalendarFeed.objects.filter(owner=actor, revoked_at__isnull=True).count()
    if active >= feeds.MAX_FEEDS_PER_USER:
        raise Conflict(
            f"You have {active} calendar feeds, the most one user may hold; revoke one first"
        )
    feed = CalendarFeed(
        owner=actor,
        kind=kind,
        resource=resource if kind == Kind.RESOURCE else None,
        production=production if kind == Kind.PRODUCTION else None,
        client_id=client_id,
    )
    token = _issue(feed)
    feed.save()
    audit.record_create(actor, feed, ["kind", "resource", "production", "client", "prefix"])
    return feed, token


@transaction.atomic
def regenerate_feed_token(feed: CalendarFeed | int, *, actor) -> tuple[CalendarFeed, str]:
    """A new secret URL for the feed; the old one stops working at once."""
    feed = CalendarFeed.objects.select_for_update().get(
        pk=feed.pk if isinstance(feed, CalendarFeed) else feed
    )
    _own(feed, actor)
    if feed.revoked_at is not None:
        raise InvalidTransition("A revoked feed stays revoked; make a new one")
    before = audit.snapshot(feed, ["prefix"])
    token = _issue(feed)
    feed.save(update_fields=["token_hash", "prefix", "token_issued_at"])
    audit.record_update(actor, feed, before, "New feed URL")
    return feed, token


@transaction.atomic
def revoke_feed(feed: CalendarFeed | int, *, actor) -> CalendarFeed:
    """The feed's URL stops working for good."""
    feed = CalendarFeed.objects.select_for_update().get(
        pk=feed.pk if isinstance(feed, CalendarFeed) else feed
    )
    _own(feed, actor, admin_may=True)
    if feed.revoked_at is not None:
        raise InvalidTransition("This feed is revoked already")
    feed.revoked_at = timezone.now()
    feed.token_hash = None
    feed.save(update_fields=["revoked_at", "token_hash"])
    audit.record(actor, feed, AuditEntry.Action.TRANSITION, {"revoked": True}, "Feed revoked")
    return feed


def _need_manage_users(actor) -> None:
    if not can(actor, MANAGE_USERS) or is_outside(actor):
        raise Forbidden("Only those who manage users link them to people on the board")


@transaction.atomic
def link_person(*, user, resource, actor) -> PersonLink:
    """Say which person resource `user` is, so their own calendar feed shows that
    person's bookings. Replaces the user's earlier link; a person is one user's."""
    _need_manage_users(actor)
    if user is None or getattr(user, "client_id", None):
        raise InvalidInput.field("user", "Only the facility's own users are people on the board")
    if resource is None or resource.kind != Resource.Kind.PERSON:
        raise InvalidInput.field("resource", "Choose a person (a resource of kind person)")
    taken = PersonLink.objects.select_for_update().filter(resource=resource).first()
    if taken is not None and taken.user_id != user.pk:
        raise Conflict(f"{resource.name} is linked to {taken.user} already")
    existing = PersonLink.objects.select_for_update().filter(user=user).first()
    if existing is not None:
        if existing.resource_id == resource.pk:
            return existing
        before = audit.snapshot(existing, ["resource"])
        existing.resource = resource
        existing.save(update_fields=["resource"])
        audit.record_update(actor, existing, before, f"{user} is now {resource.name}")
        return existing
    link = PersonLink.objects.create(user=user, resource=resource)
    audit.record_create(actor, link, ["user", "resource"])
    return link


@transaction.atomic
def unlink_person(link: PersonLink | int, *, actor) -> None:
    """The user is no longer that person: their own calendar feed stops answering."""
    _need_manage_users(actor)
    link = (
        PersonLink.objects.select_for_update()
        .filter(pk=link.pk if isinstance(link, PersonLink) else link)
        .first()
    )
    if link is None:
        raise NotFound("No such link")
    audit.record(
        actor,
        link,
        AuditEntry.Action.DELETE,
        {"user": link.user_id, "resource": link.resource_id},
        "Person link removed",
    )
    link.delete()


@transaction.atomic
def send_booking_invitation(*, booking: Booking | int, contact: Contact | int, actor) -> Booking:
    """Mail a confirmed job booking to one of its client's contacts with an .ics
    invitation (the worker sends it once this commits)."""
    if not can(actor, CHANGE_BOOKINGS) or is_outside(actor):
        raise Forbidden("Your role may not send booking invitations")
    booking_id = booking.pk if isinstance(booking, Booking) else booking
    booking = Booking.objects.select_related("job").filter(pk=booking_id).first()
    if booking is None:
        raise InvalidInput.field("booking", f"No booking {booking_id}")
    if booking.kind != Booking.Kind.JOB:
        raise InvalidInput.field("booking", "Only a client's job booking has an invitation")
    if booking.status not in (Booking.Status.CONFIRMED, Booking.Status.COMPLETED):
        raise InvalidTransition(f"Only a confirmed booking is sent; this one is {booking.status}")
    contact_id = contact.pk if isinstance(contact, Contact) else contact
    contact = Contact.objects.filter(pk=contact_id, client_id=booking.job.client_id).first()
    if contact is None:
        raise InvalidInput.field("contact", "Choose a contact of the booking's client")
    if not contact.email:
        raise InvalidInput.field("contact", f"{contact.name} has no email address")
    audit.record(
        actor,
        booking,
        AuditEntry.Action.TRANSITION,
        {"invitation_to": contact.email},
        f"Invitation sent to {contact.name}",
    )
    jobs.enqueue_on_commit("postdesk.portal.tasks.mail_booking_invitation", booking.pk, contact.pk)
    return booking


MAX_OPEN_REQUESTS = 50
MAX_REQUEST_SPAN = datetime.timedelta(days=31)


@transaction.atomic
def request_booking(*, production, what: str, start, end, notes: str = "", actor) -> BookingRequest:
    """A client user asks for time; it waits for the bookings office to place a pencil."""
    client_id = getattr(actor, "client_id", None)
    if not client_id or not can(actor, VIEW_BOARD):
        raise Forbidden("Only a client's users request bookings here")
    if production is None or production.client_id != client_id:
        raise InvalidInput.field("production", "Choose one of your company's productions")
    start = require_instant(start, "start")
    end = require_instant(end, "end")
    if not start < end:
        raise InvalidInput.field("end", "The end must be after the start")
    if end - start > MAX_REQUEST_SPAN:
        raise InvalidInput.field("end", "A request covers at most 31 days")
    if start < timezone.now():
        raise InvalidInput.field("start", "Ask for time to come, not past")
    what = (what or "").strip()
    if not what or len(what) > 200:
        raise InvalidInput.field("what", "Say what the time is for, in at most 200 characters")
    if len(notes) > 2000:
        raise InvalidInput.field("notes", "Notes are at most 2,000 characters")
    waiting = BookingRequest.objects.filter(client_id=client_id, status="open").count()
    if waiting >= MAX_OPEN_REQUESTS:
        raise Conflict(
            f"Your company has {waiting} requests waiting; "
            "the bookings office will answer them first"
        )
    made = BookingRequest.objects.create(
        client_id=client_id,
        production=production,
        requested_by=actor,
        what=what,
        start=start,
        end=end,
        notes=notes,
    )
    audit.record_create(actor, made, ["client", "production", "what", "start", "end"])
    return made


def _open_request(request: BookingRequest | int) -> BookingRequest:
    pk = request.pk if isinstance(request, BookingRequest) else request
    found = BookingRequest.objects.select_for_update().filter(pk=pk).first()
    if found is None:
        raise InvalidInput.field("request", f"No booking request {pk}")
    if found.status != BookingRequest.Status.OPEN:
        raise InvalidTransition(f"This request is {found.get_status_display().lower()} already")
    return found


def _may_answer(actor) -> None:
    if not can(actor, CHANGE_BOOKINGS) or is_outside(actor):
        raise Forbidden("Only the bookings office answers booking requests")


@transaction.atomic
def place_request(request: BookingRequest | int, *, booking: Booking, actor) -> BookingRequest:
    """The coordinator has pencilled the request on the board as `booking` (a job
    booking of the request's production)."""
    _may_answer(actor)
    found = _open_request(request)
    if booking.job_id is None or booking.job.production_id != found.production_id:
        raise InvalidInput.field("booking", "Choose a booking of the request's production")
    found.status = BookingRequest.Status.PLACED
    found.booking = booking
    found.decided_at = timezone.now()
    found.save(update_fields=["status", "booking", "decided_at"])
    audit.record(
        actor,
        found,
        AuditEntry.Action.TRANSITION,
        {"status": ["open", "placed"], "booking": booking.pk},
        f"Request placed as booking {booking.pk}",
    )
    return found


@transaction.atomic
def decline_request(request: BookingRequest | int, *, answer: str, actor) -> BookingRequest:
    _may_answer(actor)
    answer = (answer or "").strip()
    if not answer or len(answer) > 300:
        raise InvalidInput.field("answer", "Say why, in at most 300 characters")
    found = _open_request(request)
    found.status = BookingRequest.Status.DECLINED
    found.answer = answer
    found.decided_at = timezone.now()
    found.save(update_fields=["status", "answer", "decided_at"])
    audit.record(
        actor,
        found,
        AuditEntry.Action.TRANSITION,
        {"status": ["open", "declined"]},
        f"Request declined: {answer}",
    )
    return found


@transaction.atomic
def respond_to_quote(*, quote, accept: bool, name: str, actor):
    """A client's answer to a sent quote, through billing's own service (which freezes
    the version answered: a sent quote is never edited, a new version is a new quote);
    the name the client typed is kept in the audit beside it."""
    from postdesk.billing import services as billing

    name = (name or "").strip()
    if not name or len(name) > 150:
        raise InvalidInput.field(
            "name", "Type your name to sign the answer (at most 150 characters)"
        )
    if getattr(actor, "client_id", None) != quote.job.client_id:
        raise Forbidden("Only the quote's client answers it here")
    answered = billing.respond_quote(quote, actor=actor, accept=accept)
    audit.record(
        actor,
        answered,
        AuditEntry.Action.TRANSITION,
        {
            "signed_by": name,
            "version": answered.version,
            "net": str(answered.net),
            "answer": "accepted" if accept else "declined",
        },
        f"{'Accepted' if accept else 'Declined'} v{answered.version} in the portal, signed {name}",
    )
    return answered
