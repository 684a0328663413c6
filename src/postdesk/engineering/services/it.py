"""Signal paths, machines and network ports, and software licences per room."""

import datetime
import uuid

from django.core.files.base import File
from django.db import IntegrityError, transaction

from postdesk.core import audit
from postdesk.core.crud import validate
from postdesk.core.errors import Conflict, InvalidInput
from postdesk.core.models import AuditEntry
from postdesk.core.timeutil import require_date_in_window
from postdesk.engineering.models import Licence, Machine, SignalPath
from postdesk.engineering.services.faults import _require_manage
from postdesk.scheduling.models import Resource

DIAGRAM_TYPES = {
    "application/pdf": "pdf",
    "image/png": "png",
    "image/jpeg": "jpg",
    "image/svg+xml": "svg",
}
DIAGRAM_MAX_BYTES = 20 * 1024 * 1024


def _room(room) -> int:
    pk = getattr(room, "pk", room)
    if not Resource.objects.filter(pk=pk, kind=Resource.Kind.ROOM).exists():
        raise InvalidInput.field("room", f"No room with id {pk}")
    return pk


@transaction.atomic
def set_signal_path(*, actor, room, text: str, diagram=None, content_type: str = "") -> SignalPath:
    """Replace the room's signal-path note; a new diagram (PDF or image) if one is given."""
    _require_manage(actor)
    if not isinstance(text, str) or len(text) > 20_000:
        raise InvalidInput.field("text", "text is at most 20000 characters")
    path, _ = SignalPath.objects.select_for_update().get_or_create(room_id=_room(room))
    before = audit.snapshot(path, ("text", "diagram"))
    path.text = text
    if diagram is not None:
        extension = DIAGRAM_TYPES.get(content_type)
        if extension is None:
            raise InvalidInput.field("diagram", "A diagram is a PDF, PNG, JPEG or SVG file")
        if diagram.size > DIAGRAM_MAX_BYTES:
            raise InvalidInput.field("diagram", "A diagram may be at most 20 MB")
        path.diagram.save(f"{uuid.uuid4().hex}.{extension}", File(diagram), save=False)
    path.save()
    changes = audit.diff(before, audit.snapshot(path, ("text", "diagram")))
    if changes:
        audit.record(
            actor, path, AuditEntry.Action.UPDATE, changes, f"Signal path of room {path.room_id}"
        )
    return path


@transaction.atomic
def create_machine(*, actor, room, asset=None, **fields) -> Machine:
    _require_manage(actor)
    machine = Machine(room_id=_room(room), asset_id=getattr(asset, "pk", asset), **fields)
    validate(machine, exclude=["room", "asset"])
    try:
        with transaction.atomic():
            machine.save()
    except IntegrityError as exc:
        raise Conflict(f"A machine called {machine.hostname} is registered already") from exc
    audit.record_create(actor, machine, summary=f"Machine {machine.hostname}")
    return machine


@transaction.atomic
def create_licence(
    *, actor, product: str, renews_on: datetime.date, machine=None, room=None, notes: str = ""
) -> Licence:
    _require_manage(actor)
    require_date_in_window(renews_on, "renews_on")
    licence = Licence(
        product=product,
        renews_on=renews_on,
        machine_id=getattr(machine, "pk", machine),
        room_id=_room(room) if room is not None else None,
        notes=notes,
    )
    if (
        licence.machine_id is not None
        and not Machine.objects.filter(pk=licence.machine_id).exists()
    ):
        raise InvalidInput.field("machine", f"No machine with id {licence.machine_id}")
    validate(licence, exclude=["machine", "room"])
    licence.save()
    audit.record_create(actor, licence, summary=f"Licence {licence.product}")
    return licence


@transaction.atomic
def renew_licence(licence, *, actor, renews_on: datetime.date) -> Licence:
    _require_manage(actor)
    require_date_in_window(renews_on, "renews_on")
    licence = Licence.objects.select_for_update().get(pk=getattr(licence, "pk", licence))
    if renews_on <= licence.renews_on:
        raise InvalidInput.field("renews_on", "A renewal runs past the current end date")
    before = audit.snapshot(licence, ("renews_on",))
    licence.renews_on = renews_on
    licence.save(update_fields=["renews_on"])
    audit.record_update(actor, licence, before, f"Renewed {licence.product}")
    return licence
