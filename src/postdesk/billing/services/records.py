"""What every billing write records: a transition with the fields it changed, several
audit entries in one statement, and the user behind an actor (None for the system)."""

from postdesk.core import audit
from postdesk.core.inserts import insert_rows
from postdesk.core.models import AuditEntry


def _transition(actor, obj, verb: str, changes: dict | None = None, *, before=None):
    """Record a transition: every field that differs from `before` (a snapshot taken before
    the change), plus `changes` (facts that are not fields, such as where a quote went)."""
    recorded = {} if before is None else audit.diff(before, audit.snapshot(obj, before.keys()))
    recorded.update(changes or {})
    audit.record(actor, obj, AuditEntry.Action.TRANSITION, recorded, verb)


def _insert_entries(entries: list) -> None:
    """Several audit entries in one INSERT (none: nothing to write)."""
    if entries:
        insert_rows(entries)


def _user(actor):
    return actor if hasattr(actor, "_meta") else None
