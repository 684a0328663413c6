"""Importing an existing catalogue (CSV or XLSX) as media items: a dry run that reports
every row, and the real import, all or nothing.

The per-item registration service is too slow for a 100,000-row catalogue, so this writes
in bulk, keeping the same invariants: every item in one place (a location, checked to exist
and not be archived), a REGISTER movement per item, barcodes unique (in the file and
against the database) with the missing ones generated as LIB-000123 from the same counter
registration uses, reserved once for the whole block, and one audit entry for the import
that says what it brought in. Any error in any row and nothing is written.
"""

from collections import Counter
from dataclasses import dataclass, field

from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone

from postdesk.core import audit
from postdesk.core.audit import SystemActor
from postdesk.core.errors import Conflict
from postdesk.core.inserts import copy_rows, insert_rows, new
from postdesk.core.models import AuditEntry, Sequence
from postdesk.core.roles import MANAGE_LIBRARY
from postdesk.library import import_checks
from postdesk.library.import_checks import RowResult
from postdesk.library.models import Derivation, Location, MediaItem, Movement
from postdesk.library.services import common
from postdesk.library.services.items import BARCODE_PREFIX, BARCODE_SEQUENCE, checked_item

# Rows per INSERT: SQLite (3.32+) takes 32,766 parameters a statement, an item row has
# about 45 and a movement 9. Fixed sizes, so that each statement's SQL is built once.
ITEM_BATCH = 500
MOVEMENT_BATCH = 2000
PG_BATCH = 5000
# An import of at least this many rows refreshes PostgreSQL's statistics of the tables it
# filled (see _refresh_statistics).
ANALYZE_AFTER_ROWS = 1000


@dataclass
class ImportReport:
    """What an import found (dry run) or did: one entry per row of the file."""

    dry_run: bool
    rows: list[RowResult]
    imported: int = 0
    generated: int = 0
    by_kind: dict[str, int] = field(default_factory=dict)

    @property
    def error_rows(self) -> int:
        return sum(1 for r in self.rows if r.errors)

    @property
    def ok(self) -> bool:
        return bool(self.rows) and not self.error_rows

    def as_dict(self) -> dict:
        return {
            "dry_run": self.dry_run,
            "ok": self.ok,
            "rows": len(self.rows),
            "error_rows": self.error_rows,
            "imported": self.imported,
            "generated_barcodes": self.generated,
            "report": [
                {
                    "line": r.line,
                    "barcode": r.barcode,
                    "status": "error" if r.errors else "ok",
                    "errors": [{"field": f, "message": m} for f, m in r.errors],
                }
                for r in self.rows
            ],
        }


def _reserve(count: int) -> range:
    """`count` consecutive numbers of the item barcode counter, taken in one update (the
    counter's row stays locked until the import's transaction ends, as next_value's)."""
    if not Sequence.objects.filter(name=BARCODE_SEQUENCE).exists():
        try:
            with transaction.atomic():
                Sequence.objects.create(name=BARCODE_SEQUENCE, last_value=0)
        except IntegrityError:
            pass  # made by a concurrent registration
    Sequence.objects.filter(name=BARCODE_SEQUENCE).update(last_value=F("last_value") + count)
    last = Sequence.objects.get(name=BARCODE_SEQUENCE).last_value
    return range(last - count + 1, last + 1)


def _generated_barcodes(count: int, in_file: set[str]) -> list[str]:
    """`count` free LIB- barcodes: numbers registered as is (in the database or the file)
    are skipped, and their places taken from a further reservation."""
    codes: list[str] = []
    while len(codes) < count:
        wanted = count - len(codes)
        candidates = [f"{BARCODE_PREFIX}{n:06d}" for n in _reserve(wanted)]
        taken = set()
        for i in range(0, len(candidates), 900):
            chunk = candidates[i : i + 900]
            taken.update(
                MediaItem.objects.filter(barcode__in=chunk).values_list("barcode", flat=True)
            )
        codes += [c for c in candidates if c not in taken and c not in in_file]
    return codes


def _build_items(rows: list[RowResult], actor, at) -> list[MediaItem]:
    user_id = None if isinstance(actor, SystemActor) else actor.pk
    generated = iter(
        _generated_barcodes(sum(1 for r in rows if not r.barcode), {r.barcode for r in rows})
    )
    items = []
    for row in rows:
        row.barcode = row.barcode or next(generated)
        # Built positionally (inserts.new): Model(**values) cost more than the insert.
        items.append(
            new(
                MediaItem,
                **row.values,
                barcode=row.barcode,
                custody=MediaItem.Custody.LOCATION,
                placed_at=at,
                registered_by_id=user_id,
            )
        )
    return items


def _movements(items: list[MediaItem], actor, at, note: str = "Imported") -> list[Movement]:
    user_id = None if isinstance(actor, SystemActor) else actor.pk
    label = audit.actor_label(actor)
    places = {
        pk: {"custody": "location", "location": pk, "label": common.location_label(loc)}
        for pk, loc in Location.objects.in_bulk({x.location_id for x in items}).items()
    }
    return [
        new(
            Movement,
            item_id=x.pk,
            at=at,
            action=Movement.Action.REGISTER,
            actor_id=user_id,
            actor_label=label,
            from_place={},
            to_place=places[x.location_id],
            note=note,
        )
        for x in items
    ]


def _insert(objs: list, batch: int) -> None:
    """On SQLite, plain multi-row INSERTs (core/inserts: bulk_create's field preparation
    without its query building, which cost more than the statements; MediaItem and
    Movement have no save() override or signal that this would skip). On PostgreSQL,
    COPY (core/inserts.copy_rows): multi-row INSERTs of 22,500 placeholders cost psycopg
    0.5 s each to parse in Python, and bulk_create's arrays 1.9 ms a row, most of it
    preparing fields and dumping the arrays in Python."""
    if connection.vendor == "postgresql":
        for i in range(0, len(objs), PG_BATCH):
            copy_rows(objs[i : i + PG_BATCH])
        return
    for i in range(0, len(objs), batch):
        insert_rows(objs[i : i + batch])


def _write(rows: list[RowResult], *, actor, filename: str) -> list[MediaItem]:
    at = timezone.now()
    items = _build_items(rows, actor, at)
    try:
        with transaction.atomic():
            _insert(items, ITEM_BATCH)
    except IntegrityError as exc:
        # A barcode registered by someone else since the check: nothing was written.
        raise Conflict(
            "A barcode in the file was registered while it was being imported; run it again",
            code="duplicate_barcode",
        ) from exc
    _insert(_movements(items, actor, at), MOVEMENT_BATCH)
    by_kind = Counter(x.kind for x in items)
    audit.record(
        actor,
        items[0],
        AuditEntry.Action.CREATE,
        {
            "file": filename[:200],
            "items": len(items),
            "first": items[0].barcode,
            "last": items[-1].barcode,
            "by_kind": dict(by_kind),
            "locations": len({x.location_id for x in items}),
        },
        f"Imported {len(items)} media items from {filename[:100]}",
        object_id=f"import:{items[0].pk}-{items[-1].pk}",
    )
    return items


def import_catalogue(
    *, actor, data: bytes, filename: str, mapping: dict[str, str], dry_run: bool
) -> ImportReport:
    """Check every row of the file `data` under `mapping` ({header: field}); unless
    `dry_run`, and only if every row is right, register them all in one transaction.

    A malformed file or mapping is refused whole (InvalidInput); row errors come back in
    the report, with nothing written."""
    common.require(actor, MANAGE_LIBRARY, "import media")
    table = import_checks.read_table(data, filename)
    columns = import_checks.check_mapping(mapping, table.headers)
    rows = import_checks.check_rows(table, columns)
    report = ImportReport(dry_run=dry_run, rows=rows)
    if dry_run or not report.ok:
        return report
    with transaction.atomic():
        generated = sum(1 for r in rows if not r.barcode)
        items = _write(rows, actor=actor, filename=filename)
    _refresh_statistics(len(items))
    report.imported = len(items)
    report.generated = generated
    report.by_kind = dict(Counter(x.kind for x in items))
    return report


def _refresh_statistics(rows: int) -> None:
    """ANALYZE the item and movement tables after a large import on PostgreSQL.

    A catalogue comes in as several files in a row. Without fresh statistics the planner
    takes a just-filled table for empty, and the next file's barcode lookups (`barcode IN
    (900 values)`, prepared by psycopg after five runs) get a generic plan that scans the
    whole table: at 200,000 items each lookup took a second, so a 1,000,000-item
    catalogue would have taken hours (measured by `postdesk bench library`, with
    autovacuum off as on the CI machine; with it on, its analyze can lag a minute behind
    a fast import all the same). ANALYZE samples a fixed number of rows, a few hundred
    milliseconds at a million items."""
    if connection.vendor != "postgresql" or rows < ANALYZE_AFTER_ROWS:
        return
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {MediaItem._meta.db_table}, {Movement._meta.db_table}")


# --- a block built by the program ---------------------------------------------------------


@dataclass(frozen=True)
class NewItem:
    """One item of a block registered in bulk: register_item's descriptive fields, the
    live location it starts at, and the earlier items of the block (by their index in
    it) it was made from."""

    fields: dict
    location: Location
    parents: tuple[int, ...] = ()


def register_block(entries: list[NewItem], *, actor, summary: str) -> list[MediaItem]:
    """Register `entries` in one transaction, with what register_item gives each item:
    its fields checked the same way (services.items.checked_item), a live location (one
    place), a barcode from the LIB- counter, a REGISTER movement, its lineage; and one
    audit entry for the block (as an import has). For a catalogue the program builds
    (the demo): one by one, 2,000 items took 40 s."""
    common.require(actor, MANAGE_LIBRARY, "register media")
    if not entries:
        return []
    at = timezone.now()
    user_id = None if isinstance(actor, SystemActor) else actor.pk
    with transaction.atomic():
        places = {}
        for entry in entries:
            if entry.location.pk not in places:
                places[entry.location.pk] = common.target_location(entry.location)
        codes = iter(_generated_barcodes(len(entries), set()))
        items = []
        for entry in entries:
            item = checked_item(entry.fields)
            common.set_at_location(item, places[entry.location.pk])
            item.barcode, item.placed_at, item.registered_by_id = next(codes), at, user_id
            items.append(item)
        _insert(items, ITEM_BATCH)
        Derivation.objects.bulk_create(
            [
                Derivation(parent_id=items[p].pk, child_id=items[i].pk)
                for i, entry in enumerate(entries)
                for p in entry.parents
            ],
            batch_size=MOVEMENT_BATCH,
        )
        _insert(_movements(items, actor, at, note="Registered"), MOVEMENT_BATCH)
        audit.record(
            actor,
            items[0],
            AuditEntry.Action.CREATE,
            {
                "items": len(items),
                "first": items[0].barcode,
                "last": items[-1].barcode,
                "by_kind": dict(Counter(x.kind for x in items)),
            },
            summary,
            object_id=f"block:{items[0].pk}-{items[-1].pk}",
        )
    return items
