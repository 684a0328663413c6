"""The fence around the hand-written hot path (core/hotsql.py, core/inserts.py).

It bypasses Django's cursor and model saving (bench/RESULTS.md says what that buys), so
these tests prove what the ORM would otherwise guarantee: the rows it writes are the
ORM's rows column for column, the models it writes have nothing in save() or in signal
receivers that it would skip, both branches of `fetch` agree, and the hand-written SQL,
now built from the models' _meta, is the very text that was measured.
"""

import ast
import contextlib
import datetime
import inspect
import textwrap
import uuid
import zoneinfo
from pathlib import Path
from unittest import mock

import pytest
from django.db import connection, models
from django.db.models import signals
from django.test.utils import CaptureQueriesContext

import postdesk
from postdesk.core import hotsql
from postdesk.core.audit import SYSTEM
from postdesk.core.inserts import _family_sql, _shape, copy_rows, insert_family, insert_rows, new
from postdesk.core.models import AuditEntry
from postdesk.core.roles import ROLES
from postdesk.core.services import _token_sql, hash_token, issue_token
from postdesk.library import services as library
from postdesk.library.models import MediaItem, Movement
from postdesk.productions.queries import _job_sql
from postdesk.scheduling import services as scheduling
from postdesk.scheduling.models import Allocation, Booking
from postdesk.scheduling.services import conflicts, locking

UTC = datetime.UTC
LONDON = zoneinfo.ZoneInfo("Europe/London")
# The insert's time: microseconds, and the night the clocks go forward.
NOW = datetime.datetime(2026, 3, 29, 0, 59, 59, 123456, tzinfo=UTC)

# Every model the hot path writes: Booking and Allocation (scheduling._insert_booking,
# through insert_family) and AuditEntry (audit.entry/record, billing._insert_entries,
# and the third member of every insert_family), MediaItem and Movement (the library's
# catalogue import, library/importing.py: insert_rows on SQLite, copy_rows on PostgreSQL).
# HOT_CALL_SITES keeps the list true.
HOT_MODELS = (Booking, Allocation, AuditEntry, MediaItem, Movement)

# Every call of the hot path outside core/hotsql.py and core/inserts.py, as
# (module under src/postdesk, function, hot function). A new one fails
# test_the_hot_call_sites_are_the_known_ones: add the models it writes to HOT_MODELS.
HOT_CALL_SITES = {
    ("billing/services/records.py", "_insert_entries", "insert_rows"),
    ("core/audit.py", "entry", "new"),
    ("core/audit.py", "record", "insert_rows"),
    ("core/services.py", "authenticate_token", "fetch"),
    ("library/importing.py", "_build_items", "new"),
    ("library/importing.py", "_movements", "new"),
    ("library/importing.py", "_insert", "copy_rows"),
    ("library/importing.py", "_insert", "insert_rows"),
    # Reads only: a feed's 304 and the portal home's own bookings, each held equal to the
    # ORM's answer by tests/portal (test_feed_stamp.py, test_portal.py).
    ("portal/feed_stamp.py", "quick_stamp", "fetch"),
    ("portal/queries.py", "_own", "fetch"),
    ("productions/queries.py", "job_with_names", "fetch"),
    ("scheduling/services/bookings.py", "_insert_booking", "insert_family"),
    ("scheduling/services/bookings.py", "_insert_booking", "new"),
    ("scheduling/services/conflicts.py", "_check_blocking_clashes", "fetch"),
    ("scheduling/services/locking.py", "_lock_resources", "fetch"),
}
_HOT_FUNCTIONS = {"insert_rows", "insert_family", "new", "fetch", "copy_rows"}


# --- helpers ------------------------------------------------------------------------------


def stored(model: type[models.Model], pk: int) -> dict:
    """Every column of the row but its id, read back with a raw `SELECT *`: {column:
    value as the driver returns it}, and on SQLite also {"quote(column)": the stored text
    with its storage class}, since the driver parses datetime text on the way out."""
    qn = connection.ops.quote_name
    table, key = qn(model._meta.db_table), model._meta.pk.column
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {table} WHERE {qn(key)} = %s", [pk])
        names = [d[0] for d in cursor.description]
        [row] = cursor.fetchall()
        values = dict(zip(names, row, strict=True))
        if connection.vendor == "sqlite":
            quoted = ", ".join(f"quote({qn(n)})" for n in names)
            cursor.execute(f"SELECT {quoted} FROM {table} WHERE {qn(key)} = %s", [pk])
            [row] = cursor.fetchall()
            values.update((f"quote({n})", text) for n, text in zip(names, row, strict=True))
    del values[key]
    values.pop(f"quote({key})", None)
    return values


def orm_insert(model: type[models.Model], **values) -> models.Model:
    """The row the ORM writes for these values: Model(...).save()."""
    obj = model(**values)
    obj.save()
    return obj


@contextlib.contextmanager
def branch(name: str):
    """Run hotsql.fetch on its "driver" branch or its "django" one (queries logged), and
    prove which ran: Django's cursor sees the statement only on the second."""
    seen: list[str] = []

    def spy(execute, sql, params, many, context):
        seen.append(sql)
        return execute(sql, params, many, context)

    capture = CaptureQueriesContext(connection) if name == "django" else contextlib.nullcontext()
    with connection.execute_wrapper(spy), capture:
        assert connection.queries_logged is (name == "django")
        yield seen


def booking_values(shape: str, job, user, status: str) -> dict:
    """Values of a booking by attname: "full" sets every optional field, "bare" none."""
    if shape == "bare":
        return dict(
            kind="maintenance",
            status=status,
            start=datetime.datetime(2026, 3, 30, 7, 0, tzinfo=UTC),
            end=datetime.datetime(2026, 3, 30, 8, 0, tzinfo=UTC),
        )
    return dict(
        kind="job",
        job_id=job.pk,
        status=status,
        title="Grade — día 1, 'quoted' and %s",
        notes="line one\nline two",
        start=datetime.datetime(2026, 3, 30, 9, 0, tzinfo=LONDON),  # 08:00 UTC
        end=datetime.datetime(2026, 3, 30, 18, 30, 0, 250000, tzinfo=UTC),
        owner_id=user.pk,
        series=uuid.UUID("0f8fad5b-d9cb-469f-a165-70867728950e"),
        challenge_deadline=datetime.datetime(2026, 3, 31, 17, 0, 0, 5, tzinfo=LONDON),
    )


def allocation_values(booking: dict, resource_ids, held_since) -> list[dict]:
    blocking = booking["status"] in Booking.BLOCKING_STATUSES
    return [
        dict(
            resource_id=pk,
            start=booking["start"],
            end=booking["end"],
            status=booking["status"],
            blocking=blocking,
            hold_rank=None if blocking else rank,
            held_since=held_since,
        )
        for rank, pk in enumerate(resource_ids, start=1)
    ]


def entry_values(user) -> dict:
    return dict(
        actor_id=user.pk if user else None,
        actor_label=user.username if user else "worker",
        object_type="scheduling.booking",
        action=AuditEntry.Action.CREATE,
        changes={
            "title": [None, "Grade — día 1"],
            "start": [None, "2026-03-30T09:00:00+01:00"],
            "resources": [None, [3, 4]],
            "rate": [1.5, None],
            "nested": {"ü": True, "list": [1, "two", None]},
        },
        summary="Created job booking {pk} (pencil)",
    )


def shelf(user):
    return library.create_location(actor=user, name="Shelf 1", kind="shelf", barcode="LOC-S1")


def media_item_values(location, user) -> list[dict]:
    """Two items as the import builds them: one with every optional field it sets, one
    bare."""
    full = dict(
        barcode="LIB-000123",
        title="Ep 1 textless",
        kind="tape",
        format="hdcam_sr",
        generation="master",
        standard="1080i25",
        resolution="1920x1080",
        frame_rate="25",
        drop_frame=False,
        start_timecode="10:00:00:00",
        duration="00:52:10:00",
        reel="A001",
        condition="fair",
        notes="Café edit, 10:00",
        file_size=None,
        owner="client",
        retention_until=datetime.date(2033, 3, 31),
        on_hold=True,
        custody="location",
        location_id=location.pk,
        placed_at=NOW,
        registered_by_id=user.pk,
    )
    bare = dict(
        barcode="ARC 7",
        title="Dub",
        kind="drive",
        format="ssd",
        generation="dub",
        custody="location",
        location_id=location.pk,
        placed_at=NOW,
        registered_by_id=None,
    )
    return [full, bare]


def movement_values(item, user) -> list[dict]:
    place = {"custody": "location", "location": item.location_id, "label": "Shelf 1"}
    return [
        dict(
            item_id=item.pk,
            at=NOW,
            action="register",
            actor_id=user.pk,
            actor_label=user.username,
            from_place={},
            to_place=place,
            note="Imported",
        ),
        dict(
            item_id=item.pk,
            at=NOW,
            action="register",
            actor_id=None,
            actor_label="worker",
            from_place={},
            to_place={},
            note="",
        ),
    ]


@pytest.fixture
def rooms(site):
    return [
        scheduling.create_resource(actor=SYSTEM, kind="room", name=name, site=site)
        for name in ("Suite 3", "Suite 4")
    ]


@pytest.fixture
def user(make_user):
    return make_user("bookings")


# --- rows: the hot path writes what the ORM writes -------------------------------------------


@pytest.mark.parametrize(("shape", "status"), [("full", "confirmed"), ("bare", "pencil")])
def test_insert_family_writes_the_rows_the_orm_writes(shape, status, job, user, rooms):
    # Given a booking, its allocations and its audit entry, as the create builds them
    values = booking_values(shape, job, user, status)
    held_since = datetime.datetime(2026, 3, 1, 12, 0, 0, 999999, tzinfo=LONDON)
    allocations = allocation_values(values, [r.pk for r in rooms], held_since)
    audit_values = entry_values(user if shape == "full" else None)
    booking = new(Booking, **values)
    children = [new(Allocation, **v) for v in allocations]
    entry = new(AuditEntry, object_id="", **audit_values)

    # When the hot path inserts them (one WITH statement on PostgreSQL), and the ORM
    # inserts the same values
    with mock.patch("django.utils.timezone.now", return_value=NOW):
        insert_family(booking, children, entry)
        hot = [
            stored(Booking, booking.pk),
            *(stored(Allocation, child.pk) for child in children),
            stored(AuditEntry, entry.pk),
        ]
        # (the twins of the allocations would clash with these, and must point at the
        # same booking for every column to be comparable)
        Allocation.objects.filter(booking_id=booking.pk).delete()
        twins = [
            orm_insert(Booking, **values),
            *(orm_insert(Allocation, booking_id=booking.pk, **v) for v in allocations),
            orm_insert(
                AuditEntry,
                **{
                    **audit_values,
                    "object_id": str(booking.pk),
                    "summary": audit_values["summary"].replace("{pk}", str(booking.pk)),
                },
            ),
        ]

    # Then every column but the id is the same, as stored
    orm = [stored(type(twin), twin.pk) for twin in twins]
    assert hot == orm
    # (and the comparison reads what it means to: the instants as UTC, the stamps as NOW)
    if connection.vendor == "sqlite":
        expected_start = "'2026-03-30 08:00:00'" if shape == "full" else "'2026-03-30 07:00:00'"
        assert hot[0]["quote(start)"] == expected_start
        assert hot[0]["quote(created_at)"] == "'2026-03-29 00:59:59.123456'"
        assert hot[1]["quote(held_since)"] == "'2026-03-01 12:00:00.999999'"
    else:
        assert hot[0]["created_at"] == NOW
    assert hot[-1]["object_id"] == str(booking.pk)
    assert hot[-1]["summary"] == f"Created job booking {booking.pk} (pencil)"


def hot_rows(model, job, user, rooms, make_user) -> list[dict]:
    """Two new rows of a hot model by attname, every optional field set in one of them."""
    values = booking_values("full", job, user, "pencil")
    if model is Booking:
        rows = [values, booking_values("bare", job, user, "confirmed")]
    elif model is Allocation:
        parent = orm_insert(Booking, **values)
        held_since = datetime.datetime(2026, 3, 1, 12, 0, 0, 1, tzinfo=UTC)
        rows = [
            {**v, "booking_id": parent.pk}
            for v in allocation_values(values, [r.pk for r in rooms], held_since)
        ]
    elif model is MediaItem:
        user = make_user("library", "librarian")
        rows = media_item_values(shelf(user), user)
    elif model is Movement:
        user = make_user("library", "librarian")
        item = library.register_item(
            actor=user,
            title="Ep 1 master",
            kind="tape",
            format="hdcam_sr",
            generation="master",
            location=shelf(user),
        )
        rows = movement_values(item, user)
    else:
        rows = [
            {**entry_values(user), "object_id": "7"},
            {**entry_values(None), "object_id": "8", "changes": {}},
        ]
    return rows


@pytest.mark.parametrize("write", ["insert_rows", "copy_rows"])
@pytest.mark.parametrize("model", HOT_MODELS, ids=lambda m: m.__name__)
def test_the_hot_inserts_write_the_rows_the_orm_writes(write, model, job, user, rooms, make_user):
    if write == "copy_rows" and connection.vendor != "postgresql":
        pytest.skip("COPY is PostgreSQL's; the PostgreSQL run of the suite covers it")
    # Given two new rows of a hot model (several rows: billing's audit entries)
    rows = hot_rows(model, job, user, rooms, make_user)

    # When the hot path writes them, and the ORM writes the same values
    with mock.patch("django.utils.timezone.now", return_value=NOW):
        objs = [new(model, **v) for v in rows]
        {"insert_rows": insert_rows, "copy_rows": copy_rows}[write](objs)
        assert all(obj.pk is not None for obj in objs)
        hot = [stored(model, obj.pk) for obj in objs]
        if model in (Allocation, MediaItem):  # their twins would break a unique constraint
            model.objects.filter(pk__in=[obj.pk for obj in objs]).delete()
        orm = [stored(model, orm_insert(model, **v).pk) for v in rows]

    # Then every column but the id is the same, as stored
    assert hot == orm
    assert len(hot) == 2


# --- what the hot path skips: save() and signals ---------------------------------------------

# The save() overrides reviewed and found to add nothing to an insert. AuditEntry's refuses
# a save of an existing row (pk set); a new row's pk is None, so it goes straight through.
# Changing it, or overriding save() on another hot model, fails the test below.
VETTED_SAVE = {
    AuditEntry: """\
def save(self, *args, **kwargs):
    if self.pk is not None:
        raise PermissionError("The audit log is append-only")
    super().save(*args, **kwargs)
""",
}
# What Model.save() runs and the hot path does not.
SAVE_STEPS = ("save", "save_base", "_save_parents", "_save_table", "_do_insert")
SKIPPED_SIGNALS = {
    "pre_init": signals.pre_init,
    "post_init": signals.post_init,
    "pre_save": signals.pre_save,
    "post_save": signals.post_save,
    "m2m_changed": signals.m2m_changed,
}


def skipped_by_the_hot_path(model: type[models.Model]) -> list[str]:
    """What the ORM would run when inserting a `model` and the hot path does not: save
    steps overridden below models.Model, signal receivers (for any sender or this one),
    fields that are not Django's own or whose pre_save does more than read the value
    (auto_now on a DateTimeField aside: insert_rows stamps it; a DateField without
    auto_now only reads its value)."""
    found = []
    for cls in model.__mro__[: model.__mro__.index(models.Model)]:
        found += [f"{cls.__name__}.{step}" for step in SAVE_STEPS if step in vars(cls)]
    senders = [model, *(f.remote_field.through for f in model._meta.local_many_to_many)]
    for name, signal in SKIPPED_SIGNALS.items():
        found += [f"{name} receiver" for sender in senders if signal.has_listeners(sender)]
    for field in model._meta.concrete_fields:
        if not type(field).__module__.startswith("django.db.models."):
            found.append(f"{field.name}: {type(field).__qualname__} is not Django's")
        pre_save = getattr(field.pre_save, "__func__", field.pre_save)
        plain = {models.Field.pre_save}
        if field.get_internal_type() == "DateTimeField":
            plain.add(models.DateTimeField.pre_save)
        if field.get_internal_type() == "DateField" and not (field.auto_now or field.auto_now_add):
            plain.add(models.DateField.pre_save)  # without auto_now it returns the value
        if pre_save not in plain:
            found.append(f"{field.name}.pre_save")
    return found


@pytest.mark.parametrize("model", HOT_MODELS, ids=lambda m: m.__name__)
def test_models_written_by_the_hot_path_have_nothing_it_would_skip(model):
    # Given a model the hot path writes; when we look for what save() would add
    found = skipped_by_the_hot_path(model)

    # Then there is nothing, but for the reviewed save() overrides, unchanged
    vetted = VETTED_SAVE.get(model)
    assert found == ([f"{model.__name__}.save"] if vetted else [])
    if vetted:
        assert textwrap.dedent(inspect.getsource(model.save)) == vetted


@pytest.mark.parametrize("name", list(SKIPPED_SIGNALS))
@pytest.mark.parametrize("sender", [Booking, None], ids=["booking", "any sender"])
def test_a_signal_receiver_added_later_is_noticed(name, sender):
    # Given a receiver connected to a signal the hot path skips (positive control)
    def receiver(**kwargs):
        pass

    signal = SKIPPED_SIGNALS[name]
    signal.connect(receiver, sender=sender, weak=False)
    try:
        # When we look, then the check names it
        assert skipped_by_the_hot_path(Booking) == [f"{name} receiver"]
    finally:
        signal.disconnect(receiver, sender=sender)
    # and once it is gone, nothing is left
    assert skipped_by_the_hot_path(Booking) == []


def test_a_save_override_or_field_hook_added_later_is_noticed():
    # Given a save() override and a field's own pre_save on a hot model (positive control)
    status = Allocation._meta.get_field("status")
    Allocation.save = lambda self, *args, **kwargs: None
    status.pre_save = lambda obj, add: "changed"
    try:
        # When we look, then the check names both
        assert skipped_by_the_hot_path(Allocation) == ["Allocation.save", "status.pre_save"]
    finally:
        del Allocation.save, status.pre_save
    # and once they are gone, nothing is left
    assert skipped_by_the_hot_path(Allocation) == []


def test_the_hot_call_sites_are_the_known_ones():
    # Given every call of insert_rows, insert_family, new and fetch in src/postdesk
    root = Path(postdesk.__file__).parent
    sites = set()
    for path in sorted(root.rglob("*.py")):
        rel = path.relative_to(root).as_posix()
        if rel in ("core/hotsql.py", "core/inserts.py") or "/migrations/" in rel:
            continue
        sites |= _hot_calls(rel, ast.parse(path.read_text()))

    # Then they are the ones whose models HOT_MODELS lists
    assert sites == HOT_CALL_SITES


def _hot_calls(rel: str, tree: ast.Module) -> set[tuple[str, str, str]]:
    """(rel, enclosing function, hot function) for each call of the hot path in `tree`."""
    names, modules = {}, set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module in (
            "postdesk.core.inserts",
            "postdesk.core.hotsql",
        ):
            names.update((a.asname or a.name, a.name) for a in node.names)
        if isinstance(node, ast.ImportFrom) and node.module == "postdesk.core":
            modules.update(
                a.asname or a.name for a in node.names if a.name in ("hotsql", "inserts")
            )
    sites = set()
    for func in ast.walk(tree):
        if not isinstance(func, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        for call in ast.walk(func):
            target = getattr(call, "func", None) if isinstance(call, ast.Call) else None
            if isinstance(target, ast.Name) and names.get(target.id) in _HOT_FUNCTIONS:
                sites.add((rel, func.name, names[target.id]))
            elif (
                isinstance(target, ast.Attribute)
                and isinstance(target.value, ast.Name)
                and target.value.id in modules
                and target.attr in _HOT_FUNCTIONS
            ):
                sites.add((rel, func.name, target.attr))
    return sites


# --- fetch: the driver's cursor and Django's give the same rows ---------------------------


@pytest.fixture
def hot_reads(job, user, rooms):
    """Each hot read as the app runs it: (sql, params, how many rows it finds)."""
    db = hotsql.database()
    ids = [r.pk for r in rooms]
    start = datetime.datetime(2026, 3, 30, 9, 0, tzinfo=UTC)
    end = start + datetime.timedelta(hours=2)
    booking = scheduling.create_booking(
        job=job, resources=ids, start=start, end=end, status="confirmed", actor=user
    )
    _, token = issue_token(user=user, actor=SYSTEM)
    window = [hotsql.instant(t, db) for t in (end, start - conflicts.max_span(), start)]
    for_update = db.features.has_select_for_update
    return {
        "lock": (locking._lock_sql(2, for_update), ids, 2),
        "lock one": (locking._lock_sql(1, for_update), ids[:1], 1),
        "clash": (conflicts._clash_sql(2, False, db.vendor), [*ids, *window], 2),
        "clash excluding": (
            conflicts._clash_sql(2, True, db.vendor),
            [*ids, *window, booking.pk],
            0,
        ),
        "token": (
            _token_sql(),
            [hotsql.instant(start, db), *ROLES, hash_token(token)],
            1,
        ),
        "job": (_job_sql(), [job.pk], 1),
    }


@pytest.mark.parametrize("name", ["lock", "lock one", "clash", "clash excluding", "token", "job"])
def test_both_branches_of_fetch_return_the_same_rows(name, hot_reads):
    # Given a hot read as the app runs it
    sql, params, count = hot_reads[name]

    # When it runs on the driver's cursor, and on Django's (queries logged)
    with branch("driver") as driver_seen:
        driver_rows = hotsql.fetch(sql, params)
    with branch("django") as django_seen:
        django_rows = hotsql.fetch(sql, params)

    # Then the rows are the same, and each branch ran where it says
    assert driver_rows == django_rows
    assert len(driver_rows) == count
    assert (driver_seen, django_seen) == ([], [sql])


def test_both_branches_of_fetch_insert_the_same_rows(job, user, rooms):
    # Given the same booking family and audit entries, written on each branch
    values = booking_values("full", job, user, "pencil")
    held_since = datetime.datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
    written = {}
    for name in ("driver", "django"):
        booking = new(Booking, **values)
        children = [
            new(Allocation, **v)
            for v in allocation_values(values, [r.pk for r in rooms], held_since)
        ]
        entry = new(AuditEntry, object_id="", **entry_values(user))
        entries = [new(AuditEntry, object_id=str(n), **entry_values(user)) for n in (1, 2)]
        # When the hot path inserts them
        with mock.patch("django.utils.timezone.now", return_value=NOW), branch(name) as seen:
            insert_family(booking, children, entry)
            insert_rows(entries)
        # (Django's cursor ran the family and the entries' INSERT only when logging: the
        # family is one statement on PostgreSQL, three elsewhere)
        family = 1 if connection.vendor == "postgresql" else 3
        assert len(seen) == (0 if name == "driver" else family + 1)
        # (the keys that point at the family's booking are compared with it)
        assert {c.booking_id for c in children} == {booking.pk}
        assert entry.object_id == str(booking.pk)
        written[name] = [
            stored(Booking, booking.pk),
            *(_without(stored(Allocation, c.pk), "booking_id") for c in children),
            _without(stored(AuditEntry, entry.pk), "object_id", "summary"),
            *(stored(AuditEntry, e.pk) for e in entries),
        ]

    # Then every column but those is the same
    assert written["driver"] == written["django"]


def _without(row: dict, *columns: str) -> dict:
    """`row` without these columns (and their SQLite quote(...) texts)."""
    dropped = {*columns, *(f"quote({c})" for c in columns)}
    return {k: v for k, v in row.items() if k not in dropped}


# --- the SQL text: built from _meta, the same text as measured ------------------------------

# The texts as they were written by hand (and measured, bench/RESULTS.md) before their
# names came from _meta. Prepared statements (PostgreSQL) are keyed by this text.
MEASURED_SQL = {
    "lock": (
        "SELECT id, name, bookable, archived_at, site_id FROM scheduling_resource "
        "WHERE id IN (%s) ORDER BY id"
    ),
    "lock for update": (
        "SELECT id, name, bookable, archived_at, site_id FROM scheduling_resource "
        "WHERE id IN (%s, %s) ORDER BY id FOR UPDATE"
    ),
    "clash sqlite": (
        "SELECT id FROM scheduling_allocation INDEXED BY alloc_blocking_span "
        'WHERE resource_id IN (%s) AND blocking AND "start" < %s AND "start" > %s '
        'AND "end" > %s ORDER BY "start" LIMIT 20'
    ),
    "clash postgresql excluding": (
        "SELECT id FROM scheduling_allocation "
        'WHERE resource_id IN (%s, %s) AND blocking AND "start" < %s AND "start" > %s '
        'AND "end" > %s AND booking_id <> %s ORDER BY "start" LIMIT 20'
    ),
    "token": (
        "SELECT t.id, (t.last_used_at IS NULL OR t.last_used_at < %s), "
        '(SELECT g.name FROM "auth_group" g INNER JOIN "core_user_groups" m '
        "ON m.group_id = g.id WHERE m.user_id = u.id AND g.name IN "
        "(%s, %s, %s, %s, %s, %s, %s, %s, %s, %s) ORDER BY g.name LIMIT 1), "
        'u."id", u."is_superuser", u."username", u."first_name", u."last_name", '
        'u."email", u."is_staff", u."is_active", u."client_id" '
        'FROM "core_apitoken" t INNER JOIN "core_user" u ON u.id = t.user_id '
        "WHERE t.key_hash = %s AND t.revoked_at IS NULL AND u.is_active"
    ),
    "job": (
        'SELECT j."id", j."number", j."production_id", j."client_id", j."work_type", '
        'j."status", c.name, p.title FROM "productions_job" j '
        'INNER JOIN "productions_client" c ON c.id = j.client_id '
        'INNER JOIN "productions_production" p ON p.id = j.production_id WHERE j.id = %s'
    ),
    "family": (
        'WITH parent AS (INSERT INTO "scheduling_booking" ("kind", "job_id", "status", '
        '"title", "notes", "start", "end", "owner_id", "series", "challenge_deadline", '
        '"challenged_by_id", "created_at", "updated_at", "version") VALUES (%s, %s, %s, '
        '%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s) RETURNING "id"), children AS '
        '(INSERT INTO "scheduling_allocation" ("booking_id", "resource_id", "start", '
        '"end", "status", "blocking", "hold_rank", "held_since", "created_at") VALUES '
        "((SELECT id FROM parent), %s, %s, %s, %s, %s, %s, %s, %s), "
        "((SELECT id FROM parent), %s, %s, %s, %s, %s, %s, %s, %s) RETURNING id), "
        'entry AS (INSERT INTO "core_auditentry" ("object_id", "summary", "at", '
        '"actor_id", "actor_label", "object_type", "action", "changes") VALUES '
        "((SELECT id FROM parent)::text, replace(%s, '{pk}', (SELECT id FROM parent)::text), "
        "%s, %s, %s, %s, %s, %s) RETURNING id) SELECT (SELECT id FROM parent), "
        "(SELECT id FROM entry), ARRAY(SELECT id FROM children ORDER BY id)"
    ),
    "audit insert": (
        'INSERT INTO "core_auditentry" ("at", "actor_id", "actor_label", "object_type", '
        '"object_id", "action", "changes", "summary") VALUES (%s, %s, %s, %s, %s, %s, %s, '
        '%s) RETURNING "id"'
    ),
}


def test_the_sql_built_from_meta_is_the_measured_text():
    # When the hot statements are built from the models' _meta
    built = {
        "lock": locking._lock_sql(1, False),
        "lock for update": locking._lock_sql(2, True),
        "clash sqlite": conflicts._clash_sql(1, False, "sqlite"),
        "clash postgresql excluding": conflicts._clash_sql(2, True, "postgresql"),
        "token": _token_sql(),
        "job": _job_sql(),
        "family": _family_sql(Booking, Allocation, 2, AuditEntry)[0],
        "audit insert": _shape(AuditEntry, 1)[0],
    }

    # Then each is the text that was written by hand and measured, SQLite's index hint
    # included
    assert built == MEASURED_SQL
