"""API of on site now and the fire roll call: the three lists (polled with an ETag, so
several marshals' phones share one roll call), ticking people off, the printable PDF,
and the simple staff in/out."""

import datetime

from django.http import HttpRequest, HttpResponse
from ninja import Field, Router

from postdesk.core.apiutil import FILE_TYPES, InputSchema, OutSchema, file_responses, require, shown
from postdesk.core.roles import HOST_VISITORS, RECEIVE_VISITORS
from postdesk.frontdesk import rollcall

router = Router(tags=["frontdesk"])


class RollCallPersonOut(OutSchema):
    key: str
    kind: str
    name: str
    detail: str
    since: datetime.datetime | None
    marked_by: str | None = None
    marked_at: datetime.datetime | None = None


class RollCallExpectedOut(OutSchema):
    name: str
    company: str
    expected_at: datetime.datetime
    host: str


class RollCallOut(OutSchema):
    as_of: datetime.datetime
    roll_call: int | None
    started_at: datetime.datetime | None
    on_site: list[RollCallPersonOut]
    expected: list[RollCallExpectedOut]
    safe: list[RollCallPersonOut]


class RollCallMarkIn(InputSchema):
    person: str = Field(..., pattern=r"^(visit|staff|shift):[0-9]{1,18}$", max_length=40)
    name: str = Field(..., min_length=1, max_length=200)


class RollCallUnmarkIn(InputSchema):
    person: str = Field(..., pattern=r"^(visit|staff|shift):[0-9]{1,18}$", max_length=40)


class RollCallStateOut(OutSchema):
    id: int
    started_at: datetime.datetime
    closed_at: datetime.datetime | None


class StaffStayOut(OutSchema):
    signed_in: bool


def _state(call) -> dict:
    return {"id": call.pk, "started_at": call.started_at, "closed_at": call.closed_at}


@router.get("/frontdesk/roll-call", response={200: RollCallOut, 304: None})
def roll_call(request: HttpRequest):
    """On site, expected and not arrived, marked safe. Poll with If-None-Match."""
    require(request, RECEIVE_VISITORS)
    etag = rollcall.fingerprint(request.user)
    if etag in request.headers.get("If-None-Match", ""):
        response = HttpResponse(status=304)
    else:
        # Written as rollcall built it (orjson), checked against the documented schema.
        response = shown(RollCallOut, rollcall.roll_call(request.user))
    response["ETag"] = etag
    response["Cache-Control"] = "private, no-cache"
    return response


@router.get("/frontdesk/roll-call.pdf", openapi_extra=file_responses(FILE_TYPES["pdf"]))
def roll_call_pdf(request: HttpRequest):
    """The three lists on paper, with the time they were taken."""
    require(request, RECEIVE_VISITORS)
    from postdesk.frontdesk.rollcall_pdf import render

    response = HttpResponse(
        render(rollcall.roll_call(request.user)), content_type="application/pdf"
    )
    response["Content-Disposition"] = 'inline; filename="roll-call.pdf"'
    return response


@router.post("/frontdesk/roll-call/start", response=RollCallStateOut)
def start(request: HttpRequest):
    """Start the roll call (or join the open one)."""
    require(request, RECEIVE_VISITORS)
    return _state(rollcall.start(actor=request.user))


@router.post("/frontdesk/roll-call/mark", response=RollCallPersonOut)
def mark(request: HttpRequest, payload: RollCallMarkIn):
    require(request, RECEIVE_VISITORS)
    m = rollcall.mark_safe(actor=request.user, person=payload.person, name=payload.name)
    return {
        "key": m.person,
        "kind": m.person.split(":")[0],
        "name": m.name,
        "detail": "",
        "since": None,
        "marked_by": request.user.display_name,
        "marked_at": m.marked_at,
    }


@router.post("/frontdesk/roll-call/unmark", response={204: None})
def unmark(request: HttpRequest, payload: RollCallUnmarkIn):
    require(request, RECEIVE_VISITORS)
    rollcall.unmark(actor=request.user, person=payload.person)
    return HttpResponse(status=204)


@router.post("/frontdesk/roll-call/close", response=RollCallStateOut)
def close(request: HttpRequest):
    require(request, RECEIVE_VISITORS)
    return _state(rollcall.close(actor=request.user))


@router.post("/frontdesk/staff/in", response=StaffStayOut)
def staff_in(request: HttpRequest):
    """The simple staff in/out: I am in the building."""
    require(request, HOST_VISITORS)
    rollcall.staff_in(actor=request.user)
    return {"signed_in": True}


@router.post("/frontdesk/staff/out", response=StaffStayOut)
def staff_out(request: HttpRequest):
    require(request, HOST_VISITORS)
    rollcall.staff_out(actor=request.user)
    return {"signed_in": False}
