"""Preview screenings: a screening room booked through the scheduling service (or an
external venue), invitees each with an RSVP link that cannot be guessed or used for
another screening, and the room's capacity checked against accepted RSVPs."""

import secrets

from django.db import transaction
from django.db.models import Sum

from postdesk.coordination.models import Invitee, Screening
from postdesk.coordination.services import need_manage
from postdesk.core import audit, crud
from postdesk.core.errors import Conflict, InvalidInput, NotFound
from postdesk.core.models import AuditEntry
from postdesk.scheduling.models import Resource
from postdesk.scheduling.services import create_booking

MAX_INVITEES = 500
# The audit log's name for an invitee answering through the link (not a user).
RSVP = audit.SystemActor("rsvp")
MAX_PLUS_ONES = 10


@transaction.atomic
def book_screening(
    *,
    job,
    start,
    end,
    cut_version: str,
    actor,
    room=None,
    external_venue: str = "",
    venue_capacity: int | None = None,
    nda_required: bool = False,
    plus_ones_allowed: int = 0,
) -> Screening:
    need_manage(actor)
    if (room is None) == (not external_venue.strip()):
        raise InvalidInput.field(
            "room", "Choose a screening room or name an external venue, not both"
        )
    if not 0 <= plus_ones_allowed <= MAX_PLUS_ONES:
        raise InvalidInput.field("plus_ones_allowed", f"0 to {MAX_PLUS_ONES} plus-ones")
    booking = None
    if room is not None:
        if room.kind != Resource.Kind.ROOM:
            raise InvalidInput.field("room", f"{room.name} is not a room")
        booking = create_booking(
            job=job,
            resources=[room],
            start=start,
            end=end,
            title=f"Screening: {cut_version}",
            actor=actor,
        )
        start = booking.start
    elif venue_capacity is None or not 1 <= venue_capacity <= 10000:
        raise InvalidInput.field(
            "venue_capacity", "An external venue needs its seats (1 to 10,000)"
        )
    return crud.create(
        Screening,
        actor=actor,
        production=job.production,
        booking=booking,
        room=room,
        external_venue=external_venue.strip(),
        venue_capacity=None if room is not None else venue_capacity,
        starts_at=start,
        cut_version=cut_version,
        nda_required=nda_required,
        plus_ones_allowed=plus_ones_allowed,
    )


def capacity(screening: Screening) -> int | None:
    return screening.room.capacity if screening.room_id else screening.venue_capacity


def seats_taken(screening: Screening) -> int:
    accepted = screening.invitees.filter(response=Invitee.Response.ACCEPTED)
    row = accepted.aggregate(people=Sum("plus_ones"))
    return accepted.count() + (row["people"] or 0)


@transaction.atomic
def invite(screening: Screening, *, name: str, email: str, actor) -> Invitee:
    need_manage(actor)
    if screening.invitees.count() >= MAX_INVITEES:
        raise InvalidInput(f"A screening has at most {MAX_INVITEES} invitees")
    return crud.create(
        Invitee,
        actor=actor,
        screening=screening,
        name=name,
        email=email,
        token=secrets.token_urlsafe(32),
    )


@transaction.atomic
def respond(*, screening_id: int, token: str, accept: bool, plus_ones: int = 0) -> Invitee:
    """The invitee's answer through its link. The token is looked up with the
    screening's id, so a token answers for its own screening only; accepting is refused
    (409) when the seats would run out."""
    screening = (
        Screening.objects.select_for_update(of=("self",))
        .select_related("room")
        .filter(pk=screening_id)
        .first()
    )
    invitee = (
        Invitee.objects.select_for_update().filter(screening_id=screening_id, token=token).first()
        if screening is not None and isinstance(token, str) and 20 <= len(token) <= 64
        else None
    )
    if invitee is None:
        raise NotFound("No such invitation")
    if accept:
        if not 0 <= plus_ones <= screening.plus_ones_allowed:
            raise InvalidInput.field(
                "plus_ones",
                f"This screening allows {screening.plus_ones_allowed} plus-ones at most",
            )
        seats = capacity(screening)
        held = 1 + invitee.plus_ones if invitee.response == Invitee.Response.ACCEPTED else 0
        if seats is not None and seats_taken(screening) - held + 1 + plus_ones > seats:
            raise Conflict(f"The screening is full ({seats} seats)")
    before = audit.snapshot(invitee, ["response", "plus_ones"])
    invitee.response = Invitee.Response.ACCEPTED if accept else Invitee.Response.DECLINED
    invitee.plus_ones = plus_ones if accept else 0
    invitee.save(update_fields=["response", "plus_ones"])
    audit.record(
        RSVP,
        invitee,
        AuditEntry.Action.UPDATE,
        audit.diff(before, audit.snapshot(invitee, before.keys())),
        f"RSVP from {invitee.name}",
    )
    return invitee
