"""API for engineering: timecode, the register, fault tickets, PAT and maintenance.

Every route has a typed response schema (OutSchema, engineering/serialise.py); its lists
are `Page[XOut]` searched, filtered and sorted by engineering/lists.py, the same specs as
the pages; input is bounded (core/apiutil.py)."""

import datetime
from typing import Literal

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Field, Query, Router, Status
from pydantic import IPvAnyAddress

from postdesk.core import timecode as tc
from postdesk.core.apiutil import (
    FILE_TYPES,
    Day,
    Id,
    InputSchema,
    Instant,
    ListQuery,
    OutSchema,
    Page,
    QuerySchema,
    file_responses,
    paged,
    require,
)
from postdesk.core.errors import InvalidInput, NotFound
from postdesk.core.roles import MANAGE_ENGINEERING, REPORT_FAULTS, VIEW_ENGINEERING
from postdesk.engineering import asset_tags, lists, qc_api, queries, services
from postdesk.engineering.models import Asset, FaultTicket, Machine, MaintenanceSchedule, SignalPath
from postdesk.engineering.serialise import (
    AssetOut,
    EngineeringBookingRef,
    EngineeringRef,
    LicenceOut,
    MachineOut,
    PatTestOut,
    PlanItemOut,
    ScheduleOut,
    SignalPathOut,
    TicketDetailOut,
    TicketOut,
    asset_out,
    booking_ref,
    licence_out,
    machine_out,
    pat_out,
    plan_out,
    schedule_out,
    ticket_detail,
    ticket_out,
)
from postdesk.library.labels import Layout
from postdesk.scheduling.models import Resource

router = Router(tags=["engineering"])

Rate = Literal["23.976", "24", "25", "29.97", "30", "48", "50", "59.94", "60"]
Timecode = Field(None, max_length=tc.MAX_TEXT, description="HH:MM:SS:FF, or HH:MM:SS;FF drop frame")


# --- timecode -----------------------------------------------------------------------------


class TimecodeQuery(QuerySchema):
    rate: Rate
    timecode: str | None = Timecode
    frames: int | None = Field(None, ge=0, le=24 * 3600 * 60)
    drop_frame: bool = Field(False, description="Write `frames` in drop frame (29.97, 59.94)")
    to_rate: Rate | None = Field(None, description="Convert to this rate by real time")
    add: str | None = Timecode
    subtract: str | None = Timecode
    end: str | None = Field(None, max_length=tc.MAX_TEXT, description="Duration up to this")


class TimecodeLabel(OutSchema):
    rate: str
    timecode: str
    frames: int
    drop_frame: bool
    seconds: float


class TimecodeOut(OutSchema):
    input: TimecodeLabel
    converted: TimecodeLabel | None = None
    sum: TimecodeLabel | None = None
    difference: TimecodeLabel | None = None
    duration_frames: int | None = None
    duration: str | None = None


def _label(frames: int, rate: str, drop: bool) -> TimecodeLabel:
    return TimecodeLabel(
        rate=rate,
        timecode=tc.frames_to_timecode(frames, rate, drop),
        frames=frames,
        drop_frame=drop,
        seconds=float(tc.seconds(frames, rate)),
    )


def _timecode(query: TimecodeQuery) -> TimecodeOut:
    if (query.timecode is None) == (query.frames is None):
        raise ValueError("give either timecode or frames")
    if query.timecode is not None:
        frames, drop = tc.parse(query.timecode, query.rate)
    else:
        frames, drop = query.frames, query.drop_frame
    out = TimecodeOut(input=_label(frames, query.rate, drop))
    text = out.input.timecode
    if query.to_rate:
        converted = tc.convert(text, query.rate, query.to_rate)
        out.converted = _label(
            tc.timecode_to_frames(converted, query.to_rate), query.to_rate, ";" in converted
        )
    if query.add:
        out.sum = _label(
            tc.timecode_to_frames(tc.add(text, query.add, query.rate), query.rate), query.rate, drop
        )
    if query.subtract:
        result = tc.subtract(text, query.subtract, query.rate)
        out.difference = _label(tc.timecode_to_frames(result, query.rate), query.rate, drop)
    if query.end:
        out.duration_frames = tc.duration(text, query.end, query.rate)
        # A duration is a count of frames, written as a non-drop label.
        out.duration = tc.frames_to_timecode(out.duration_frames, query.rate)
    return out


@router.get("/timecode", response=TimecodeOut)
def timecode(request: HttpRequest, query: Query[TimecodeQuery]):
    """Read a timecode (or a frame count) at a rate; optionally convert it to another rate
    by real time, add or subtract a duration, or measure the duration up to `end`."""
    require(request, VIEW_ENGINEERING)
    try:
        return _timecode(query)
    except ValueError as exc:
        raise InvalidInput(str(exc), details={"fields": {"timecode": [str(exc)]}}) from None


# --- assets -----------------------------------------------------------------------------


class AssetQuery(ListQuery):
    q: str | None = Field(None, max_length=100, description="Tag, serial, make, model or room")
    room: Id | None = None
    status: Asset.Status | None = None


class AssetIn(InputSchema):
    tag: str = Field(..., min_length=1, max_length=40)
    make: str = Field(..., min_length=1, max_length=100)
    model: str = Field(..., min_length=1, max_length=100)
    serial: str = Field("", max_length=100)
    supplier: str = Field("", max_length=120)
    purchase_date: Day | None = None
    warranty_end: Day | None = None
    status: Asset.Status = Asset.Status.IN_SERVICE
    room: Id | None = None
    library_location: Id | None = None
    critical: bool = False
    resource: Id | None = None
    risk_class: Literal[
        "", "handheld", "portable", "movable", "it", "stationary", "class2", "location"
    ] = ""
    notes: str = Field("", max_length=5000)


class AssetPatch(InputSchema):
    make: str | None = Field(None, min_length=1, max_length=100)
    model: str | None = Field(None, min_length=1, max_length=100)
    serial: str | None = Field(None, max_length=100)
    supplier: str | None = Field(None, max_length=120)
    purchase_date: Day | None = None
    warranty_end: Day | None = None
    status: Asset.Status | None = None
    room: Id | None = None
    library_location: Id | None = None
    critical: bool | None = None
    resource: Id | None = None
    risk_class: (
        Literal["", "handheld", "portable", "movable", "it", "stationary", "class2", "location"]
        | None
    ) = None
    notes: str | None = Field(None, max_length=5000)


# What a PATCH may set to null (clear); the other fields always hold a value.
CLEARABLE = {"purchase_date", "warranty_end", "room", "library_location", "resource"}


def _asset(pk: int) -> Asset:
    found = (
        Asset.objects.select_related("room", "library_location", "resource").filter(pk=pk).first()
    )
    if found is None:
        raise NotFound(f"No asset with id {pk}")
    return found


@router.get("/engineering/assets", response=Page[AssetOut])
def list_assets(request: HttpRequest, query: Query[AssetQuery]):
    require(request, VIEW_ENGINEERING)
    return paged(lists.ASSETS, queries.assets(), query, serialise=asset_out)


@router.post("/engineering/assets", response={201: AssetOut})
def create_asset(request: HttpRequest, payload: AssetIn):
    require(request, MANAGE_ENGINEERING)
    asset = services.create_asset(actor=request.user, **payload.model_dump())
    return Status(201, asset_out(_asset(asset.pk)))


@router.get("/engineering/assets/{asset_id}", response=AssetOut)
def get_asset(request: HttpRequest, asset_id: Id):
    require(request, VIEW_ENGINEERING)
    return asset_out(_asset(asset_id))


@router.patch("/engineering/assets/{asset_id}", response=AssetOut)
def update_asset(request: HttpRequest, asset_id: Id, payload: AssetPatch):
    require(request, MANAGE_ENGINEERING)
    changes = payload.model_dump(exclude_unset=True)
    for field, value in changes.items():
        if value is None and field not in CLEARABLE:
            raise InvalidInput.field(field, f"{field} cannot be null; leave it out to keep it")
    asset = services.update_asset(_asset(asset_id), actor=request.user, **changes)
    return asset_out(_asset(asset.pk))


class AssetTagQuery(QuerySchema):
    layout: Layout = Layout.ROLL_62X29


@router.get(
    "/engineering/assets/{asset_id}/tag",
    summary="The asset's tag as a PDF label (the library's label roll or A4 sheet)",
    openapi_extra=file_responses(FILE_TYPES["pdf"]),
)
def asset_tag(request: HttpRequest, asset_id: Id, query: Query[AssetTagQuery]) -> HttpResponse:
    require(request, VIEW_ENGINEERING)
    asset = _asset(asset_id)
    response = HttpResponse(
        asset_tags.asset_tags_pdf([asset], query.layout), content_type="application/pdf"
    )
    response["Content-Disposition"] = (
        f'inline; filename="{asset_tags.filename(asset, query.layout)}"'
    )
    return response


@router.get("/engineering/rooms/{room_id}/critical-assets", response=list[AssetOut])
def critical_assets(request: HttpRequest, room_id: Id):
    require(request, VIEW_ENGINEERING)
    return [
        asset_out(a)
        for a in queries.critical_assets(room_id).select_related(
            "room", "library_location", "resource"
        )
    ]


# --- tickets ----------------------------------------------------------------------------


class TicketQuery(ListQuery):
    q: str | None = Field(None, max_length=200, description="Description, room or asset tag")
    state: FaultTicket.State | None = None
    severity: FaultTicket.Severity | None = None
    open: bool | None = Field(None, description="Only open, in progress or on hold")
    room: Id | None = None


class TicketIn(InputSchema):
    severity: FaultTicket.Severity
    description: str = Field(..., min_length=1, max_length=5000)
    room: Id | None = None
    asset: Id | None = None
    estimate_until: Instant | None = Field(None, description="Room down: blocked until then")


class StateIn(InputSchema):
    state: FaultTicket.State
    text: str = Field("", max_length=5000)
    minutes: int = Field(0, ge=0, le=24 * 60)


class NoteIn(InputSchema):
    text: str = Field(..., min_length=1, max_length=5000)
    minutes: int = Field(0, ge=0, le=24 * 60)


class EstimateIn(InputSchema):
    estimate_until: Instant


class MoveIn(InputSchema):
    booking: Id
    to_room: Id


def _ticket(pk: int) -> FaultTicket:
    found = FaultTicket.objects.select_related("room", "asset", "reporter").filter(pk=pk).first()
    if found is None:
        raise NotFound(f"No ticket with id {pk}")
    return found


@router.get("/engineering/tickets", response=Page[TicketOut])
def list_tickets(request: HttpRequest, query: Query[TicketQuery]):
    require(request, VIEW_ENGINEERING)
    qs = FaultTicket.objects.select_related("room", "asset", "reporter")
    return paged(lists.TICKETS, qs, query, serialise=ticket_out)


@router.post("/engineering/tickets", response={201: TicketDetailOut})
def report_fault(request: HttpRequest, payload: TicketIn):
    require(request, REPORT_FAULTS)
    ticket = services.report_fault(actor=request.user, **payload.model_dump())
    return Status(201, ticket_detail(_ticket(ticket.pk)))


@router.get("/engineering/tickets/{ticket_id}", response=TicketDetailOut)
def get_ticket(request: HttpRequest, ticket_id: Id):
    require(request, VIEW_ENGINEERING)
    return ticket_detail(_ticket(ticket_id))


@router.post("/engineering/tickets/{ticket_id}/state", response=TicketDetailOut)
def change_state(request: HttpRequest, ticket_id: Id, payload: StateIn):
    require(request, MANAGE_ENGINEERING)
    services.change_state(_ticket(ticket_id), actor=request.user, **payload.model_dump())
    return ticket_detail(_ticket(ticket_id))


@router.post("/engineering/tickets/{ticket_id}/notes", response={201: TicketDetailOut})
def add_note(request: HttpRequest, ticket_id: Id, payload: NoteIn):
    require(request, MANAGE_ENGINEERING)
    services.add_note(_ticket(ticket_id), actor=request.user, **payload.model_dump())
    return Status(201, ticket_detail(_ticket(ticket_id)))


@router.post("/engineering/tickets/{ticket_id}/estimate", response=TicketDetailOut)
def set_estimate(request: HttpRequest, ticket_id: Id, payload: EstimateIn):
    require(request, MANAGE_ENGINEERING)
    services.set_estimate(_ticket(ticket_id), actor=request.user, **payload.model_dump())
    return ticket_detail(_ticket(ticket_id))


@router.get("/engineering/tickets/{ticket_id}/plan", response=list[PlanItemOut])
def room_down_plan(request: HttpRequest, ticket_id: Id):
    """The confirmed bookings in the down room's span, their client contacts, and the free
    rooms of the same kind and skills for each."""
    require(request, VIEW_ENGINEERING)
    return plan_out(queries.room_down_plan(_ticket(ticket_id)))


@router.post("/engineering/tickets/{ticket_id}/move", response=EngineeringBookingRef)
def move_off(request: HttpRequest, ticket_id: Id, payload: MoveIn):
    require(request, VIEW_ENGINEERING)
    moved = services.move_off(_ticket(ticket_id), actor=request.user, **payload.model_dump())
    return booking_ref(moved)


@router.post("/engineering/tickets/{ticket_id}/move-all", response=list[EngineeringBookingRef])
def move_all_off(request: HttpRequest, ticket_id: Id):
    require(request, VIEW_ENGINEERING)
    moved = services.move_all_off(_ticket(ticket_id), actor=request.user)
    return [booking_ref(b) for b in moved]


class DowntimeRow(OutSchema):
    month: str
    kind: str
    id: int
    name: str
    tickets: int
    hours: float


class MttrRow(OutSchema):
    month: str
    resolved: int
    mttr_hours: float


class DowntimeOut(OutSchema):
    downtime: list[DowntimeRow]
    mttr: list[MttrRow]


@router.get("/engineering/downtime", response=DowntimeOut)
def downtime(request: HttpRequest):
    """Downtime per room and asset, and mean time to repair, per month."""
    require(request, VIEW_ENGINEERING)
    return queries.downtime()


# --- PAT ------------------------------------------------------------------------------------


class PatIn(InputSchema):
    asset: Id
    tested_on: Day
    tester: str = Field(..., min_length=1, max_length=120)
    result: Literal["pass", "fail"]
    notes: str = Field("", max_length=5000)


class PatDueQuery(QuerySchema):
    by: Day | None = Field(None, description="Due on or before this day (default: today)")


class PatDueOut(OutSchema):
    by: datetime.date
    due: list[PatTestOut]
    never_tested: list[AssetOut]


@router.post("/engineering/pat-tests", response={201: PatTestOut})
def record_pat_test(request: HttpRequest, payload: PatIn):
    require(request, MANAGE_ENGINEERING)
    test = services.record_pat_test(actor=request.user, **payload.model_dump())
    return Status(201, pat_out(test))


@router.get("/engineering/pat-due", response=PatDueOut)
def pat_due(request: HttpRequest, query: Query[PatDueQuery]):
    require(request, VIEW_ENGINEERING)
    by = query.by or timezone.localdate()
    found = queries.pat_due(by=by)
    return PatDueOut(
        by=by,
        due=[pat_out(t) for t in found["due"]],
        never_tested=[asset_out(a) for a in found["never_tested"]],
    )


@router.get("/engineering/assets/{asset_id}/pat-tests", response=list[PatTestOut])
def pat_tests(request: HttpRequest, asset_id: Id):
    require(request, VIEW_ENGINEERING)
    return [pat_out(t) for t in _asset(asset_id).pat_tests.select_related("asset")]


# --- maintenance -------------------------------------------------------------------------


class ScheduleIn(InputSchema):
    title: str = Field(..., min_length=1, max_length=200)
    room: Id
    asset: Id | None = None
    every_days: int | None = Field(None, ge=1, le=10_000)
    every_booked_hours: int | None = Field(None, ge=1, le=10_000)
    duration_minutes: int = Field(120, ge=15, le=24 * 60)
    last_done_at: Instant | None = None


def _schedule(pk: int) -> MaintenanceSchedule:
    found = (
        MaintenanceSchedule.objects.select_related("room", "asset", "placed").filter(pk=pk).first()
    )
    if found is None:
        raise NotFound(f"No maintenance schedule with id {pk}")
    return found


class ScheduleQuery(ListQuery):
    q: str | None = Field(None, max_length=200, description="Task, room or asset tag")
    room: Id | None = None
    asset: Id | None = None


@router.get("/engineering/schedules", response=Page[ScheduleOut])
def list_schedules(request: HttpRequest, query: Query[ScheduleQuery]):
    require(request, VIEW_ENGINEERING)
    now = timezone.now()
    qs = MaintenanceSchedule.objects.select_related("room", "asset", "placed")
    return paged(
        lists.SCHEDULES,
        qs,
        query,
        serialise=lambda s: schedule_out(s, queries.schedule_status(s, now=now)),
    )


@router.post("/engineering/schedules", response={201: ScheduleOut})
def create_schedule(request: HttpRequest, payload: ScheduleIn):
    require(request, MANAGE_ENGINEERING)
    schedule = services.create_schedule(actor=request.user, **payload.model_dump())
    s = _schedule(schedule.pk)
    return Status(201, schedule_out(s, queries.schedule_status(s)))


@router.get("/engineering/maintenance-due", response=list[ScheduleOut])
def maintenance_due(request: HttpRequest):
    require(request, VIEW_ENGINEERING)
    return [schedule_out(item["schedule"], item) for item in queries.maintenance_due()]


@router.post("/engineering/schedules/{schedule_id}/place", response={201: EngineeringBookingRef})
def place_task(request: HttpRequest, schedule_id: Id):
    require(request, MANAGE_ENGINEERING)
    block = services.place_task(_schedule(schedule_id), actor=request.user)
    return Status(201, booking_ref(block))


@router.post("/engineering/schedules/{schedule_id}/done", response=ScheduleOut)
def mark_done(request: HttpRequest, schedule_id: Id):
    require(request, MANAGE_ENGINEERING)
    services.mark_done(_schedule(schedule_id), actor=request.user)
    s = _schedule(schedule_id)
    return schedule_out(s, queries.schedule_status(s))


# --- signal paths and IT ------------------------------------------------------------------


class SignalPathIn(InputSchema):
    text: str = Field("", max_length=20_000)


class MachineQuery(ListQuery):
    q: str | None = Field(None, max_length=200, description="Hostname, IP address, OS or port")
    room: Id | None = None


class MachineIn(InputSchema):
    room: Id
    hostname: str = Field(..., min_length=1, max_length=100, pattern=r"^[A-Za-z0-9][A-Za-z0-9.-]*$")
    ip_address: IPvAnyAddress | None = None
    vlan: int | None = Field(None, ge=1, le=4094)
    switch_port: str = Field("", max_length=60)
    os: str = Field("", max_length=100)
    asset: Id | None = None
    notes: str = Field("", max_length=5000)


class LicenceIn(InputSchema):
    product: str = Field(..., min_length=1, max_length=200)
    renews_on: Day
    machine: Id | None = None
    room: Id | None = None
    notes: str = Field("", max_length=5000)


class LicencesDueQuery(QuerySchema):
    by: Day | None = Field(
        None, description="Running out on or before this day (default: 60 days on)"
    )


def _room(room_id: int) -> Resource:
    room = Resource.objects.filter(pk=room_id, kind=Resource.Kind.ROOM).first()
    if room is None:
        raise NotFound(f"No room with id {room_id}")
    return room


def _signal_path_out(room: Resource) -> SignalPathOut:
    path = SignalPath.objects.filter(room=room).first()
    return SignalPathOut(
        room=EngineeringRef(id=room.pk, name=room.name),
        text=path.text if path else "",
        diagram_url=path.diagram.url if path and path.diagram else None,
        updated_at=path.updated_at if path else None,
    )


@router.get("/engineering/rooms/{room_id}/signal-path", response=SignalPathOut)
def get_signal_path(request: HttpRequest, room_id: Id):
    require(request, VIEW_ENGINEERING)
    return _signal_path_out(_room(room_id))


@router.put("/engineering/rooms/{room_id}/signal-path", response=SignalPathOut)
def set_signal_path(request: HttpRequest, room_id: Id, payload: SignalPathIn):
    require(request, MANAGE_ENGINEERING)
    room = _room(room_id)
    services.set_signal_path(actor=request.user, room=room, text=payload.text)
    return _signal_path_out(room)


@router.get("/engineering/machines", response=Page[MachineOut])
def list_machines(request: HttpRequest, query: Query[MachineQuery]):
    require(request, VIEW_ENGINEERING)
    qs = Machine.objects.select_related("room", "asset")
    return paged(lists.MACHINES, qs, query, serialise=machine_out)


@router.post("/engineering/machines", response={201: MachineOut})
def create_machine(request: HttpRequest, payload: MachineIn):
    require(request, MANAGE_ENGINEERING)
    data = payload.model_dump()
    if data["ip_address"] is not None:
        data["ip_address"] = str(data["ip_address"])
    machine = services.create_machine(actor=request.user, **data)
    return Status(
        201, machine_out(Machine.objects.select_related("room", "asset").get(pk=machine.pk))
    )


@router.post("/engineering/licences", response={201: LicenceOut})
def create_licence(request: HttpRequest, payload: LicenceIn):
    require(request, MANAGE_ENGINEERING)
    licence = services.create_licence(actor=request.user, **payload.model_dump())
    return Status(201, licence_out(licence))


@router.get("/engineering/licences-due", response=list[LicenceOut])
def licences_due(request: HttpRequest, query: Query[LicencesDueQuery]):
    require(request, VIEW_ENGINEERING)
    by = query.by or timezone.localdate() + datetime.timedelta(days=60)
    return [licence_out(x) for x in queries.licences_due(by=by)[:1000]]


# Media QC: its own module (qc_api.py), mounted here so that it shares the engineering tag.
router.add_router("", qc_api.router)
