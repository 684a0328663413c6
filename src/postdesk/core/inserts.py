"""A plain multi-row INSERT for the hottest writes (booking creates and their audit).

Measured (bench/RESULTS.md): `insert_rows`, with the SQL built once per model and plain
values passed unprepared, took the SQLite service create from 0.65 to 0.55 ms (second
session); `insert_family`, one WITH statement on PostgreSQL, from 1.55 to 1.25 ms (second
session); `new`, the parameters read with one attrgetter and the auto_now stamps adapted
once, with the statements on the driver's cursor (core/hotsql), from 0.54 to 0.38 ms on
SQLite (third session).

These bypass save() and the model signals. tests/core/test_hot_paths.py proves, on
SQLite and PostgreSQL, that a row written here equals the ORM's column for column, and
fails if a model written here gains a save() override or a signal receiver.
"""

import datetime
import functools
import operator
from collections.abc import Sequence

from django.db import models
from django.utils import timezone

from postdesk.core.hotsql import database, fetch, instant

# Values of these types need no preparation for a column that is not JSON: ints, text and
# booleans (and NULL) go to both databases as they are.
_PLAIN = (int, str, bool, type(None))

# How a field's values are prepared: PLAIN values of _PLAIN types go as they are, INSTANT
# ones (aware datetimes) through hotsql.instant, STAMP fields (auto_now, auto_now_add) get
# the time of the insert, and the rest (JSON always) go through Django's preparation.
PLAIN, INSTANT, STAMP, JSON = "plain", "instant", "stamp", "json"


def _kind(field: models.Field) -> str:
    if isinstance(field, models.JSONField):
        return JSON
    if field.get_internal_type() != "DateTimeField":
        return PLAIN
    stamped = getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
    return STAMP if stamped else INSTANT


class _Columns:
    """How to read and prepare the values of some of a model's fields, in order: one
    attrgetter reads them all, then only the values that need it are prepared (a loop
    over every field cost more than the INSERT on SQLite)."""

    def __init__(self, fields: list[tuple[models.Field, str]]):
        self.fields = [f for f, _ in fields]
        getter = operator.attrgetter(*(f.attname for f in self.fields))
        self.read = getter if len(self.fields) > 1 else (lambda obj: (getter(obj),))
        self.stamped = [(i, f.attname) for i, (f, kind) in enumerate(fields) if kind == STAMP]
        self.instants = [i for i, (_, kind) in enumerate(fields) if kind == INSTANT]
        self.plain = [i for i, (_, kind) in enumerate(fields) if kind == PLAIN]
        self.json = [i for i, (_, kind) in enumerate(fields) if kind == JSON]

    def params(self, obj: models.Model, stamp: "_Stamp", db) -> list:
        """The values of `obj`, prepared for the database; auto_now fields stamped first."""
        for _, name in self.stamped:
            setattr(obj, name, stamp.now)
        values = list(self.read(obj))
        for i, _ in self.stamped:
            values[i] = stamp.db_value
        for i in self.instants:
            value = values[i]
            if type(value) is datetime.datetime:
                values[i] = instant(value, db)
            else:
                values[i] = self.fields[i].get_db_prep_save(value, db)
        for i in self.plain:
            if type(values[i]) not in _PLAIN:
                values[i] = self.fields[i].get_db_prep_save(values[i], db)
        for i in self.json:
            values[i] = self.fields[i].get_db_prep_save(values[i], db)
        return values


@functools.cache
def _shape(model: type[models.Model], rows: int) -> tuple[str, list, _Columns]:
    """(INSERT ... RETURNING id for `rows` rows, its fields in column order as (field,
    kind) pairs, and their _Columns), built once per model and row count."""
    meta = model._meta
    fields = [f for f in meta.concrete_fields if not f.primary_key]
    qn = database().ops.quote_name
    row = "(" + ", ".join(["%s"] * len(fields)) + ")"
    sql = (
        f"INSERT INTO {qn(meta.db_table)} ({', '.join(qn(f.column) for f in fields)}) "
        f"VALUES {', '.join([row] * rows)} RETURNING {qn(meta.pk.column)}"
    )
    kinds = [(f, _kind(f)) for f in fields]
    return sql, kinds, _Columns(kinds)


@functools.cache
def _attnames(model: type[models.Model]) -> tuple[tuple[str, models.Field], ...]:
    """(attname, field) for the model's concrete fields, in order."""
    return tuple((f.attname, f) for f in model._meta.concrete_fields)


def new(model: type[models.Model], /, related: dict | None = None, **values):
    """A new, unsaved `model` instance with these field values, by attname (job_id, not
    job), and every other field's default; `related` objects ({"job": job}) are cached on
    it so that reading them costs no query.

    What Model(**values) gives, built the way Django loads rows (positionally): per
    keyword, Model.__init__ cost 0.7 us, a booking 10 us against 4 (measured when this
    was written; bench/RESULTS.md counts it in the SQLite create's 0.54 -> 0.38 ms, and
    puts the three instances of a create at ~15 us)."""
    row = [values.pop(n) if n in values else f.get_default() for n, f in _attnames(model)]
    if values:
        raise TypeError(f"{model.__name__} has no field {', '.join(values)}")
    obj = model(*row)
    for name, other in (related or {}).items():
        model._meta.get_field(name).set_cached_value(obj, other)
    return obj


def insert_rows(objs: Sequence[models.Model], stamp: "_Stamp | None" = None, db=None) -> None:
    """INSERT ... RETURNING id for new rows of one model, filling in their pk.

    The hot path's version of bulk_create: the same field preparation without the query
    machinery, which cost more than the statement on a booking create. It bypasses
    save() and signals, so it is only for models whose save() adds nothing to a plain
    insert: bookings, allocations and audit entries. `stamp` is the time to give auto_now
    fields (default: now)."""
    db = db or database()
    sql, _, columns = _shape(type(objs[0]), len(objs))
    stamp = stamp or _Stamp(db)
    params = [value for obj in objs for value in columns.params(obj, stamp, db)]
    ids = [row[0] for row in fetch(sql, params, db)]
    for obj, pk in zip(objs, ids, strict=True):
        _saved(obj, pk, db)


def copy_rows(objs: Sequence[models.Model]) -> None:
    """PostgreSQL only: new rows of one model written with COPY, filling in their pk.

    For a block of thousands of rows (the library's catalogue import). The ids are taken
    from the table's own sequence first, in one statement, so that the rows can name them
    (COPY returns nothing); the values are prepared as insert_rows prepares them and
    dumped by psycopg's C code. Measured on 20,000 media items (bench/RESULTS.md):
    bulk_create spent most of its time preparing fields and dumping each column as an
    array in Python. Like insert_rows it bypasses save() and signals."""
    db = database()
    model = type(objs[0])
    meta = model._meta
    _, kinds, columns = _shape(model, 1)
    qn = db.ops.quote_name
    ids = [
        row[0]
        for row in fetch(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [meta.db_table, meta.pk.column, len(objs)],
            db,
        )
    ]
    names = ", ".join(qn(c) for c in [meta.pk.column, *(f.column for f, _ in kinds)])
    stamp = _Stamp(db)
    db.ensure_connection()
    sql = f"COPY {qn(meta.db_table)} ({names}) FROM STDIN"
    with db.wrap_database_errors, db.connection.cursor() as cursor, cursor.copy(sql) as copy:
        for obj, pk in zip(objs, ids, strict=True):
            copy.write_row([pk, *columns.params(obj, stamp, db)])
    for obj, pk in zip(objs, ids, strict=True):
        _saved(obj, pk, db)


class _Stamp:
    """The time of an insert, as Python and as the database takes it (adapted once)."""

    def __init__(self, db):
        self.now = timezone.now()
        self.db_value = instant(self.now, db)


def insert_family(parent: models.Model, children: Sequence[models.Model], entry) -> None:
    """Insert `parent`, its `children` (their key to it set from its new id) and the audit
    `entry` about it, whose object_id becomes the parent's id and whose summary has
    "{pk}" replaced by it.

    On PostgreSQL this is one statement (INSERTs in a WITH query, the later ones reading
    the parent's id from the first): two round trips fewer for every booking create
    (bench/RESULTS.md). Elsewhere it is three plain inserts.
    """
    db = database()
    stamp = _Stamp(db)
    link = _link(type(children[0]), type(parent))
    if db.vendor != "postgresql":
        insert_rows([parent], stamp, db)
        for child in children:
            setattr(child, link.attname, parent.pk)
        insert_rows(children, stamp, db)
        _name_parent(entry, parent.pk)
        insert_rows([entry], stamp, db)
        return
    sql, parent_columns, child_columns, entry_columns = _family_sql(
        type(parent), type(children[0]), len(children), type(entry)
    )
    params = parent_columns.params(parent, stamp, db)
    for child in children:
        params += child_columns.params(child, stamp, db)
    params.append(entry.summary)
    params += entry_columns.params(entry, stamp, db)
    [(parent_id, entry_id, child_ids)] = fetch(sql, params, db)
    _saved(parent, parent_id, db)
    for child, pk in zip(children, child_ids, strict=True):
        setattr(child, link.attname, parent_id)
        _saved(child, pk, db)
    _name_parent(entry, parent_id)
    _saved(entry, entry_id, db)


@functools.cache
def _link(child_model: type[models.Model], parent_model: type[models.Model]) -> models.Field:
    """The child's foreign key to the parent."""
    return next(f for f in child_model._meta.concrete_fields if f.related_model is parent_model)


@functools.cache
def _family_sql(parent_model, child_model, children: int, entry_model) -> tuple:
    """insert_family's PostgreSQL statement and the _Columns whose values it takes, in
    order: the parent's, the children's but their link, and the entry's but object_id and
    summary (which the statement makes from the parent's id). Built once per shape."""
    qn = database().ops.quote_name
    link = _link(child_model, parent_model)
    parent_sql, _, parent_columns = _shape(parent_model, 1)
    child_fields = _shape(child_model, children)[1]
    entry_fields = _shape(entry_model, 1)[1]
    # Each CTE's one column is named by its table's key column (RETURNING "id").
    parent_id, child_id, entry_id = (
        m._meta.pk.column for m in (parent_model, child_model, entry_model)
    )
    new_id = f"(SELECT {parent_id} FROM parent)"
    named = [entry_model._meta.get_field(name) for name in ("object_id", "summary")]

    def columns(fields, first=()):
        return ", ".join([*first, *(qn(f.column) for f, _ in fields)])

    child_rest = [(f, k) for f, k in child_fields if f.attname != link.attname]
    entry_rest = [(f, k) for f, k in entry_fields if f not in named]
    child_row = "(" + ", ".join([new_id] + ["%s"] * len(child_rest)) + ")"
    entry_row = (
        f"({new_id}::text, replace(%s, '{{pk}}', {new_id}::text), "
        + ", ".join(["%s"] * len(entry_rest))
        + ")"
    )
    sql = (
        f"WITH parent AS ({parent_sql}), "
        f"children AS (INSERT INTO {qn(child_model._meta.db_table)} "
        f"({columns(child_rest, [qn(link.column)])}) "
        f"VALUES {', '.join([child_row] * children)} RETURNING {child_id}), "
        f"entry AS (INSERT INTO {qn(entry_model._meta.db_table)} "
        f"({columns(entry_rest, [qn(f.column) for f in named])}) "
        f"VALUES {entry_row} RETURNING {entry_id}) "
        f"SELECT {new_id}, (SELECT {entry_id} FROM entry), "
        f"ARRAY(SELECT {child_id} FROM children ORDER BY {child_id})"
    )
    return sql, parent_columns, _Columns(child_rest), _Columns(entry_rest)


def _name_parent(entry, pk) -> None:
    """Point the audit entry at the parent's new id (the same text the SQL wrote)."""
    entry.object_id, entry.summary = str(pk), entry.summary.replace("{pk}", str(pk))


def _saved(obj: models.Model, pk, db) -> None:
    obj.pk = pk
    obj._state.adding = False
    obj._state.db = db.alias
