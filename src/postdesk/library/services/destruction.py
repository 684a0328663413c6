"""Retention and destruction: the library asks to destroy items (method, reason), a
supervisor approves (with the client's sign-off: name and date) or rejects, and the
library records it done (witness), which marks the items destroyed with a DESTROY
movement and gives the request its certificate number (gap-free, core/sequences).

Items on hold, already destroyed, or with live copies (descendants, to any depth) that
the request does not include are refused, when asked, when approved and when done: a
hold or a new dub may appear in between. The approver is never the requester.
"""

import datetime

from django.db import transaction

from postdesk.core import audit, sequences
from postdesk.core.errors import Conflict, Forbidden, InvalidInput, InvalidTransition, NotFound
from postdesk.core.models import AuditEntry
from postdesk.core.roles import APPROVE_DESTRUCTION, MANAGE_LIBRARY
from postdesk.core.timeutil import require_date_in_window
from postdesk.library.models import DestructionRequest, MediaItem, Movement
from postdesk.library.services import common
from postdesk.library.services.common import bounded_text, require

Status = DestructionRequest.Status
MAX_ITEMS = 500
CERTIFICATE_SEQUENCE = "library_destruction_certificate"


class DestructionRefused(Conflict):
    """Items that may not be destroyed (on hold, destroyed, with live copies left out)."""

    code = "destruction_refused"


def _lock(request) -> DestructionRequest:
    pk = common.pk_of(request, "request")
    found = DestructionRequest.objects.select_for_update().filter(pk=pk).first()
    if found is None:
        raise NotFound(f"Destruction request {pk} does not exist")
    return found


def check_destroyable(item_ids) -> None:
    """Refuse (409 destruction_refused, naming the barcodes) items on hold, already
    destroyed, or with a copy not destroyed and not among `item_ids`."""
    from postdesk.library.queries import descendants_of

    ids = set(item_ids)
    rows = list(
        MediaItem.objects.filter(pk__in=ids).values("id", "barcode", "on_hold", "destroyed_at")
    )
    held = sorted(r["barcode"] for r in rows if r["on_hold"])
    gone = sorted(r["barcode"] for r in rows if r["destroyed_at"] is not None)
    live_copies = sorted(
        d["barcode"] for d in descendants_of(ids) if d["id"] not in ids and not d["destroyed"]
    )
    problems = {}
    if held:
        problems["on_hold"] = held
    if gone:
        problems["destroyed"] = gone
    if live_copies:
        problems["live_copies"] = live_copies
    if problems:
        parts = []
        if held:
            parts.append(f"on hold: {', '.join(held)}")
        if gone:
            parts.append(f"already destroyed: {', '.join(gone)}")
        if live_copies:
            parts.append(f"copies not in the request: {', '.join(live_copies)}")
        raise DestructionRefused("Cannot destroy: " + "; ".join(parts), details=problems)


@transaction.atomic
def request_destruction(items, *, actor, method: str, reason: str) -> DestructionRequest:
    """Ask to destroy `items` (instances or ids) by `method`, for `reason`."""
    require(actor, MANAGE_LIBRARY, "request destruction")
    if method not in DestructionRequest.Method.values:
        raise InvalidInput.field("method", f"Unknown method {method!r}")
    reason = bounded_text("reason", reason, 500, required=True)
    if not isinstance(items, list | tuple | set) or not items:
        raise InvalidInput.field("items", "Name the items to destroy")
    if len(items) > MAX_ITEMS:
        raise InvalidInput.field("items", f"At most {MAX_ITEMS} items per request")
    ids = {common.pk_of(i, "items") for i in items}
    found = set(MediaItem.objects.filter(pk__in=ids).values_list("pk", flat=True))
    if found != ids:
        raise InvalidInput.field("items", f"No media item {min(ids - found)}")
    check_destroyable(ids)
    request = DestructionRequest.objects.create(
        method=method, reason=reason, requested_by=actor, requested_at=common.now()
    )
    request.items.set(sorted(ids))
    audit.record_create(actor, request, summary=f"Destruction of {len(ids)} item(s) requested")
    return request


def _item_ids(request: DestructionRequest) -> set[int]:
    return set(request.items.values_list("pk", flat=True))


def _transition(actor, request, before: dict, summary: str) -> None:
    changes = audit.diff(before, audit.snapshot(request, before.keys()))
    audit.record(actor, request, AuditEntry.Action.TRANSITION, changes, summary)


@transaction.atomic
def approve_destruction(
    request, *, actor, client_signoff_name: str, client_signoff_date: datetime.date
) -> DestructionRequest:
    """A supervisor approves, recording who at the client signed the destruction off
    and when. Never the person who asked."""
    require(actor, APPROVE_DESTRUCTION, "approve destruction")
    row = _lock(request)
    if row.status != Status.REQUESTED:
        raise InvalidTransition(f"The request is {row.get_status_display().lower()}")
    if row.requested_by_id == getattr(actor, "pk", None):
        raise Forbidden("The person who asked for a destruction cannot approve it")
    name = bounded_text("client_signoff_name", client_signoff_name, 200, required=True)
    if not isinstance(client_signoff_date, datetime.date):
        raise InvalidInput.field("client_signoff_date", "Give the date the client signed off")
    require_date_in_window(client_signoff_date, "client_signoff_date")
    check_destroyable(_item_ids(row))
    before = audit.snapshot(row, ["status", "approved_by_id", "client_signoff_name"])
    row.status = Status.APPROVED
    row.approved_by = actor
    row.approved_at = common.now()
    row.client_signoff_name = name
    row.client_signoff_date = client_signoff_date
    row.save()
    _transition(actor, row, before, f"Destruction request {row.pk} approved")
    return row


@transaction.atomic
def reject_destruction(request, *, actor, reason: str) -> DestructionRequest:
    """A supervisor turns the request down, saying why."""
    require(actor, APPROVE_DESTRUCTION, "reject destruction")
    row = _lock(request)
    if row.status != Status.REQUESTED:
        raise InvalidTransition(f"The request is {row.get_status_display().lower()}")
    before = audit.snapshot(row, ["status", "rejection_reason"])
    row.status = Status.REJECTED
    row.rejection_reason = bounded_text("reason", reason, 500, required=True)
    row.approved_by = actor
    row.approved_at = common.now()
    row.save()
    _transition(actor, row, before, f"Destruction request {row.pk} rejected")
    return row


@transaction.atomic
def complete_destruction(request, *, actor, witness: str) -> DestructionRequest:
    """Record an approved destruction done, before `witness`: each item is marked
    destroyed with a DESTROY movement (it stays, for the record, where it last was) and
    the request gets its certificate number."""
    require(actor, MANAGE_LIBRARY, "record destruction")
    row = _lock(request)
    if row.status != Status.APPROVED:
        raise InvalidTransition("Only an approved request can be carried out")
    witness = bounded_text("witness", witness, 200, required=True)
    ids = sorted(_item_ids(row))
    check_destroyable(ids)
    at = common.now()
    method = row.get_method_display()
    for pk in ids:
        item = common.lock_item(pk)
        before = common.place_of(item)
        item.destroyed_at = at
        item.save(update_fields=["destroyed_at", "updated_at"])
        movement = Movement.objects.create(
            item=item,
            at=at,
            action=Movement.Action.DESTROY,
            actor=actor if not isinstance(actor, common.SystemActor) else None,
            actor_label=audit.actor_label(actor),
            from_place=before,
            to_place={**before, "label": f"Destroyed ({method})"},
            signer_name=witness,
            note=f"Destruction request {row.pk}",
        )
        audit.record(
            actor,
            item,
            AuditEntry.Action.TRANSITION,
            {"destroyed_at": [None, at.isoformat()], "movement": movement.pk},
            f"Destroyed {item.barcode} ({method}), witnessed by {witness}",
        )
    before = audit.snapshot(row, ["status", "witness", "certificate_number"])
    row.status = Status.DONE
    row.witness = witness
    row.destroyed_at = at
    row.certificate_number = sequences.next_value(CERTIFICATE_SEQUENCE)
    row.save()
    _transition(
        actor, row, before, f"Destruction certificate {row.certificate_number}: {len(ids)} item(s)"
    )
    return row
