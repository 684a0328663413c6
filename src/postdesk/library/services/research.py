"""Archive research requests: who asked (a name, and the user when they have one), for
which production, what footage is wanted and by when; the library moves each through
open › searching › found › delivered › closed and links the items it found.

Transitions (ALLOWED): a search can go back to open, a found request back to searching
(the items were not right), and any request not yet delivered can be closed unfulfilled.
A request is found only with at least one item linked.
"""

import datetime

from django.db import transaction

from postdesk.core import audit
from postdesk.core.errors import InvalidInput, InvalidTransition, NotFound
from postdesk.core.models import AuditEntry
from postdesk.core.roles import MANAGE_LIBRARY
from postdesk.core.timeutil import require_date_in_window
from postdesk.library.models import MediaItem, ResearchRequest
from postdesk.library.services import common
from postdesk.library.services.common import bounded_text, require

Status = ResearchRequest.Status
ALLOWED = {
    Status.OPEN: {Status.SEARCHING, Status.CLOSED},
    Status.SEARCHING: {Status.OPEN, Status.FOUND, Status.CLOSED},
    Status.FOUND: {Status.SEARCHING, Status.DELIVERED, Status.CLOSED},
    Status.DELIVERED: {Status.CLOSED},
    Status.CLOSED: set(),
}
LINKABLE = {Status.OPEN, Status.SEARCHING, Status.FOUND}
MAX_ITEMS = 200


def _lock(request) -> ResearchRequest:
    pk = common.pk_of(request, "request")
    found = ResearchRequest.objects.select_for_update().filter(pk=pk).first()
    if found is None:
        raise NotFound(f"Research request {pk} does not exist")
    return found


def _wanted_by(value):
    if value is None:
        return None
    if not isinstance(value, datetime.date) or isinstance(value, datetime.datetime):
        raise InvalidInput.field("wanted_by", "A date, when the footage is wanted by")
    return require_date_in_window(value, "wanted_by")


@transaction.atomic
def create_research_request(
    *,
    actor,
    requested_by: str,
    wanted: str,
    production=None,
    wanted_by: datetime.date | None = None,
    requester=None,
    notes: str = "",
) -> ResearchRequest:
    """Record a request for archive footage. `actor` is the library user taking it."""
    require(actor, MANAGE_LIBRARY, "take research requests")
    request = ResearchRequest.objects.create(
        requested_by=bounded_text("requested_by", requested_by, 200, required=True),
        wanted=bounded_text("wanted", wanted, 5000, required=True),
        production=production,
        wanted_by=_wanted_by(wanted_by),
        requester=requester,
        notes=bounded_text("notes", notes, 5000),
        created_by=actor,
    )
    audit.record_create(actor, request, summary=f"Research request from {request.requested_by}")
    return request


@transaction.atomic
def update_research_request(request, *, actor, **changes) -> ResearchRequest:
    """Change what is wanted, by when, or the notes."""
    require(actor, MANAGE_LIBRARY, "change research requests")
    row = _lock(request)
    unknown = set(changes) - {"wanted", "wanted_by", "notes", "requested_by"}
    if unknown:
        raise InvalidInput(f"Unknown fields: {', '.join(sorted(unknown))}")
    before = audit.snapshot(row, list(changes))
    for name, value in changes.items():
        if name == "wanted_by":
            row.wanted_by = _wanted_by(value)
        else:
            limit = 200 if name == "requested_by" else 5000
            setattr(row, name, bounded_text(name, value, limit, required=name != "notes"))
    row.save()
    audit.record_update(actor, row, before, f"Research request {row.pk} changed")
    return row


@transaction.atomic
def transition_research_request(request, status: str, *, actor, note: str = "") -> ResearchRequest:
    """Move the request to `status` along ALLOWED; `note` says why (kept in the audit)."""
    require(actor, MANAGE_LIBRARY, "progress research requests")
    row = _lock(request)
    if status not in Status.values:
        raise InvalidInput.field("status", f"Unknown status {status!r}")
    if status not in ALLOWED[Status(row.status)]:
        raise InvalidTransition(
            f"A {row.get_status_display().lower()} request cannot become "
            f"{Status(status).label.lower()}",
            details={"from": row.status, "to": status},
        )
    if status == Status.FOUND and not row.items.exists():
        raise InvalidTransition("Link the items found before marking the request found")
    note = bounded_text("note", note, 500)
    before = row.status
    row.status = status
    row.save(update_fields=["status"])
    audit.record(
        actor,
        row,
        AuditEntry.Action.TRANSITION,
        {"status": [before, status], **({"note": note} if note else {})},
        f"Research request {row.pk}: {Status(before).label} to {Status(status).label}",
    )
    return row


def _items(values) -> list[int]:
    if not isinstance(values, list | tuple | set) or not values:
        raise InvalidInput.field("items", "Name at least one item")
    if len(values) > MAX_ITEMS:
        raise InvalidInput.field("items", f"At most {MAX_ITEMS} items at once")
    ids = {common.pk_of(v, "items") for v in values}
    found = set(MediaItem.objects.filter(pk__in=ids).values_list("pk", flat=True))
    if found != ids:
        raise InvalidInput.field("items", f"No media item {min(ids - found)}")
    return sorted(ids)


def _change_links(request, items, *, actor, add: bool) -> ResearchRequest:
    require(actor, MANAGE_LIBRARY, "change research requests")
    row = _lock(request)
    if row.status not in LINKABLE:
        raise InvalidTransition(f"A {row.get_status_display().lower()} request is settled")
    ids = _items(items)
    before = sorted(row.items.values_list("pk", flat=True))
    if add:
        row.items.add(*ids)
    else:
        row.items.remove(*ids)
    after = sorted(row.items.values_list("pk", flat=True))
    if before != after:
        audit.record(
            actor,
            row,
            AuditEntry.Action.UPDATE,
            {"items": [before, after]},
            f"Research request {row.pk}: {len(after)} item(s) linked",
        )
    return row


@transaction.atomic
def link_research_items(request, items, *, actor) -> ResearchRequest:
    """Link items found for the request (while open, searching or found)."""
    return _change_links(request, items, actor=actor, add=True)


@transaction.atomic
def unlink_research_items(request, items, *, actor) -> ResearchRequest:
    """Unlink items that turned out not to be what was wanted."""
    return _change_links(request, items, actor=actor, add=False)
