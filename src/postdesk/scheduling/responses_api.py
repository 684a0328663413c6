"""The response schemas of scheduling's API: what a booking, a resource and a skill look
like on the wire (the OpenAPI document's description of every scheduling response but
the board and availability, whose bulk rows go straight to orjson).

A field a role may not see (scheduling/visibility.py) is optional here and left out of
the response, never sent as null (`apiutil.shown`)."""

from datetime import datetime
from typing import Any

from ninja import Field

from postdesk.core.apiutil import Money, OutSchema

STAFF_ONLY = "Shown to the facility's staff only"
OWN_COMPANY = "Left out for a client user on another company's (or the facility's own) booking"
COSTS = "Shown to the roles that see costs only"


class AllocationOut(OutSchema):
    id: int
    resource: int
    resource_name: str | None
    start: datetime
    end: datetime
    status: str
    blocking: bool
    hold_rank: int | None = Field(..., description="A pencil's place in the queue (1 = first)")


class BookingOut(OutSchema):
    id: int
    kind: str
    status: str
    job: int | None = Field(None, description=OWN_COMPANY)
    job_number: str | None = Field(None, description=OWN_COMPANY)
    client: int | None = Field(None, description=OWN_COMPANY)
    client_name: str | None = Field(None, description=OWN_COMPANY)
    production: int | None = Field(None, description=OWN_COMPANY)
    production_title: str | None = Field(None, description=OWN_COMPANY)
    title: str | None = Field(None, description=OWN_COMPANY)
    notes: str | None = Field(None, description=f"{STAFF_ONLY}; {OWN_COMPANY}")
    start: datetime
    end: datetime
    owner: int | None = Field(None, description=OWN_COMPANY)
    series: str | None = Field(None, description=OWN_COMPANY)
    challenge_deadline: datetime | None
    challenged_by: int | None = Field(None, description=OWN_COMPANY)
    version: int
    allocations: list[AllocationOut]


class SkippedOut(OutSchema):
    start: datetime
    end: datetime
    message: str
    conflicts: list[dict[str, Any]]


class RepeatOut(OutSchema):
    bookings: list[BookingOut]
    skipped: list[SkippedOut] = Field(..., description="Days left out for a conflict")


class ChallengeOut(OutSchema):
    booking: BookingOut
    challenged: list[BookingOut]


class SplitOut(OutSchema):
    bookings: list[BookingOut]


class ResourceOut(OutSchema):
    id: int
    kind: str
    name: str
    site: int
    site_name: str
    skills: list[str]
    capacity: int | None
    bookable: bool
    colour: str
    working_hours: dict[str, Any] | None
    notes: str | None = Field(None, description=STAFF_ONLY)
    employment: str
    email: str | None = Field(None, description=STAFF_ONLY)
    phone: str | None = Field(None, description=STAFF_ONLY)
    location: int | None
    sort_order: int
    archived_at: datetime | None
    day_rate: Money | None = Field(None, description=COSTS)
    currency: str | None = Field(None, description=f"The day rate's; {COSTS.lower()}")


class ResourceRemovedOut(OutSchema):
    id: int
    outcome: str = Field(..., description="deleted, or archived when bookings refer to it")


class UtilisationOut(OutSchema):
    resource: int
    name: str
    start: datetime
    end: datetime
    booked_hours: float
    pencilled_hours: float
    working_hours: float
    utilisation: float | None = Field(..., description="Booked / working hours; none without")


class SkillOut(OutSchema):
    id: int
    name: str
    resources_count: int | None


# --- finding time (availability/slots, availability/check) --------------------------------


class CandidateOut(OutSchema):
    id: int
    name: str
    holds: int = Field(..., description="Pencils holding the candidate in the slot")
    free_until: datetime | None


class SlotOut(OutSchema):
    start: datetime
    end: datetime
    free_until: datetime | None
    holds: int = Field(..., description="Pencils holding the resources in the slot")
    candidates: list[CandidateOut] | None = Field(
        None, description="With any_kind/any_skill: the candidates free for all of it"
    )


class NeedOut(OutSchema):
    kind: str | None
    skills: list[str | int]
    candidates: int


class SlotsOut(OutSchema):
    resources: list[int]
    duration_hours: float
    working_hours: bool
    pencils_block: bool
    any: NeedOut | None
    slots: list[SlotOut]


class BlockingOut(OutSchema):
    booking: int
    resource: int
    resource_name: str
    start: datetime
    end: datetime
    status: str
    kind: str
    title: str | None = Field(None, description=OWN_COMPANY)
    job_number: str | None = Field(None, description=OWN_COMPANY)
    client_name: str | None = Field(None, description=OWN_COMPANY)


class HoldOut(OutSchema):
    resource: int
    resource_name: str
    pencils: int


class OutlookOut(OutSchema):
    start: datetime
    end: datetime
    status: str
    blocking: list[BlockingOut]
    holds: list[HoldOut]
    warnings: list[str]
