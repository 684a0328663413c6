"""Custody: every change of an item's place after registration. Each service locks the
item's row, checks the move is possible from where the item is, then changes its place
and appends one Movement with its audit entry, in one transaction (common.relocate).

Concurrent moves of one item queue on its row lock (FOR UPDATE on PostgreSQL; SQLite's
IMMEDIATE transactions serialise writers), and each reads the place the previous one left:
the history stays a single chain and the item ends in exactly one place.

Who may: moving, checking out and checking in need move_media (library, runners);
receiving and dispatching need dispatch_media (library, reception).
"""

import datetime

from django.db import transaction
from django.utils import timezone

from postdesk.core.errors import InvalidInput, InvalidTransition
from postdesk.core.roles import DISPATCH_MEDIA, MOVE_MEDIA
from postdesk.core.timeutil import require_date_in_window
from postdesk.library.models import MediaItem, Movement
from postdesk.library.services import common
from postdesk.library.services.common import Custody, bounded_text, require

Action = Movement.Action


def _refuse_from(item: MediaItem, verb: str, hint: str) -> InvalidTransition:
    where = common.place_of(item)["label"]
    return InvalidTransition(
        f"{item.barcode} is {Custody(item.custody).label.lower()} ({where}): {hint}",
        details={"item": item.pk, "custody": item.custody, "refused": verb},
    )


def _due_back(value) -> datetime.date:
    if not isinstance(value, datetime.date) or isinstance(value, datetime.datetime):
        raise InvalidInput.field("due_back", "A check-out needs a due-back date")
    require_date_in_window(value, "due_back")
    if value < timezone.localdate():
        raise InvalidInput.field("due_back", "The due-back date cannot be in the past")
    return value


def _holder(holder, holder_name: str):
    from postdesk.library.services.items import resolve_user

    holder = resolve_user(holder)
    holder_name = bounded_text("holder_name", holder_name, common.MAX_TEXT["holder_name"])
    if (holder is None) == (not holder_name):
        raise InvalidInput.field(
            "holder", "Check out to one person: a user, or the name of someone outside"
        )
    if holder is not None and not getattr(holder, "is_active", False):
        raise InvalidInput.field("holder", "The holder must be an active user")
    return holder, holder_name


@transaction.atomic
def move(item, to_location, *, actor, note: str = "") -> Movement:
    """Move an item from one location to another (a shelf to a shelf, a vault to a
    suite). Checked-out items are checked in, items in transit received."""
    require(actor, MOVE_MEDIA, "move media")
    row = common.lock_item(item)
    if row.custody != Custody.LOCATION:
        hint = "check it in" if row.custody == Custody.PERSON else "receive it"
        raise _refuse_from(row, "move", hint)
    target = common.target_location(to_location)
    if target.pk == row.location_id:
        raise InvalidTransition(
            f"{row.barcode} is already at {target.name}", details={"item": row.pk}
        )
    return common.relocate(
        row,
        action=Action.MOVE,
        actor=actor,
        note=note,
        put=lambda i: common.set_at_location(i, target),
    )


@transaction.atomic
def check_out(
    item,
    *,
    actor,
    due_back: datetime.date,
    holder=None,
    holder_name: str = "",
    signer_name: str = "",
    note: str = "",
) -> Movement:
    """Hand an item to a person until `due_back`: a user (`holder`) or someone outside
    named by `holder_name`; `signer_name` is who signed for it. From a location, or from
    another person (a hand-over); an item in transit must be received first."""
    require(actor, MOVE_MEDIA, "check out media")
    holder, holder_name = _holder(holder, holder_name)
    due_back = _due_back(due_back)
    row = common.lock_item(item)
    if row.custody == Custody.TRANSIT:
        raise _refuse_from(row, "check_out", "receive it first")
    return common.relocate(
        row,
        action=Action.CHECK_OUT,
        actor=actor,
        signer_name=signer_name,
        note=note,
        put=lambda i: common.set_with_person(i, holder, holder_name, due_back),
    )


@transaction.atomic
def check_in(item, to_location, *, actor, signer_name: str = "", note: str = "") -> Movement:
    """Take back a checked-out item and put it at `to_location`."""
    require(actor, MOVE_MEDIA, "check in media")
    row = common.lock_item(item)
    if row.custody != Custody.PERSON:
        raise _refuse_from(row, "check_in", "only a checked-out item is checked in")
    target = common.target_location(to_location)
    return common.relocate(
        row,
        action=Action.CHECK_IN,
        actor=actor,
        signer_name=signer_name,
        note=note,
        put=lambda i: common.set_at_location(i, target),
    )


@transaction.atomic
def dispatch(
    item,
    *,
    actor,
    courier: str,
    destination: str,
    tracking: str = "",
    signer_name: str = "",
    note: str = "",
) -> Movement:
    """Hand an item to a courier (tracking number, destination): it is in transit until
    received. `signer_name` is the courier's signature."""
    require(actor, DISPATCH_MEDIA, "dispatch media")
    courier = bounded_text("courier", courier, common.MAX_TEXT["courier"], required=True)
    tracking = bounded_text("tracking", tracking, common.MAX_TEXT["tracking"])
    destination = bounded_text(
        "destination", destination, common.MAX_TEXT["destination"], required=True
    )
    row = common.lock_item(item)
    if row.custody == Custody.TRANSIT:
        raise _refuse_from(row, "dispatch", "it is with a courier already")
    return common.relocate(
        row,
        action=Action.DISPATCH,
        actor=actor,
        signer_name=signer_name,
        note=note,
        put=lambda i: common.set_in_transit(i, courier, tracking, destination),
    )


@transaction.atomic
def receive(item, to_location, *, actor, signer_name: str = "", note: str = "") -> Movement:
    """Take an item in transit off its courier and put it at `to_location`;
    `signer_name` is who signed for it at the door."""
    require(actor, DISPATCH_MEDIA, "receive media")
    row = common.lock_item(item)
    if row.custody != Custody.TRANSIT:
        raise _refuse_from(row, "receive", "only an item in transit is received")
    target = common.target_location(to_location)
    return common.relocate(
        row,
        action=Action.RECEIVE,
        actor=actor,
        signer_name=signer_name,
        note=note,
        put=lambda i: common.set_at_location(i, target),
    )
