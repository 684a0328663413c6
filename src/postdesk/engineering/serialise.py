"""Engineering's records as the API's typed schemas, and the functions that fill them.

Every schema is an `OutSchema` (a closed body: the OpenAPI document names every key) and
its class name is unique across the whole API: ninja keys the document's components by
class name, so a second `ContactOut` would silently replace productions' one there."""

import datetime

from postdesk.core.apiutil import OutSchema
from postdesk.engineering import queries
from postdesk.engineering.models import Asset, FaultTicket, MaintenanceSchedule, PatTest


class EngineeringRef(OutSchema):
    id: int
    name: str


class AssetOut(OutSchema):
    id: int
    tag: str
    make: str
    model: str
    serial: str
    supplier: str
    purchase_date: datetime.date | None
    warranty_end: datetime.date | None
    status: str
    room: EngineeringRef | None
    library_location: EngineeringRef | None
    critical: bool
    resource: EngineeringRef | None
    risk_class: str
    notes: str


def _ref(record) -> EngineeringRef | None:
    """A room, resource or library location as {id, name}."""
    return None if record is None else EngineeringRef(id=record.pk, name=record.name)


def asset_out(a: Asset) -> AssetOut:
    return AssetOut(
        id=a.pk,
        tag=a.tag,
        make=a.make,
        model=a.model,
        serial=a.serial,
        supplier=a.supplier,
        purchase_date=a.purchase_date,
        warranty_end=a.warranty_end,
        status=a.status,
        room=_ref(a.room),
        library_location=_ref(a.library_location),
        critical=a.critical,
        resource=_ref(a.resource),
        risk_class=a.risk_class,
        notes=a.notes,
    )


class EngineeringBookingRef(OutSchema):
    id: int
    start: datetime.datetime
    end: datetime.datetime
    title: str


class TicketNoteOut(OutSchema):
    author: str
    text: str
    minutes: int
    state: str
    created_at: datetime.datetime


class TicketOut(OutSchema):
    id: int
    severity: str
    state: str
    description: str
    room: EngineeringRef | None
    asset: EngineeringRef | None
    reporter: str
    opened_at: datetime.datetime
    estimate_until: datetime.datetime | None
    resolved_at: datetime.datetime | None
    closed_at: datetime.datetime | None


class BookingContactOut(OutSchema):
    name: str
    email: str
    phone: str


class PlanItemOut(OutSchema):
    booking: EngineeringBookingRef
    job_number: str
    client: str
    contacts: list[BookingContactOut]
    suggestions: list[EngineeringRef]


class TicketDetailOut(TicketOut):
    minutes_spent: int
    notes: list[TicketNoteOut]
    blocks: list[EngineeringBookingRef]
    plan: list[PlanItemOut]


def ticket_out(t: FaultTicket) -> TicketOut:
    return TicketOut(
        id=t.pk,
        severity=t.severity,
        state=t.state,
        description=t.description,
        room=_ref(t.room),
        asset=None if t.asset is None else EngineeringRef(id=t.asset.pk, name=t.asset.tag),
        reporter=t.reporter.get_username(),
        opened_at=t.opened_at,
        estimate_until=t.estimate_until,
        resolved_at=t.resolved_at,
        closed_at=t.closed_at,
    )


def booking_ref(b) -> EngineeringBookingRef:
    return EngineeringBookingRef(id=b.pk, start=b.start, end=b.end, title=b.title)


def plan_out(plan: list[dict]) -> list[PlanItemOut]:
    return [
        PlanItemOut(
            booking=booking_ref(item["booking"]),
            job_number=item["booking"].job.number,
            client=item["booking"].job.client.name,
            contacts=[BookingContactOut(**c) for c in item["contacts"]],
            suggestions=[EngineeringRef(**s) for s in item["suggestions"]],
        )
        for item in plan
    ]


def ticket_detail(t: FaultTicket) -> TicketDetailOut:
    notes = list(t.notes.select_related("author"))
    return TicketDetailOut(
        **ticket_out(t).model_dump(),
        minutes_spent=sum(n.minutes for n in notes),
        notes=[
            TicketNoteOut(
                author=n.author.get_username(),
                text=n.text,
                minutes=n.minutes,
                state=n.state,
                created_at=n.created_at,
            )
            for n in notes
        ],
        blocks=[booking_ref(b) for b in t.blocks.filter(status="confirmed").order_by("start")],
        plan=plan_out(queries.room_down_plan(t)),
    )


class PatTestOut(OutSchema):
    id: int
    asset: EngineeringRef
    tested_on: datetime.date
    tester: str
    result: str
    risk_class: str
    next_due: datetime.date
    notes: str


def pat_out(t: PatTest) -> PatTestOut:
    return PatTestOut(
        id=t.pk,
        asset=EngineeringRef(id=t.asset.pk, name=t.asset.tag),
        tested_on=t.tested_on,
        tester=t.tester,
        result=t.result,
        risk_class=t.risk_class,
        next_due=t.next_due,
        notes=t.notes,
    )


class ScheduleOut(OutSchema):
    id: int
    title: str
    room: EngineeringRef
    asset: EngineeringRef | None
    every_days: int | None
    every_booked_hours: int | None
    duration_minutes: int
    last_done_at: datetime.datetime
    placed: EngineeringBookingRef | None
    due: bool
    due_at: datetime.datetime | None
    used_hours: float | None


def schedule_out(s: MaintenanceSchedule, status: dict) -> ScheduleOut:
    return ScheduleOut(
        id=s.pk,
        title=s.title,
        room=_ref(s.room),
        asset=None if s.asset is None else EngineeringRef(id=s.asset.pk, name=s.asset.tag),
        every_days=s.every_days,
        every_booked_hours=s.every_booked_hours,
        duration_minutes=s.duration_minutes,
        last_done_at=s.last_done_at,
        placed=booking_ref(s.placed) if s.placed and s.placed.status == "confirmed" else None,
        due=status["due"],
        due_at=status["due_at"],
        used_hours=status["used_hours"],
    )


class SignalPathOut(OutSchema):
    room: EngineeringRef
    text: str
    diagram_url: str | None
    updated_at: datetime.datetime | None


class MachineOut(OutSchema):
    id: int
    room: EngineeringRef
    hostname: str
    ip_address: str | None
    vlan: int | None
    switch_port: str
    os: str
    asset: EngineeringRef | None
    notes: str


class LicenceOut(OutSchema):
    id: int
    product: str
    machine: EngineeringRef | None
    room: EngineeringRef | None
    renews_on: datetime.date
    notes: str


def machine_out(m) -> MachineOut:
    return MachineOut(
        id=m.pk,
        room=_ref(m.room),
        hostname=m.hostname,
        ip_address=m.ip_address,
        vlan=m.vlan,
        switch_port=m.switch_port,
        os=m.os,
        asset=None if m.asset is None else EngineeringRef(id=m.asset.pk, name=m.asset.tag),
        notes=m.notes,
    )


def licence_out(licence) -> LicenceOut:
    machine = licence.machine
    return LicenceOut(
        id=licence.pk,
        product=licence.product,
        machine=None if machine is None else EngineeringRef(id=machine.pk, name=machine.hostname),
        room=_ref(licence.room),
        renews_on=licence.renews_on,
        notes=licence.notes,
    )
