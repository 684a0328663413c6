"""API of preview screenings: book one, invite, list a production's with seats taken.
Invitees answer through their RSVP link's page (coordination:rsvp), not the API."""

import datetime

from django.http import HttpRequest
from ninja import Field, Router

from postdesk.coordination import attendance, queries, screenings
from postdesk.coordination.models import Screening
from postdesk.core.apiutil import Id, InputSchema, Instant, OutSchema, get_scoped, require, shown
from postdesk.core.errors import InvalidInput
from postdesk.core.roles import MANAGE_DELIVERABLES, VIEW_DELIVERABLES
from postdesk.productions.models import Job
from postdesk.scheduling.models import Resource

router = Router(tags=["coordination"])
INTERNAL = "Screenings"


class ScreeningIn(InputSchema):
    job: Id
    start: Instant
    end: Instant
    cut_version: str = Field(..., min_length=1, max_length=100)
    room: Id | None = None
    external_venue: str = Field("", max_length=200)
    venue_capacity: int | None = Field(None, ge=1, le=10000)
    nda_required: bool = False
    plus_ones_allowed: int = Field(0, ge=0, le=screenings.MAX_PLUS_ONES)


class InviteIn(InputSchema):
    name: str = Field(..., min_length=1, max_length=200)
    email: str = Field(..., min_length=3, max_length=254, pattern=r"^[^@\s]+@[^@\s]+$")


class InviteeOut(OutSchema):
    id: int
    name: str
    email: str
    response: str
    plus_ones: int
    attended: bool
    rsvp_path: str


class FeedbackOut(OutSchema):
    id: int
    given_by: str
    note: str
    recorded_at: datetime.datetime


class ScreeningOut(OutSchema):
    id: int
    production: int
    booking: int | None
    room: int | None
    external_venue: str
    starts_at: datetime.datetime
    cut_version: str
    nda_required: bool
    plus_ones_allowed: int
    capacity: int | None
    seats_taken: int
    invitees: list[InviteeOut]
    walk_ins: list[str]
    feedback: list[FeedbackOut]


class AttendanceIn(InputSchema):
    attended: list[Id] = Field(default_factory=list, max_length=screenings.MAX_INVITEES)
    walk_ins: list[str] = Field(default_factory=list, max_length=attendance.MAX_WALK_INS)


class FeedbackIn(InputSchema):
    note: str = Field(..., min_length=1, max_length=attendance.MAX_NOTE)
    given_by: str = Field("", max_length=200)


def _row(s: Screening) -> dict:
    return {
        "id": s.pk,
        "production": s.production_id,
        "booking": s.booking_id,
        "room": s.room_id,
        "external_venue": s.external_venue,
        "starts_at": s.starts_at,
        "cut_version": s.cut_version,
        "nda_required": s.nda_required,
        "plus_ones_allowed": s.plus_ones_allowed,
        "capacity": screenings.capacity(s),
        "seats_taken": screenings.seats_taken(s),
        "invitees": [
            {
                "id": i.pk,
                "name": i.name,
                "email": i.email,
                "response": i.response,
                "plus_ones": i.plus_ones,
                "attended": i.attended,
                "rsvp_path": f"/coordination/rsvp/{s.pk}/{i.token}/",
            }
            for i in s.invitees.all()
        ],
        "walk_ins": [w.name for w in s.walk_ins.all()],
        "feedback": [
            {"id": f.pk, "given_by": f.given_by, "note": f.note, "recorded_at": f.recorded_at}
            for f in s.feedback.all()
        ],
    }


@router.post("/screenings", response={201: ScreeningOut})
def book_screening(request: HttpRequest, payload: ScreeningIn):
    require(request, MANAGE_DELIVERABLES, internal=INTERNAL)
    data = payload.model_dump()
    job = Job.objects.filter(pk=data.pop("job")).first()
    if job is None:
        raise InvalidInput.field("job", "No such job")
    room_id = data.pop("room")
    room = None if room_id is None else Resource.objects.filter(pk=room_id).first()
    if room_id is not None and room is None:
        raise InvalidInput.field("room", "No such room")
    screening = screenings.book_screening(job=job, room=room, actor=request.user, **data)
    return shown(ScreeningOut, _row(screening), 201)


@router.post("/screenings/{screening_id}/invitees", response={201: ScreeningOut})
def invite(request: HttpRequest, screening_id: Id, payload: InviteIn):
    require(request, MANAGE_DELIVERABLES, internal=INTERNAL)
    screening = get_scoped(
        request, Screening.objects.select_related("room"), screening_id, None, "screening"
    )
    screenings.invite(screening, actor=request.user, **payload.model_dump())
    return shown(ScreeningOut, _row(screening), 201)


@router.get("/productions/{production_id}/screenings", response=list[ScreeningOut])
def list_screenings(request: HttpRequest, production_id: Id):
    require(request, VIEW_DELIVERABLES, internal=INTERNAL)
    production = get_scoped(
        request, queries.productions_for(request.user), production_id, None, "production"
    )
    rows = (
        Screening.objects.filter(production=production)
        .select_related("room")
        .prefetch_related("invitees", "walk_ins", "feedback")[:50]
    )
    return shown(list[ScreeningOut], [_row(s) for s in rows])


def _screening(request, screening_id: int) -> Screening:
    return get_scoped(
        request, Screening.objects.select_related("room"), screening_id, None, "screening"
    )


@router.put("/screenings/{screening_id}/attendance", response=ScreeningOut)
def record_attendance(request: HttpRequest, screening_id: Id, payload: AttendanceIn):
    """Who came: the invitees present (the others did not) and the walk-ins by name, the
    whole list each time. 409 before the screening has started."""
    require(request, MANAGE_DELIVERABLES, internal=INTERNAL)
    screening = _screening(request, screening_id)
    attendance.record_attendance(screening, actor=request.user, **payload.model_dump())
    return shown(ScreeningOut, _row(screening))


@router.post("/screenings/{screening_id}/feedback", response={201: FeedbackOut})
def add_feedback(request: HttpRequest, screening_id: Id, payload: FeedbackIn):
    """A feedback note from the audience; 409 before the screening has started."""
    require(request, MANAGE_DELIVERABLES, internal=INTERNAL)
    note = attendance.add_feedback(
        _screening(request, screening_id), actor=request.user, **payload.model_dump()
    )
    row = {"id": note.pk, "given_by": note.given_by, "note": note.note}
    return shown(FeedbackOut, {**row, "recorded_at": note.recorded_at}, 201)
