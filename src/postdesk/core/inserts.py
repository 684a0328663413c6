"""A plain multi-row INSERT for the hottest writes (booking creates and their audit)."""

import functools
from collections.abc import Sequence

from django.db import connection, models
from django.utils import timezone

# Values of these types need no preparation for a column that is not JSON: ints, text and
# booleans (and NULL) go to both databases as they are.
_PLAIN = (int, str, bool, type(None))


@functools.cache
def _shape(model: type[models.Model], rows: int) -> tuple[str, list, list]:
    """(INSERT ... RETURNING id for `rows` rows, the fields in column order, the auto_now
    fields), built once per model and row count."""
    meta = model._meta
    fields = [f for f in meta.concrete_fields if not f.primary_key]
    stamped = [
        f for f in fields if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
    ]
    qn = connection.ops.quote_name
    row = "(" + ", ".join(["%s"] * len(fields)) + ")"
    sql = (
        f"INSERT INTO {qn(meta.db_table)} ({', '.join(qn(f.column) for f in fields)}) "
        f"VALUES {', '.join([row] * rows)} RETURNING {qn(meta.pk.column)}"
    )
    plain = [not isinstance(f, models.JSONField) for f in fields]
    return sql, list(zip(fields, plain, strict=True)), stamped


def insert_rows(objs: Sequence[models.Model]) -> None:
    """INSERT ... RETURNING id for new rows of one model, filling in their pk.

    The hot path's version of bulk_create: the same field preparation without the query
    machinery, which cost more than the statement on a booking create. It bypasses
    save() and signals, so it is only for models whose save() adds nothing to a plain
    insert: bookings, allocations and audit entries."""
    sql, fields, stamped = _shape(type(objs[0]), len(objs))
    now = timezone.now()
    params = [value for obj in objs for value in _row_params(obj, fields, stamped, now)]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        ids = [r[0] for r in cursor.fetchall()]
    for obj, pk in zip(objs, ids, strict=True):
        _saved(obj, pk)


def _row_params(obj: models.Model, fields, stamped, now) -> list:
    """The values of `fields` ((field, plain) pairs) of `obj`, prepared for the database;
    auto_now fields are stamped with `now` first."""
    for f in stamped:
        setattr(obj, f.attname, now)
    params = []
    for f, plain in fields:
        value = getattr(obj, f.attname)
        if not (plain and type(value) in _PLAIN):
            value = f.get_db_prep_save(value, connection)
        params.append(value)
    return params


def insert_family(parent: models.Model, children: Sequence[models.Model], entry) -> None:
    """Insert `parent`, its `children` (their key to it set from its new id) and the audit
    `entry` about it, whose object_id becomes the parent's id and whose summary has
    "{pk}" replaced by it.

    On PostgreSQL this is one statement (INSERTs in a WITH query, the later ones reading
    the parent's id from the first): two round trips fewer for every booking create
    (bench/RESULTS.md). Elsewhere it is three plain inserts.
    """
    link = next(
        f for f in type(children[0])._meta.concrete_fields if f.related_model is type(parent)
    )
    if connection.vendor != "postgresql":
        insert_rows([parent])
        for child in children:
            setattr(child, link.attname, parent.pk)
        insert_rows(children)
        _name_parent(entry, parent.pk)
        insert_rows([entry])
        return
    qn = connection.ops.quote_name
    now = timezone.now()
    parent_sql, parent_fields, parent_stamped = _shape(type(parent), 1)
    child_fields, child_stamped = _shape(type(children[0]), len(children))[1:]
    entry_fields, entry_stamped = _shape(type(entry), 1)[1:]
    new_id = "(SELECT id FROM parent)"

    def columns(fields, first=()):
        return ", ".join([*first, *(qn(f.column) for f, _ in fields)])

    child_rest = [(f, p) for f, p in child_fields if f.attname != link.attname]
    entry_rest = [(f, p) for f, p in entry_fields if f.attname not in ("object_id", "summary")]
    child_row = "(" + ", ".join([new_id] + ["%s"] * len(child_rest)) + ")"
    entry_row = (
        f"({new_id}::text, replace(%s, '{{pk}}', {new_id}::text), "
        + ", ".join(["%s"] * len(entry_rest))
        + ")"
    )
    sql = (
        f"WITH parent AS ({parent_sql}), "
        f"children AS (INSERT INTO {qn(children[0]._meta.db_table)} "
        f"({columns(child_rest, [qn(link.column)])}) "
        f"VALUES {', '.join([child_row] * len(children))} RETURNING id), "
        f"entry AS (INSERT INTO {qn(entry._meta.db_table)} "
        f"({columns(entry_rest, [qn('object_id'), qn('summary')])}) "
        f"VALUES {entry_row} RETURNING id) "
        "SELECT (SELECT id FROM parent), (SELECT id FROM entry), "
        "ARRAY(SELECT id FROM children ORDER BY id)"
    )
    params = _row_params(parent, parent_fields, parent_stamped, now)
    for child in children:
        params += _row_params(child, child_rest, child_stamped, now)
    params.append(entry.summary)
    params += _row_params(entry, entry_rest, entry_stamped, now)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        parent_id, entry_id, child_ids = cursor.fetchone()
    _saved(parent, parent_id)
    for child, pk in zip(children, child_ids, strict=True):
        setattr(child, link.attname, parent_id)
        _saved(child, pk)
    _name_parent(entry, parent_id)
    _saved(entry, entry_id)


def _name_parent(entry, pk) -> None:
    """Point the audit entry at the parent's new id (the same text the SQL wrote)."""
    entry.object_id, entry.summary = str(pk), entry.summary.replace("{pk}", str(pk))


def _saved(obj: models.Model, pk) -> None:
    obj.pk = pk
    obj._state.adding = False
    obj._state.db = connection.alias
