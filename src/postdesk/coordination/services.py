"""Writes of post coordination's deliverables and milestones; each one transaction,
audited. Crew deal memos are in crew_services.py."""

import datetime
from decimal import Decimal

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from postdesk.coordination import catalogue
from postdesk.coordination.models import Deliverable, Milestone
from postdesk.core import audit, crud
from postdesk.core.errors import Conflict, Forbidden, InvalidInput, InvalidTransition
from postdesk.core.models import AuditEntry
from postdesk.core.money import require_fits_column, round_money
from postdesk.core.roles import MANAGE_DELIVERABLES, VIEW_MONEY, can, is_outside
from postdesk.core.timeutil import require_date_in_window, require_instant
from postdesk.engineering.models import QcReport
from postdesk.library.models import MediaItem

Status = Deliverable.Status
# The status machine: from each status, where an item may go next.
NEXT = {
    Status.NOT_STARTED: {Status.IN_PROGRESS},
    Status.IN_PROGRESS: {Status.IN_QC},
    Status.IN_QC: {Status.DELIVERED, Status.IN_PROGRESS},
    Status.DELIVERED: {Status.ACCEPTED, Status.REJECTED},
    Status.REJECTED: {Status.IN_PROGRESS},
    Status.ACCEPTED: set(),
}
DONE = (Status.DELIVERED, Status.ACCEPTED)
# A production's list is edited in place; past this many items it is not a list anyone reads.
MAX_ITEMS_PER_PRODUCTION = 200
EDITABLE = ("name", "spec", "due", "owner", "notes")


def need_manage(actor) -> None:
    if not can(actor, MANAGE_DELIVERABLES) or is_outside(actor):
        raise Forbidden(
            "Your role may not change deliverables or post schedules",
            details={"needs": MANAGE_DELIVERABLES},
        )


def _check_owner(owner) -> None:
    if owner is not None and (not owner.is_active or is_outside(owner)):
        raise InvalidInput.field("owner", "The owner must be an active member of the staff")


def _check_due(due):
    return None if due is None else require_date_in_window(due, "due")


def _room_for(production, count: int) -> int:
    """The next position, refusing a list that would outgrow MAX_ITEMS_PER_PRODUCTION."""
    existing = Deliverable.objects.filter(production=production).count()
    if existing + count > MAX_ITEMS_PER_PRODUCTION:
        raise InvalidInput(f"A production may have at most {MAX_ITEMS_PER_PRODUCTION} deliverables")
    return existing


@transaction.atomic
def create_from_template(*, production, template: str, actor, due=None, owner=None):
    """The production's deliverables list from a shipped template (catalogue.py): one item
    per template item, each not started. A template already applied is refused."""
    need_manage(actor)
    spec = catalogue.templates().get(template)
    if spec is None:
        known = ", ".join(catalogue.templates())
        raise InvalidInput.field("template", f"template must be one of {known}")
    due = _check_due(due)
    _check_owner(owner)
    if Deliverable.objects.filter(production=production, template=template).exists():
        raise Conflict(f"{production.title} already has the {spec['label']} list")
    start = _room_for(production, len(spec["items"]))
    items = [
        Deliverable(
            production=production,
            name=item["name"],
            spec=item["spec"],
            template=template,
            position=start + n,
            due=due,
            owner=owner,
        )
        for n, item in enumerate(spec["items"])
    ]
    for item in items:
        crud.validate(item, exclude=["media_items"])
    Deliverable.objects.bulk_create(items)
    created = list(Deliverable.objects.filter(production=production, template=template))
    audit.record(
        actor,
        production,
        AuditEntry.Action.CREATE,
        {"deliverables": [None, [d.name for d in created]]},
        f"Deliverables from the {spec['label']} template",
    )
    return created


@transaction.atomic
def add_deliverable(*, production, name: str, actor, spec="", due=None, owner=None, notes=""):
    need_manage(actor)
    _check_owner(owner)
    return crud.create(
        Deliverable,
        actor=actor,
        production=production,
        name=name,
        spec=spec,
        due=_check_due(due),
        owner=owner,
        notes=notes,
        position=_room_for(production, 1),
    )


@transaction.atomic
def update_deliverable(deliverable, *, actor, **changes):
    """Edit the item's name, spec, due date, owner or notes (not its status)."""
    need_manage(actor)
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise InvalidInput(f"Not editable here: {', '.join(sorted(unknown))}")
    if "due" in changes:
        changes["due"] = _check_due(changes["due"])
    if "owner" in changes:
        _check_owner(changes["owner"])
    return crud.update(deliverable, actor=actor, **changes)


@transaction.atomic
def remove_deliverable(deliverable, *, actor) -> None:
    need_manage(actor)
    item = Deliverable.objects.select_for_update().get(pk=deliverable.pk)
    if item.status in DONE:
        raise Conflict(f"{item.name} has been delivered; it stays on the list")
    before = audit.snapshot(item)
    audit.record_delete(actor, item, before, f"Deliverable removed: {item.name}")
    item.delete()


@transaction.atomic
def link_media(deliverable, *, media_items, actor):
    """The library items that hold the deliverable: items of the same production (or,
    for items not tied to one, of the production's client)."""
    need_manage(actor)
    item = (
        Deliverable.objects.select_for_update().select_related("production").get(pk=deliverable.pk)
    )
    wrong = [
        m.pk
        for m in media_items
        if m.production_id != item.production_id
        and not (m.production_id is None and m.client_id == item.production.client_id)
    ]
    if wrong:
        raise InvalidInput.field(
            "media_items", f"Not media of {item.production.title}: {', '.join(map(str, wrong))}"
        )
    before = sorted(item.media_items.values_list("pk", flat=True))
    item.media_items.set(media_items)
    after = sorted(m.pk for m in media_items)
    audit.record(
        actor, item, AuditEntry.Action.UPDATE, {"media_items": [before, after]}, "Media linked"
    )
    return item


def _qc_productions(report: QcReport) -> set[int]:
    """The productions whose library media is the file the report checked, when that can
    be known: a report of a media-root file whose path a media item records. An upload
    says nothing of where it came from."""
    if report.source != QcReport.Source.PATH or not report.path:
        return set()
    path = report.path.lstrip("/")
    return set(
        MediaItem.objects.filter(Q(file_path=path) | Q(file_path__endswith=f"/{path}"))
        .exclude(production_id=None)
        .values_list("production_id", flat=True)
    )


@transaction.atomic
def link_qc_report(deliverable, *, report, actor):
    """The engineering QC report of the item's file (None unlinks it). A report of a
    file that is another production's library media is refused."""
    need_manage(actor)
    item = (
        Deliverable.objects.select_for_update().select_related("production").get(pk=deliverable.pk)
    )
    if report is not None:
        report = QcReport.objects.filter(pk=report.pk).first()
        if report is None:
            raise InvalidInput.field("qc_report", "No such QC report")
        owners = _qc_productions(report)
        if owners and item.production_id not in owners:
            raise InvalidInput.field(
                "qc_report",
                f"QC report {report.pk} checked {report.filename}, which is media of "
                f"another production than {item.production.title}",
            )
    return crud.update(item, actor=actor, qc_report=report, summary=f"QC report: {item.name}")


@transaction.atomic
def set_cost(deliverable, *, cost: Decimal | None, actor):
    """What the item costs the production, in its client's billing currency (None: no
    cost). A cost is money: it takes the right to see the facility's money as well."""
    need_manage(actor)
    if not can(actor, VIEW_MONEY):
        raise Forbidden("Your role may not set costs", details={"needs": VIEW_MONEY})
    item = Deliverable.objects.select_related("production__client").get(pk=deliverable.pk)
    currency = ""
    if cost is not None:
        if not isinstance(cost, Decimal) or not cost.is_finite() or cost < 0:
            raise InvalidInput.field("cost", "A cost is an amount of 0 or more")
        currency = item.production.client.currency
        cost = require_fits_column(round_money(cost, currency), Deliverable, "cost")
    return crud.update(
        item, actor=actor, cost=cost, cost_currency=currency, summary=f"Cost: {item.name}"
    )


def _move(deliverable, *, to: str, actor, changes: dict, verb: str, only_from=None):
    """Move the item to `to` if the machine allows it from its status (and, where two
    buttons lead to one status, from `only_from`)."""
    need_manage(actor)
    item = Deliverable.objects.select_for_update().get(pk=deliverable.pk)
    if to not in NEXT[item.status] or (only_from and item.status not in only_from):
        raise InvalidTransition(
            f"{item.name} is {item.get_status_display().lower()}; it cannot be "
            f"{Status(to).label.lower()} from there",
            details={"status": item.status},
        )
    before = audit.snapshot(item, ["status", *changes])
    item.status = to
    for name, value in changes.items():
        setattr(item, name, value)
    item.version += 1
    crud.validate(item, exclude=["media_items"])
    item.save()
    audit.record(
        actor,
        item,
        AuditEntry.Action.TRANSITION,
        audit.diff(before, audit.snapshot(item, before.keys())),
        f"{verb}: {item.name}",
    )
    return item


@transaction.atomic
def start_deliverable(deliverable, *, actor):
    """Not started, or rejected, to in progress (a rejection's reason is kept)."""
    return _move(
        deliverable,
        to=Status.IN_PROGRESS,
        actor=actor,
        changes={},
        verb="Started",
        only_from=(Status.NOT_STARTED, Status.REJECTED),
    )


@transaction.atomic
def send_to_qc(deliverable, *, actor):
    return _move(deliverable, to=Status.IN_QC, actor=actor, changes={}, verb="Sent to QC")


@transaction.atomic
def fail_qc(deliverable, *, actor):
    """Back from QC to in progress."""
    return _move(
        deliverable,
        to=Status.IN_PROGRESS,
        actor=actor,
        changes={},
        verb="Failed QC",
        only_from=(Status.IN_QC,),
    )


def _required(value: str, field: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise InvalidInput.field(field, message)
    return value


@transaction.atomic
def deliver(
    deliverable,
    *,
    actor,
    delivered_to: str,
    method: str,
    reference: str,
    courier: str = "",
    delivered_at: datetime.datetime | None = None,
):
    """The delivery record: where, when and how (a courier and its tracking number, or a
    file transfer's reference)."""
    delivered_to = _required(delivered_to, "delivered_to", "Say where it was delivered")
    if method not in Deliverable.Method.values:
        raise InvalidInput.field("method", "method must be courier or file_transfer")
    reference = _required(
        reference,
        "reference",
        "A courier delivery needs its tracking number"
        if method == Deliverable.Method.COURIER
        else "A file transfer needs its reference",
    )
    if method == Deliverable.Method.COURIER:
        courier = _required(courier, "courier", "Name the courier")
    else:
        courier = ""
    at = timezone.now() if delivered_at is None else require_instant(delivered_at, "delivered_at")
    changes = {
        "delivered_to": delivered_to,
        "method": method,
        "reference": reference,
        "courier": courier,
        "delivered_at": at,
        "rejection_reason": "",
    }
    return _move(deliverable, to=Status.DELIVERED, actor=actor, changes=changes, verb="Delivered")


@transaction.atomic
def accept_deliverable(deliverable, *, actor, accepted_by: str):
    """The broadcaster or distributor accepted it; `accepted_by` names who."""
    accepted_by = _required(accepted_by, "accepted_by", "Say who accepted it")
    changes = {"accepted_by": accepted_by, "accepted_at": timezone.now()}
    return _move(deliverable, to=Status.ACCEPTED, actor=actor, changes=changes, verb="Accepted")


@transaction.atomic
def reject_deliverable(deliverable, *, actor, reason: str):
    """Rejected by the recipient: the reason is required; the item goes back to work."""
    reason = _required(reason, "reason", "A rejection needs its reason")
    changes = {"rejection_reason": reason}
    return _move(deliverable, to=Status.REJECTED, actor=actor, changes=changes, verb="Rejected")


# --- milestones ---------------------------------------------------------------------------


@transaction.atomic
def set_milestone(
    *, production, kind: str, planned, actor, revised=None, actual=None, notes: str = ""
) -> Milestone:
    """Plan (or re-plan) one of the production's milestones: its planned date, any revised
    date and the actual date once it happened."""
    need_manage(actor)
    if kind not in Milestone.Kind.values:
        raise InvalidInput.field("kind", f"kind must be one of {', '.join(Milestone.Kind.values)}")
    dates = {
        "planned": require_date_in_window(planned, "planned"),
        "revised": None if revised is None else require_date_in_window(revised, "revised"),
        "actual": None if actual is None else require_date_in_window(actual, "actual"),
    }
    existing = (
        Milestone.objects.select_for_update().filter(production=production, kind=kind).first()
    )
    if existing is None:
        return crud.create(
            Milestone, actor=actor, production=production, kind=kind, notes=notes, **dates
        )
    return crud.update(existing, actor=actor, notes=notes, **dates)


@transaction.atomic
def remove_milestone(milestone, *, actor) -> None:
    need_manage(actor)
    before = audit.snapshot(milestone)
    audit.record_delete(actor, milestone, before, f"Milestone removed: {milestone}")
    milestone.delete()
