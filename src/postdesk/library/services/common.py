"""What every library service shares: who may act, the item's lock, its place as JSON,
and the one way an item changes place (`relocate`: fields, movement and audit together).

An item's place is one of three (the check constraint `library_item_in_one_place`):
- at a location:  {"custody": "location", "location": id, "label": ...}
- with a person:  {"custody": "person", "holder": user id or None, "holder_name": ...,
                   "due_back": "YYYY-MM-DD" or None, "label": ...}
- in transit:     {"custody": "transit", "courier": ..., "tracking": ...,
                   "destination": ..., "label": ...}
Movement.from_place and to_place hold these dicts; `same_place` compares two of them
without their human-readable label, so replaying an item's movements gives its place.
"""

import datetime
from collections.abc import Callable

from django.db import connection, models
from django.utils import timezone

from postdesk.core import audit
from postdesk.core.audit import SystemActor
from postdesk.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from postdesk.core.models import AuditEntry
from postdesk.core.roles import ROLES, can, role_of
from postdesk.library.models import BARCODE_MAX, Location, MediaItem, Movement

Custody = MediaItem.Custody

# Every field that says where an item is; cleared together before a new place is set.
CUSTODY_FIELDS = (
    "custody",
    "location",
    "holder",
    "holder_name",
    "due_back",
    "courier",
    "tracking",
    "destination",
)
# Saved with every change of place (reminders belong to one check-out).
PLACED_FIELDS = ("placed_at", "reminders_sent", "last_reminder_at", "updated_at")
MAX_TEXT = {"holder_name": 200, "courier": 100, "tracking": 100, "destination": 300}
SIGNER_MAX = 200
NOTE_MAX = 500


class ItemDestroyed(Conflict):
    """A destroyed item refuses every move (409)."""

    code = "item_destroyed"


class ItemArchived(Conflict):
    """An archived (withdrawn) item is not moved until it is restored (409)."""

    code = "item_archived"


def check_actor(actor) -> None:
    """Library writes are made by a user or a named part of postdesk (audit.WORKER,
    audit.DEMO...), never by a bare label, so each movement says who made it."""
    if isinstance(actor, SystemActor):
        return
    if isinstance(actor, models.Model) and hasattr(actor, "get_username"):
        return
    raise TypeError(f"a library actor is a user or an audit.SystemActor, not {actor!r}")


def require(actor, capability: str, what: str) -> None:
    """Refuse (403) a user whose role lacks `capability`; system actors act for the
    facility itself. The API and pages ask first; this is the rule's last word."""
    check_actor(actor)
    if isinstance(actor, SystemActor) or can(actor, capability):
        return
    role = role_of(actor)
    who = ROLES[role]["label"] + "s" if role else "Users without a role"
    raise Forbidden(f"{who} may not {what}", details={"needs": capability})


def now() -> datetime.datetime:
    return timezone.now()


def normalise_code(code) -> str:
    """A scanned or typed barcode as stored: surrounding space dropped, upper case."""
    if not isinstance(code, str):
        raise InvalidInput.field("barcode", "A barcode is text")
    text = code.strip().upper()
    if not text:
        raise InvalidInput.field("barcode", "A barcode cannot be blank")
    if len(text) > BARCODE_MAX or "\x00" in text:
        raise InvalidInput.field("barcode", f"A barcode is at most {BARCODE_MAX} characters")
    return text


def bounded_text(field: str, value, limit: int, *, required: bool = False) -> str:
    if value is None:
        value = ""
    if not isinstance(value, str) or "\x00" in value:
        raise InvalidInput.field(field, f"{field.replace('_', ' ')} must be plain text")
    value = value.strip()
    if len(value) > limit:
        raise InvalidInput.field(field, f"{field.replace('_', ' ')} is at most {limit} characters")
    if required and not value:
        raise InvalidInput.field(field, f"{field.replace('_', ' ')} is required")
    return value


def pk_of(value, field: str) -> int:
    """The id of a model instance or an id given as is."""
    pk = value.pk if isinstance(value, models.Model) else value
    if isinstance(pk, bool) or not isinstance(pk, int) or not 0 < pk < 2**63:
        raise InvalidInput.field(field, f"{field} must be an id")
    return pk


# --- locks -----------------------------------------------------------------------------


def lock_item(item) -> MediaItem:
    """The item's row, locked until the transaction ends (SELECT ... FOR UPDATE on
    PostgreSQL; SQLite's IMMEDIATE transaction holds the write lock already), read fresh
    so that the place a movement starts from is the one the previous movement ended at.
    Destroyed and archived items are refused here, before anything changes."""
    pk = pk_of(item, "item")
    # No select_related: on PostgreSQL a row locked after waiting is re-read, but rows
    # joined to it are not, so a joined location could be the old one or none at all
    # (seen with 16 threads). The location and holder load after the lock instead.
    found = MediaItem.objects.select_for_update().filter(pk=pk).first()
    if found is None:
        raise NotFound(f"Media item {pk} does not exist")
    refuse_if_gone(found)
    return found


def refuse_if_gone(item: MediaItem) -> None:
    if item.destroyed_at is not None:
        raise ItemDestroyed(
            f"{item.barcode} was destroyed on {item.destroyed_at:%d %B %Y} and cannot move",
            details={"item": item.pk, "barcode": item.barcode},
        )
    if item.archived_at is not None:
        raise ItemArchived(
            f"{item.barcode} is archived; restore it before moving it",
            details={"item": item.pk, "barcode": item.barcode},
        )


def _shared_location(column: str, value) -> Location | None:
    """The location whose `column` is `value`, read FOR SHARE on PostgreSQL."""
    if connection.vendor == "postgresql":
        rows = Location.objects.raw(
            f"SELECT * FROM library_location WHERE {column} = %s FOR SHARE", [value]
        )
        return next(iter(rows), None)
    return Location.objects.filter(**{column: value}).first()


def target_location(value, field: str = "location") -> Location:
    """The live location an item may go to: a missing or archived one is a 422.

    On PostgreSQL the row is read FOR SHARE: concurrent moves into one shelf do not wait
    for each other, but archive_location (FOR UPDATE) waits for them, and they for it,
    so no item lands in a location archived at the same moment."""
    pk = pk_of(value, field)
    found = _shared_location("id", pk)
    if found is None:
        raise InvalidInput.field(field, f"Location {pk} does not exist")
    if found.archived:
        raise InvalidInput.field(field, f"Location {found.name} is archived")
    return found


def location_by_barcode(code: str) -> Location | None:
    """The location with this (normalised) barcode, archived or not, read as
    target_location reads it; None when no location has it."""
    return _shared_location("barcode", code)


# --- places ----------------------------------------------------------------------------


def location_label(location: Location) -> str:
    return f"{location.name} ({location.barcode})"


def place_of(item: MediaItem) -> dict:
    """Where the item is, as the JSON a movement records."""
    if item.custody == Custody.LOCATION:
        return {
            "custody": Custody.LOCATION.value,
            "location": item.location_id,
            "label": location_label(item.location),
        }
    if item.custody == Custody.PERSON:
        holder = item.holder
        return {
            "custody": Custody.PERSON.value,
            "holder": item.holder_id,
            "holder_name": item.holder_name,
            "due_back": item.due_back.isoformat() if item.due_back else None,
            "label": holder.display_name if holder is not None else item.holder_name,
        }
    return {
        "custody": Custody.TRANSIT.value,
        "courier": item.courier,
        "tracking": item.tracking,
        "destination": item.destination,
        "label": f"{item.courier} {item.tracking}".strip() + f" to {item.destination}",
    }


def place_key(place: dict) -> dict:
    """The place without its label: what two places must share to be the same."""
    return {k: v for k, v in place.items() if k != "label"}


def same_place(a: dict, b: dict) -> bool:
    return place_key(a) == place_key(b)


def clear_place(item: MediaItem) -> None:
    item.location = None
    item.holder = None
    item.holder_name = ""
    item.due_back = None
    item.courier = ""
    item.tracking = ""
    item.destination = ""


def set_at_location(item: MediaItem, location: Location) -> None:
    clear_place(item)
    item.custody = Custody.LOCATION
    item.location = location


def set_with_person(item: MediaItem, holder, holder_name: str, due_back) -> None:
    clear_place(item)
    item.custody = Custody.PERSON
    item.holder = holder
    item.holder_name = "" if holder is not None else holder_name
    item.due_back = due_back


def set_in_transit(item: MediaItem, courier: str, tracking: str, destination: str) -> None:
    clear_place(item)
    item.custody = Custody.TRANSIT
    item.courier = courier
    item.tracking = tracking
    item.destination = destination


def movement_for(
    item: MediaItem,
    *,
    action: str,
    actor,
    at: datetime.datetime,
    from_place: dict,
    signer_name: str = "",
    note: str = "",
) -> Movement:
    user = actor if isinstance(actor, models.Model) else None
    return Movement.objects.create(
        item=item,
        at=at,
        action=action,
        actor=user,
        actor_label=audit.actor_label(actor),
        from_place=from_place,
        to_place=place_of(item),
        signer_name=signer_name,
        note=note,
    )


def relocate(
    item: MediaItem,
    *,
    action: str,
    actor,
    put: Callable[[MediaItem], None],
    signer_name: str = "",
    note: str = "",
) -> Movement:
    """Move the locked `item` by `put(item)` (one of the set_* above): save its place,
    append the movement and write the audit entry, all in the caller's transaction.

    Overdue reminders belong to one check-out, so every change of place starts them
    afresh."""
    signer_name = bounded_text("signer_name", signer_name, SIGNER_MAX)
    note = bounded_text("note", note, NOTE_MAX)
    before = place_of(item)
    put(item)
    at = now()
    item.placed_at = at
    item.reminders_sent = 0
    item.last_reminder_at = None
    item.save(update_fields=[*CUSTODY_FIELDS, *PLACED_FIELDS])
    movement = movement_for(
        item,
        action=action,
        actor=actor,
        at=at,
        from_place=before,
        signer_name=signer_name,
        note=note,
    )
    label = Movement.Action(action).label
    audit.record(
        actor,
        item,
        AuditEntry.Action.TRANSITION,
        {"place": [before, movement.to_place], "action": action, "movement": movement.pk},
        f"{label}: {item.barcode} from {before['label']} to {movement.to_place['label']}",
    )
    return movement
