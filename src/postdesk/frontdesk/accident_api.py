"""API of the accident book: readable and writable only by admins, supervisors and
reception; entries are never changed or deleted through it."""

import datetime
from typing import Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Status

from postdesk.core.apiutil import (
    Id,
    InputSchema,
    Instant,
    ListQuery,
    OutSchema,
    Page,
    paged,
    require,
)
from postdesk.core.errors import NotFound
from postdesk.core.roles import KEEP_ACCIDENT_BOOK
from postdesk.frontdesk import accidents, lists

router = Router(tags=["frontdesk"])
PersonKind = Literal["staff", "visitor", "contractor"]


class AccidentIn(InputSchema):
    person: str = Field(..., min_length=1, max_length=200, description="Who")
    person_kind: PersonKind = "staff"
    happened_at: Instant
    place: str = Field(..., min_length=1, max_length=200, description="Where")
    what_happened: str = Field(..., min_length=1, max_length=5000)
    injury: str = Field(..., min_length=1, max_length=2000)
    first_aid: str = Field("", max_length=2000)
    first_aider: str = Field("", max_length=200)
    riddor_reportable: bool = False


class AccidentOut(OutSchema):
    id: int
    person: str
    person_kind: PersonKind
    happened_at: datetime.datetime
    place: str
    what_happened: str
    injury: str
    first_aid: str
    first_aider: str
    riddor_reportable: bool
    keep_until: datetime.date
    recorded_by: int
    recorded_at: datetime.datetime


class AccidentQuery(ListQuery):
    riddor: bool | None = Field(None, description="Only RIDDOR-reportable entries")


def accident_out(e) -> dict:
    return {
        "id": e.pk,
        "person": e.person,
        "person_kind": e.person_kind,
        "happened_at": e.happened_at,
        "place": e.place,
        "what_happened": e.what_happened,
        "injury": e.injury,
        "first_aid": e.first_aid,
        "first_aider": e.first_aider,
        "riddor_reportable": e.riddor_reportable,
        "keep_until": e.keep_until,
        "recorded_by": e.recorded_by_id,
        "recorded_at": e.recorded_at,
    }


@router.get("/frontdesk/accidents", response=Page[AccidentOut])
def list_accidents(request: HttpRequest, query: Query[AccidentQuery]):
    require(request, KEEP_ACCIDENT_BOOK)
    return paged(lists.ACCIDENTS, accidents.entries(request.user), query, serialise=accident_out)


@router.post("/frontdesk/accidents", response={201: AccidentOut})
def record_accident(request: HttpRequest, payload: AccidentIn):
    require(request, KEEP_ACCIDENT_BOOK)
    entry = accidents.record_accident(actor=request.user, **payload.model_dump())
    return Status(201, accident_out(entry))


@router.get("/frontdesk/accidents/{entry_id}", response=AccidentOut)
def get_accident(request: HttpRequest, entry_id: Id):
    require(request, KEEP_ACCIDENT_BOOK)
    entry = accidents.entries(request.user).filter(pk=entry_id).first()
    if entry is None:
        raise NotFound("No such accident book entry")
    return accident_out(entry)
