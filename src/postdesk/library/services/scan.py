"""The scan station's one request: items scanned, then a destination; each item goes
there by the verb its place calls for, and the answer says, per code, what moved and what
was refused and why.

The destination (the last code) is a location barcode or a person's badge code:
- to a location: an item at another location is moved, one with a person checked in,
  one in transit received; one already there is left unchanged;
- to a badge: every item is checked out to the badge's user, due back in LOAN_DAYS.
An unknown or archived destination refuses the whole scan (422); an unknown item code,
a destroyed item or a move the user's role may not make refuses that item only.
"""

import datetime

from django.db import transaction
from django.utils import timezone

from postdesk.core.errors import DomainError, InvalidInput
from postdesk.core.roles import DISPATCH_MEDIA, MOVE_MEDIA
from postdesk.library.models import Badge, MediaItem, Movement
from postdesk.library.services import common
from postdesk.library.services.common import Custody

MAX_CODES = 200
LOAN_DAYS = 7
Action = Movement.Action


def _codes(codes) -> list[str]:
    if not isinstance(codes, list | tuple) or len(codes) < 2:
        raise InvalidInput.field("codes", "Scan one or more items, then the destination")
    if len(codes) > MAX_CODES:
        raise InvalidInput.field("codes", f"At most {MAX_CODES} codes in one scan")
    try:
        return [common.normalise_code(c) for c in codes]
    except InvalidInput as exc:
        raise InvalidInput.field("codes", exc.message) from None


def _destination(code: str) -> dict:
    location = common.location_by_barcode(code)
    if location is not None:
        if location.archived:
            raise InvalidInput.field("codes", f"Location {location.name} is archived")
        return {"kind": "location", "location": location, "label": common.location_label(location)}
    badge = Badge.objects.select_related("user").filter(code=code).first()
    if badge is not None and badge.user.is_active:
        return {"kind": "person", "user": badge.user, "label": badge.user.display_name}
    raise InvalidInput.field(
        "codes", f"The last code, {code}, is neither a location nor a person's badge"
    )


def _verb(row: MediaItem, dest: dict) -> str | None:
    """The movement that takes `row` to the destination; None if it is there already."""
    if dest["kind"] == "person":
        return Action.CHECK_OUT
    if row.custody == Custody.LOCATION:
        return None if row.location_id == dest["location"].pk else Action.MOVE
    return Action.CHECK_IN if row.custody == Custody.PERSON else Action.RECEIVE


def _take(pk: int, dest: dict, actor, due_back: datetime.date):
    """Move one item (locked) to the destination: (item, its new movement, or None when
    it was there already). A DomainError refuses it."""
    row = common.lock_item(pk)
    verb = _verb(row, dest)
    if verb is None:
        return row, None
    if verb == Action.RECEIVE:
        common.require(actor, DISPATCH_MEDIA, "receive media")
    else:
        common.require(actor, MOVE_MEDIA, f"{Action(verb).label.lower()} media")
    if verb == Action.CHECK_OUT:
        if row.custody == Custody.TRANSIT:
            raise InvalidInput(f"{row.barcode} is in transit: receive it first")

        def put(i):
            common.set_with_person(i, dest["user"], "", due_back)
    else:

        def put(i):
            common.set_at_location(i, dest["location"])

    return row, common.relocate(row, action=verb, actor=actor, put=put)


@transaction.atomic
def scan_move(codes, *, actor) -> dict:
    """Move the scanned items (every code but the last) to the destination (the last).

    Returns {"destination": {"kind", "id", "label"},
             "moved": [{"code", "item", "title", "action", "from", "to"}],
             "unchanged": [{"code", "item", "title"}],
             "refused": [{"code", "error", "message", "status"}]},
    the lists in scan order (a code scanned twice counts once). Items are locked in id
    order, so concurrent scans of overlapping items queue instead of deadlocking."""
    common.check_actor(actor)
    scanned = _codes(codes)
    dest = _destination(scanned[-1])
    item_codes = list(dict.fromkeys(scanned[:-1]))
    ids = dict(MediaItem.objects.filter(barcode__in=item_codes).values_list("barcode", "pk"))
    due_back = timezone.localdate() + datetime.timedelta(days=LOAN_DAYS)
    outcome: dict[str, dict] = {}
    for code in sorted((c for c in item_codes if c in ids), key=ids.get):
        try:
            with transaction.atomic():
                row, movement = _take(ids[code], dest, actor, due_back)
        except DomainError as exc:
            outcome[code] = {
                "refused": {
                    "code": code,
                    "error": exc.code,
                    "message": exc.message,
                    "status": exc.status,
                }
            }
            continue
        if movement is None:
            outcome[code] = {"unchanged": {"code": code, "item": row.pk, "title": row.title}}
        else:
            outcome[code] = {
                "moved": {
                    "code": code,
                    "item": row.pk,
                    "title": row.title,
                    "action": movement.action,
                    "from": movement.from_place["label"],
                    "to": dest["label"],
                }
            }
    answer = {
        "destination": {
            "kind": dest["kind"],
            "id": dest["location"].pk if dest["kind"] == "location" else dest["user"].pk,
            "label": dest["label"],
        },
        "moved": [],
        "unchanged": [],
        "refused": [],
    }
    for code in item_codes:
        if code not in ids:
            answer["refused"].append(
                {
                    "code": code,
                    "error": "unknown_code",
                    "message": f"{code} is not a registered item",
                    "status": 404,
                }
            )
            continue
        ((kind, entry),) = outcome[code].items()
        answer[kind].append(entry)
    return answer
