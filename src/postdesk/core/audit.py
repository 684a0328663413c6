"""Writing the audit log. Services call `record` inside their own transaction.

An entry is typed: its action is an `AuditEntry.Action` (create, update, delete,
transition; a transition's verb goes in its summary) and its actor a user or one of the
named system actors below. `entry` and `record` refuse anything else with a TypeError,
so a bare label or a missing actor is a programming error found by the first test that
runs it, not a row in the log that says nothing about who made the change.
"""

import datetime
import decimal
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.db.models.fields.files import FieldFile

from postdesk.core.inserts import insert_rows, new
from postdesk.core.models import AuditEntry, User

# Values that are JSON already (most field values), spared the checks below.
_AS_THEY_ARE = frozenset([str, int, float, bool])


def _plain(value: Any) -> Any:
    """A JSON-safe form of a field value, readable by a person."""
    if value is None or type(value) in _AS_THEY_ARE:
        return value
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, FieldFile):
        # A stored file is recorded by its name (the storage's, never the uploader's).
        return value.name or ""
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, list | tuple | set):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return value


def snapshot(obj: models.Model, fields: Iterable[str] | None = None) -> dict[str, Any]:
    """The values of `fields` (default: all concrete fields but the auto_now time stamps,
    which every save changes) of `obj`, JSON-safe."""
    if fields is None:
        fields = [f.attname for f in obj._meta.concrete_fields if not getattr(f, "auto_now", False)]
    return {name: _plain(getattr(obj, name)) for name in fields}


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """{field: [before, after]} for the fields whose value changed."""
    keys = list(dict.fromkeys([*before, *after]))
    return {
        k: [_plain(before.get(k)), _plain(after.get(k))]
        for k in keys
        if _plain(before.get(k)) != _plain(after.get(k))
    }


def created(obj: models.Model, fields: Iterable[str] | None = None) -> dict[str, list[Any]]:
    """The changes of a new object: {field: [None, value]} for the fields that hold one
    (what diff({}, snapshot(obj, fields)) gives, in one pass)."""
    return {k: [None, v] for k, v in snapshot(obj, fields).items() if v is not None}


@dataclass(frozen=True)
class SystemActor:
    """A named part of postdesk that writes on nobody's behalf. The audit log names it, so
    that every entry says who or what made the change."""

    name: str


WORKER = SystemActor("worker")  # the background worker's tasks and sweeps
DEMO = SystemActor("demo")  # the demo loader
SYSTEM = SystemActor("system")  # start-up checks, migrations, other writes on nobody's behalf
CLI = SystemActor("cli")  # the command line's own commands (createuser, token)

# What an actor may be; a tuple, since the booking hot path asks on every write.
_ACTORS = (User, SystemActor)


def _require_actor(actor) -> None:
    if not isinstance(actor, _ACTORS):
        raise TypeError(
            f"An audit actor is a user or a named SystemActor (audit.WORKER, DEMO, SYSTEM, "
            f"CLI), not {actor!r}"
        )


def object_type(obj_or_model) -> str:
    meta = obj_or_model._meta
    return f"{meta.app_label}.{meta.model_name}"


def actor_label(actor: User | SystemActor) -> str:
    """The name the log keeps for `actor`: a user's username or a system actor's name."""
    _require_actor(actor)
    if isinstance(actor, SystemActor):
        return actor.name
    return actor.get_username()


def entry(
    actor: User | SystemActor,
    obj: models.Model,
    action: AuditEntry.Action,
    changes: dict[str, Any] | None = None,
    summary: str = "",
    *,
    object_id: Any = None,
) -> AuditEntry:
    """An unsaved audit entry. `actor` is a user or a SystemActor; `action` an
    AuditEntry.Action. Anything else is refused (TypeError)."""
    if not isinstance(action, AuditEntry.Action):
        raise TypeError(f"An audit action is an AuditEntry.Action, not {action!r}")
    user = actor if isinstance(actor, User) else None
    return new(
        AuditEntry,
        related={"actor": user},
        actor_id=user.pk if user is not None else None,
        actor_label=actor_label(actor),
        object_type=object_type(obj),
        object_id=str(object_id if object_id is not None else obj.pk),
        action=action,
        changes=changes or {},
        summary=summary[:300],
    )


def record(*args: Any, **kwargs: Any) -> AuditEntry:
    """Append the audit entry that `entry(...)` with the same arguments describes."""
    new = entry(*args, **kwargs)
    # Every write pays for this row; a plain INSERT spares it the ORM's query building.
    insert_rows([new])
    return new


def record_create(actor, obj: models.Model, fields: Iterable[str] | None = None, summary=""):
    return record(actor, obj, AuditEntry.Action.CREATE, created(obj, fields), summary)


def record_update(actor, obj: models.Model, before: dict[str, Any], summary=""):
    """Record the fields of `obj` that differ from `before` (a snapshot). None if nothing did."""
    changes = diff(before, snapshot(obj, before.keys()))
    if not changes:
        return None
    return record(actor, obj, AuditEntry.Action.UPDATE, changes, summary)


def record_delete(actor, obj: models.Model, before: dict[str, Any], summary=""):
    return record(
        actor,
        obj,
        AuditEntry.Action.DELETE,
        diff(before, {}),
        summary,
        object_id=before.get("id", obj.pk),
    )
