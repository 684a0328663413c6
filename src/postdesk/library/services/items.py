"""Registering media items and changing what the catalogue says of them: identity, kind
and format, technical fields (timecodes validated at the item's rate), ties to client,
production and job, lineage (parents), archive and restore; people's badge codes.

Where an item is changes only through the custody services (custody.py), except its
first place, which registration sets with a REGISTER movement.
"""

import datetime

from django.db import IntegrityError, transaction

from postdesk.core import audit, sequences, timecode
from postdesk.core.errors import Conflict, InvalidInput, InvalidTransition
from postdesk.core.models import AuditEntry
from postdesk.core.roles import DISPATCH_MEDIA, MANAGE_LIBRARY
from postdesk.core.timeutil import require_date_in_window
from postdesk.library.models import Badge, Derivation, MediaItem, Movement
from postdesk.library.services import common
from postdesk.library.services.common import bounded_text, normalise_code, require

Item = MediaItem
BARCODE_SEQUENCE = "library_item"
BARCODE_PREFIX = "LIB-"
MAX_PARENTS = 50

# The descriptive fields update_item may change, with their text limits (None: not text).
TEXT_FIELDS = {
    "title": 200,
    "standard": 40,
    "resolution": 20,
    "aspect_ratio": 20,
    "audio_layout": 100,
    "start_timecode": 16,
    "duration": 16,
    "reel": 40,
    "notes": 5000,
    "file_path": 1000,
    "checksum": 128,
}
CHOICE_FIELDS = {
    "kind": Item.Kind,
    "format": Item.Format,
    "generation": Item.Generation,
    "condition": Item.Condition,
    "owner": Item.Owner,
}
OTHER_FIELDS = (
    "frame_rate",
    "drop_frame",
    "file_size",
    "client",
    "production",
    "job",
    "retention_until",
    "on_hold",
)
EDITABLE = frozenset([*TEXT_FIELDS, *CHOICE_FIELDS, *OTHER_FIELDS, "barcode"])


class DuplicateBarcode(Conflict):
    code = "duplicate_barcode"


# --- validation --------------------------------------------------------------------------


def _clean_fields(values: dict) -> dict:
    """Bounded text, known choices, sane numbers and dates; unknown fields refused."""
    unknown = set(values) - EDITABLE
    if unknown:
        raise InvalidInput(
            f"Unknown media item fields: {', '.join(sorted(unknown))}",
            details={"fields": {f: ["Unknown field"] for f in sorted(unknown)}},
        )
    clean = {}
    for name, value in values.items():
        if name in TEXT_FIELDS:
            clean[name] = bounded_text(name, value, TEXT_FIELDS[name], required=name == "title")
        elif name in CHOICE_FIELDS:
            if value not in CHOICE_FIELDS[name].values:
                choices = ", ".join(CHOICE_FIELDS[name].values)
                raise InvalidInput.field(name, f"Unknown {name} {value!r}: use one of {choices}")
            clean[name] = value
        elif name == "frame_rate":
            value = value or ""
            if value and value not in timecode.RATE_NAMES:
                rates = ", ".join(timecode.RATE_NAMES)
                raise InvalidInput.field(name, f"Unknown frame rate {value!r}: use one of {rates}")
            clean[name] = value
        elif name in ("drop_frame", "on_hold"):
            if not isinstance(value, bool):
                raise InvalidInput.field(name, f"{name} is true or false")
            clean[name] = value
        elif name == "file_size":
            if value is not None and (
                isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < 2**63
            ):
                raise InvalidInput.field(name, "A file size is a whole number of bytes")
            clean[name] = value
        elif name == "retention_until":
            if value is not None:
                if not isinstance(value, datetime.date) or isinstance(value, datetime.datetime):
                    raise InvalidInput.field(name, "A retention date is a date")
                require_date_in_window(value, name)
            clean[name] = value
        elif name == "barcode":
            clean[name] = normalise_code(value)
        else:  # client, production, job: an instance, an id, or None
            clean[name] = _related(name, value)
    return clean


def _related(name: str, value):
    """The client, production or job given as an instance or an id (422 if missing)."""
    from postdesk.productions.models import Client, Job, Production

    if value is None:
        return None
    model = {"client": Client, "production": Production, "job": Job}[name]
    if isinstance(value, model):
        return value
    pk = common.pk_of(value, name)
    found = model.objects.filter(pk=pk).first()
    if found is None:
        raise InvalidInput.field(name, f"No {name} {pk}")
    return found


def resolve_user(value, field: str = "holder"):
    """A user given as an instance or an id; None stays None (422 if missing)."""
    from django.contrib.auth import get_user_model

    if value is None:
        return None
    User = get_user_model()
    if isinstance(value, User):
        return value
    pk = common.pk_of(value, field)
    found = User.objects.filter(pk=pk).first()
    if found is None:
        raise InvalidInput.field(field, f"No user {pk}")
    return found


def _check_format(item: Item) -> None:
    allowed = Item.FORMATS_BY_KIND[Item.Kind(item.kind)]
    if item.format not in allowed:
        names = ", ".join(sorted(Item.Format(f).label for f in allowed))
        raise InvalidInput.field(
            "format",
            f"A {Item.Kind(item.kind).label.lower()} cannot be "
            f"{Item.Format(item.format).label}: use {names}",
        )
    if item.kind == Item.Kind.FILE and not item.file_path:
        raise InvalidInput.field("file_path", "A file deliverable needs its path or URL")


def _check_timecodes(item: Item) -> None:
    """Start timecode and duration are SMPTE labels at the item's frame rate; written
    with ';' they are drop frame, which must agree with the item's drop_frame flag."""
    for field in ("start_timecode", "duration"):
        text = getattr(item, field)
        if not text:
            continue
        if not item.frame_rate:
            raise InvalidInput.field(field, "Give the frame rate the timecode counts at")
        try:
            _, drop = timecode.parse(text, item.frame_rate)
        except ValueError as exc:
            raise InvalidInput.field(field, str(exc)) from None
        if drop != item.drop_frame:
            said = "drop frame (;)" if drop else "non-drop frame (:)"
            raise InvalidInput.field(
                field,
                f"{text} is written as {said} but the item is "
                f"{'drop' if item.drop_frame else 'non-drop'} frame",
            )
    if item.drop_frame and item.frame_rate not in timecode.DROP_FRAME_RATES:
        raise InvalidInput.field(
            "drop_frame",
            f"Drop frame exists only at {' and '.join(timecode.DROP_FRAME_RATES)}",
        )


def _check_ties(item: Item) -> None:
    """Job, production and client agree; the missing ones are filled from the job or
    the production (an item of a job belongs to its production and its client)."""
    if item.job is not None:
        if item.production is None:
            item.production = item.job.production
        elif item.production.pk != item.job.production_id:
            raise InvalidInput.field("job", "The job belongs to another production")
    if item.production is not None:
        if item.client is None:
            item.client = item.production.client
        elif item.client.pk != item.production.client_id:
            raise InvalidInput.field("production", "The production belongs to another client")


def _validate(item: Item) -> None:
    _check_format(item)
    _check_timecodes(item)
    _check_ties(item)


def checked_item(fields: dict) -> Item:
    """A new, unsaved item of these descriptive fields, checked as register_item checks
    them (bounded text, known choices, format for its kind, timecodes, job, production
    and client agreeing), with no place yet: for registering in bulk
    (importing.register_block)."""
    item = Item(**_clean_fields(fields))
    _validate(item)
    return item


def _barcode_taken(code: str, exclude_pk: int | None = None) -> bool:
    found = Item.objects.filter(barcode=code)
    if exclude_pk is not None:
        found = found.exclude(pk=exclude_pk)
    return found.exists()


def _refuse_duplicate(code: str) -> DuplicateBarcode:
    return DuplicateBarcode(
        f"Barcode {code} is already registered",
        details={"fields": {"barcode": [f"{code} is already registered"]}},
    )


def next_barcode() -> str:
    """The next free LIB-000123 barcode (skipping any registered as is), from the gap-free
    counter; call inside the registering transaction."""
    while True:
        code = f"{BARCODE_PREFIX}{sequences.next_value(BARCODE_SEQUENCE):06d}"
        if not _barcode_taken(code):
            return code


def _parents(values) -> list[Item]:
    ids = [common.pk_of(v, "parents") for v in values]
    if len(ids) > MAX_PARENTS:
        raise InvalidInput.field("parents", f"At most {MAX_PARENTS} parents")
    found = {p.pk: p for p in Item.objects.filter(pk__in=ids)}
    missing = [i for i in ids if i not in found]
    if missing:
        raise InvalidInput.field("parents", f"No media item {missing[0]}")
    return [found[i] for i in dict.fromkeys(ids)]


# --- registration ------------------------------------------------------------------------


def _first_place(item: Item, place: dict):
    """Put a new item in its one first place: a location, a person, or a courier."""
    location = place.get("location")
    holder = resolve_user(place.get("holder"))
    holder_name = bounded_text("holder_name", place.get("holder_name"), 200)
    courier = bounded_text("courier", place.get("courier"), 100)
    given = [location is not None, holder is not None or bool(holder_name), bool(courier)]
    if sum(given) != 1:
        raise InvalidInput.field(
            "location",
            "Register the item in exactly one place: a location, a person, or a courier",
        )
    if location is not None:
        common.set_at_location(item, common.target_location(location))
    elif courier:
        common.set_in_transit(
            item,
            courier,
            bounded_text("tracking", place.get("tracking"), 100),
            bounded_text("destination", place.get("destination"), 300, required=True),
        )
    else:
        due_back = place.get("due_back")
        if due_back is None:
            raise InvalidInput.field("due_back", "An item with a person needs a due-back date")
        require_date_in_window(due_back, "due_back")
        if holder is not None and (holder_name or not holder.is_active):
            raise InvalidInput.field(
                "holder", "Give one holder: an active user, or the name of someone outside"
            )
        common.set_with_person(item, holder, holder_name, due_back)


@transaction.atomic
def register_item(
    *,
    actor,
    title: str,
    kind: str,
    format: str,
    generation: str,
    barcode: str = "",
    location=None,
    holder=None,
    holder_name: str = "",
    due_back: datetime.date | None = None,
    courier: str = "",
    tracking: str = "",
    destination: str = "",
    signer_name: str = "",
    parents=(),
    at_the_door: bool = False,
    **fields,
) -> Item:
    """Register a media item at its first place (a location, a person with a due-back
    date, or a courier), with a REGISTER movement and its audit entry.

    `barcode`: registered as is (stripped, upper-cased; 409 duplicate_barcode when taken),
    or generated LIB-000123 when blank. `fields`: the descriptive fields of MediaItem
    (standard, frame_rate, start_timecode, client, production, job, retention_until...).
    `parents`: items (or ids) this one was made from. `at_the_door`: registered as it
    arrives at the front door (frontdesk's deliveries), which those who receive media
    (dispatch_media: reception) may do, so that custody starts at the door.

    Longer than 60 lines because of its keyword-only signature; the body is 40."""
    require(actor, DISPATCH_MEDIA if at_the_door else MANAGE_LIBRARY, "register media")
    given = {"title": title, "kind": kind, "format": format, "generation": generation, **fields}
    clean = _clean_fields(given)
    code = normalise_code(barcode) if barcode and barcode.strip() else ""
    if code and _barcode_taken(code):
        raise _refuse_duplicate(code)
    item = Item(**clean)
    _validate(item)
    _first_place(
        item,
        {
            "location": location,
            "holder": holder,
            "holder_name": holder_name,
            "due_back": due_back,
            "courier": courier,
            "tracking": tracking,
            "destination": destination,
        },
    )
    parent_items = _parents(parents)
    item.barcode = code or next_barcode()
    item.registered_by = actor if not isinstance(actor, common.SystemActor) else None
    item.placed_at = common.now()
    try:
        with transaction.atomic():
            item.save()
    except IntegrityError as exc:  # the barcode, taken by a concurrent registration
        raise _refuse_duplicate(item.barcode) from exc
    Derivation.objects.bulk_create([Derivation(parent=p, child=item) for p in parent_items])
    common.movement_for(
        item,
        action=Movement.Action.REGISTER,
        actor=actor,
        at=item.placed_at,
        from_place={},
        signer_name=bounded_text("signer_name", signer_name, common.SIGNER_MAX),
    )
    audit.record_create(actor, item, summary=f"Registered {item.barcode} {item.title}")
    return item


@transaction.atomic
def update_item(item, *, actor, **changes) -> Item:
    """Change what the catalogue says of an item (not where it is: see custody.py)."""
    require(actor, MANAGE_LIBRARY, "change media")
    clean = _clean_fields(changes)
    item = Item.objects.select_for_update(of=("self",)).get(pk=common.pk_of(item, "item"))
    if item.destroyed_at is not None:
        raise common.ItemDestroyed(f"{item.barcode} was destroyed; its record is closed")
    before = audit.snapshot(item, list(clean))
    for name, value in clean.items():
        setattr(item, name, value)
    if "barcode" in clean and _barcode_taken(item.barcode, item.pk):
        raise _refuse_duplicate(item.barcode)
    _validate(item)
    try:
        with transaction.atomic():
            item.save()
    except IntegrityError as exc:
        raise _refuse_duplicate(item.barcode) from exc
    audit.record_update(actor, item, before, f"Changed {item.barcode}")
    return item


@transaction.atomic
def add_parents(item, parents, *, actor) -> Item:
    """Record that `item` was (also) made from `parents`; a parent that is the item or
    one of its descendants would make lineage a loop, and is refused."""
    from postdesk.library.queries import descendant_ids

    require(actor, MANAGE_LIBRARY, "change lineage")
    item = Item.objects.select_for_update(of=("self",)).get(pk=common.pk_of(item, "item"))
    parent_items = _parents(parents)
    loop = ({item.pk} | set(descendant_ids(item.pk))) & {p.pk for p in parent_items}
    if loop:
        raise InvalidInput.field("parents", "An item cannot be made from itself or its copies")
    existing = set(Derivation.objects.filter(child=item).values_list("parent_id", flat=True))
    new = [p for p in parent_items if p.pk not in existing]
    Derivation.objects.bulk_create([Derivation(parent=p, child=item) for p in new])
    if new:
        audit.record(
            actor,
            item,
            AuditEntry.Action.UPDATE,
            {"parents": [sorted(existing), sorted(existing | {p.pk for p in new})]},
            f"{item.barcode} made from {', '.join(p.barcode for p in new)}",
        )
    return item


def _set_archived(item, *, actor, archived: bool, reason: str) -> Item:
    require(actor, MANAGE_LIBRARY, "archive media")
    reason = bounded_text("reason", reason, 500, required=archived)
    item = Item.objects.select_for_update(of=("self",)).get(pk=common.pk_of(item, "item"))
    if item.destroyed_at is not None:
        raise common.ItemDestroyed(f"{item.barcode} was destroyed; its record is closed")
    if (item.archived_at is not None) == archived:
        raise InvalidTransition(f"{item.barcode} is {'already' if archived else 'not'} archived")
    before = audit.snapshot(item, ["archived_at"])
    item.archived_at = common.now() if archived else None
    item.save(update_fields=["archived_at", "updated_at"])
    verb = "Archived" if archived else "Restored"
    audit.record(
        actor,
        item,
        AuditEntry.Action.TRANSITION,
        audit.diff(before, audit.snapshot(item, ["archived_at"])) | {"reason": reason},
        f"{verb} {item.barcode}" + (f": {reason}" if reason else ""),
    )
    return item


@transaction.atomic
def archive_item(item, *, actor, reason: str) -> Item:
    """Withdraw an item from the catalogue (registered by mistake, returned for good): it
    keeps its place and history but is listed, counted and moved no more."""
    return _set_archived(item, actor=actor, archived=True, reason=reason)


@transaction.atomic
def restore_item(item, *, actor, reason: str = "") -> Item:
    """Bring an archived item back into the catalogue."""
    return _set_archived(item, actor=actor, archived=False, reason=reason)


@transaction.atomic
def set_badge(user, code: str, *, actor) -> Badge:
    """Give `user` the badge `code` (replacing any badge they had); scanning it at the
    scan station checks the scanned items out to them."""
    require(actor, MANAGE_LIBRARY, "issue badges")
    code = normalise_code(code)
    taken = Badge.objects.filter(code=code).exclude(user=user).first()
    if taken is not None:
        raise DuplicateBarcode(f"Badge {code} is someone else's")
    from postdesk.library.models import Location

    if Location.objects.filter(barcode=code).exists() or Item.objects.filter(barcode=code).exists():
        raise DuplicateBarcode(f"{code} is already a location or item barcode")
    badge, made = Badge.objects.update_or_create(user=user, defaults={"code": code})
    audit.record(
        actor,
        badge,
        AuditEntry.Action.CREATE if made else AuditEntry.Action.UPDATE,
        {"user": [None, user.pk], "code": [None, code]},
        f"Badge {code} for {user.get_username()}",
    )
    return badge
