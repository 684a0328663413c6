"""The location tree: create, rename, move under another parent, archive.

`Location.path` is the chain of ids from the root ("/1/7/31/"), so that a subtree is one
indexed prefix match however deep. A location is created with its parent's path plus its
own id; moving a location rewrites the paths of its whole subtree in one UPDATE; it can
never go under itself or its own subtree.
"""

from django.db import IntegrityError, transaction
from django.db.models import Value
from django.db.models.functions import Concat, Substr

from postdesk.core import audit, sequences
from postdesk.core.errors import Conflict, InvalidInput, NotFound
from postdesk.core.models import AuditEntry
from postdesk.core.roles import MANAGE_LIBRARY
from postdesk.library.models import Location, MediaItem
from postdesk.library.services import common
from postdesk.library.services.common import bounded_text, normalise_code, require

BARCODE_SEQUENCE = "library_location"
BARCODE_PREFIX = "LOC-"
MAX_DEPTH = 12  # site › vault › rack › shelf › slot, with room to spare; paths stay short


class LocationNotEmpty(Conflict):
    code = "location_not_empty"


def _lock(location) -> Location:
    pk = common.pk_of(location, "location")
    found = Location.objects.select_for_update().filter(pk=pk).first()
    if found is None:
        raise NotFound(f"Location {pk} does not exist")
    return found


def _name_clash(exc: IntegrityError, name: str) -> Conflict:
    return Conflict(
        f"This place already has a location named {name}",
        details={"fields": {"name": [f"{name} is taken here"]}},
    )


def _barcode_free(code: str) -> None:
    from postdesk.library.models import Badge

    taken = (
        Location.objects.filter(barcode=code).exists()
        or MediaItem.objects.filter(barcode=code).exists()
        or Badge.objects.filter(code=code).exists()
    )
    if taken:
        raise Conflict(
            f"Barcode {code} is already in use",
            code="duplicate_barcode",
            details={"fields": {"barcode": [f"{code} is already in use"]}},
        )


def _next_barcode() -> str:
    while True:
        code = f"{BARCODE_PREFIX}{sequences.next_value(BARCODE_SEQUENCE):06d}"
        if not Location.objects.filter(barcode=code).exists():
            return code


def _depth(path: str) -> int:
    return path.count("/") - 1


@transaction.atomic
def create_location(
    *, actor, name: str, kind: str, parent=None, barcode: str = "", site=None, notes: str = ""
) -> Location:
    """A new location under `parent` (None: a root, such as a site's building). Its
    barcode is given (normalised, unique across locations, items and badges) or
    generated LOC-000123; a child takes its parent's site."""
    require(actor, MANAGE_LIBRARY, "change locations")
    name = bounded_text("name", name, 100, required=True)
    notes = bounded_text("notes", notes, 5000)
    if kind not in Location.Kind.values:
        raise InvalidInput.field("kind", f"Unknown location kind {kind!r}")
    parent_row = None
    if parent is not None:
        parent_row = common.target_location(parent, "parent")
        if _depth(parent_row.path) >= MAX_DEPTH:
            raise InvalidInput.field("parent", f"Locations nest at most {MAX_DEPTH} deep")
        site = parent_row.site
    code = normalise_code(barcode) if barcode and barcode.strip() else ""
    if code:
        _barcode_free(code)
    location = Location(
        name=name,
        kind=kind,
        parent=parent_row,
        site=site,
        notes=notes,
        barcode=code or _next_barcode(),
    )
    try:
        with transaction.atomic():
            location.save()
    except IntegrityError as exc:
        raise _name_clash(exc, name) from exc
    location.path = f"{parent_row.path if parent_row else '/'}{location.pk}/"
    location.save(update_fields=["path"])
    audit.record_create(actor, location, summary=f"Location {location.name} ({location.barcode})")
    return location


@transaction.atomic
def update_location(location, *, actor, name: str | None = None, notes: str | None = None):
    """Rename a location or change its notes (its barcode is printed: it stays)."""
    require(actor, MANAGE_LIBRARY, "change locations")
    row = _lock(location)
    before = audit.snapshot(row, ["name", "notes"])
    if name is not None:
        row.name = bounded_text("name", name, 100, required=True)
    if notes is not None:
        row.notes = bounded_text("notes", notes, 5000)
    try:
        with transaction.atomic():
            row.save(update_fields=["name", "notes"])
    except IntegrityError as exc:
        raise _name_clash(exc, row.name) from exc
    audit.record_update(actor, row, before, f"Location {row.barcode} changed")
    return row


def rename_location(location, *, actor, name: str) -> Location:
    return update_location(location, actor=actor, name=name)


def _lock_for_move(pk: int, parent_pk: int) -> tuple[Location, Location]:
    """Lock the location, its new parent and every ancestor of the new parent, in id
    order. Two moves that could together make a loop (rack 1 under a shelf of rack 2,
    rack 2 under a shelf of rack 1) then share a locked row and queue, and the second
    sees the first's paths, so the subtree check below cannot be fooled. The parent's
    chain is read, then locked; if it changed in between, read again."""
    for _ in range(3):
        chain = Location.objects.filter(pk=parent_pk).values_list("path", flat=True).first()
        if chain is None:
            break
        ids = {pk, parent_pk, *(int(part) for part in chain.strip("/").split("/"))}
        locked = {
            loc.pk: loc
            for loc in Location.objects.select_for_update().filter(pk__in=ids).order_by("pk")
        }
        if pk not in locked:
            raise NotFound(f"Location {pk} does not exist")
        if locked[parent_pk].path == chain:
            return locked[pk], common.target_location(parent_pk, "parent")
    if not Location.objects.filter(pk=pk).exists():
        raise NotFound(f"Location {pk} does not exist")
    if chain is None:
        raise InvalidInput.field("parent", f"Location {parent_pk} does not exist")
    raise Conflict("The locations were being moved by someone else; please try again")


@transaction.atomic
def move_location(location, *, actor, parent) -> Location:
    """Put `location` (and its subtree) under `parent`. Refused under itself or anything
    below it. The subtree's paths (and site, the new parent's) change in one UPDATE."""
    require(actor, MANAGE_LIBRARY, "change locations")
    pk, parent_pk = common.pk_of(location, "location"), common.pk_of(parent, "parent")
    row, new_parent = _lock_for_move(pk, parent_pk)
    if new_parent.path.startswith(row.path):
        raise InvalidInput.field("parent", "A location cannot go under itself or its own subtree")
    old_path = row.path
    new_path = f"{new_parent.path}{row.pk}/"
    deepest = (
        Location.objects.filter(path__startswith=old_path)
        .values_list("path", flat=True)
        .order_by("-path")
    )
    depth_below = max((_depth(p) - _depth(old_path) for p in deepest), default=0)
    if _depth(new_path) + depth_below > MAX_DEPTH:
        raise InvalidInput.field("parent", f"Locations nest at most {MAX_DEPTH} deep")
    before = audit.snapshot(row, ["parent_id", "path", "site_id"])
    try:
        with transaction.atomic():
            Location.objects.filter(pk=row.pk).update(parent=new_parent)
    except IntegrityError as exc:
        raise _name_clash(exc, row.name) from exc
    Location.objects.filter(path__startswith=old_path).update(
        path=Concat(Value(new_path), Substr("path", len(old_path) + 1)),
        site=new_parent.site_id,
    )
    row.refresh_from_db()
    audit.record_update(actor, row, before, f"Location {row.name} moved under {new_parent.name}")
    return row


@transaction.atomic
def archive_location(location, *, actor) -> Location:
    """Archive a location and its subtree, refused (409) while any of it holds items.

    The subtree is locked FOR UPDATE first; a move into it reads its target FOR SHARE
    (common.target_location), so the two wait for each other and never cross."""
    require(actor, MANAGE_LIBRARY, "change locations")
    row = _lock(location)
    subtree = Location.objects.filter(path__startswith=row.path)
    list(subtree.select_for_update().values_list("pk", flat=True))
    held = MediaItem.objects.filter(
        location__path__startswith=row.path, custody=MediaItem.Custody.LOCATION
    ).count()
    if held:
        raise LocationNotEmpty(
            f"{row.name} still holds {held} item(s); move them out first",
            details={"items": held},
        )
    count = subtree.filter(archived=False).update(archived=True)
    audit.record(
        actor,
        row,
        AuditEntry.Action.TRANSITION,
        {"archived": [False, True], "locations": count},
        f"Archived {row.name} and {count - 1} location(s) below it",
    )
    row.archived = True
    return row


_UNCHANGED = object()


@transaction.atomic
def change_location(location, *, actor, name=None, notes=None, parent=_UNCHANGED) -> Location:
    """The edit form's one write: rename, new notes and a new parent together, or none of
    them (each step's refusal undoes the others). `parent` None is refused: a location
    with a parent stays inside one, and a root stays a root."""
    row = update_location(location, actor=actor, name=name, notes=notes)
    if parent is not _UNCHANGED:
        if parent is None:
            if row.parent_id is not None:
                raise InvalidInput.field("parent", "A location inside another stays inside one")
        elif common.pk_of(parent, "parent") != row.parent_id:
            row = move_location(row, actor=actor, parent=parent)
    return row
