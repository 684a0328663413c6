"""API of ADR sessions: book one (stage and mixer in one booking), list a production's,
import a cue list (dry run or real; every bad row reported), mark a cue recorded, and
the cue sheet PDF."""

from typing import Literal

from django.http import HttpRequest, HttpResponse
from ninja import Field, Router

from postdesk.coordination import adr, call_sheets, queries
from postdesk.coordination.models import AdrSession, Cue
from postdesk.core.apiutil import (
    Id,
    InputSchema,
    Instant,
    OutSchema,
    file_responses,
    get_scoped,
    require,
    shown,
)
from postdesk.core.errors import InvalidInput
from postdesk.core.roles import MANAGE_DELIVERABLES, VIEW_DELIVERABLES
from postdesk.productions.models import Job
from postdesk.scheduling.models import Resource

router = Router(tags=["coordination"])
INTERNAL = "ADR sessions"
Rate = Literal["23.976", "24", "25", "29.97", "30", "48", "50", "59.94", "60"]


class AdrSessionIn(InputSchema):
    job: Id
    stage: Id
    mixer: Id
    start: Instant
    end: Instant
    talent: str = Field(..., min_length=1, max_length=200)
    character: str = Field("", max_length=200)
    agent_contact: str = Field("", max_length=300)
    agent_email: str = Field("", max_length=254)
    remote: bool = False
    remote_studio: str = Field("", max_length=200)
    rate: Rate = "25"


class CueOut(OutSchema):
    id: int
    number: str
    character: str
    tc_in: str
    tc_out: str
    line: str
    recorded: bool
    take_notes: str


class AdrSessionOut(OutSchema):
    id: int
    production: int
    booking: int | None
    talent: str
    character: str
    agent_contact: str
    agent_email: str
    remote: bool
    remote_studio: str
    rate: str
    cues: list[CueOut]


class CueImportIn(InputSchema):
    csv: str = Field(..., min_length=1, max_length=adr.MAX_CSV_BYTES)
    dry_run: bool = True


class ProblemOut(OutSchema):
    row: int
    field: str
    message: str


class CueImportOut(OutSchema):
    rows: int
    valid: int
    imported: int
    problems: list[ProblemOut]


class CallSheetOut(OutSchema):
    session: int
    to: list[str]


class RecordedIn(InputSchema):
    take_notes: str = Field("", max_length=500)


def _cue_row(c: Cue) -> dict:
    return {
        "id": c.pk,
        "number": c.number,
        "character": c.character,
        "tc_in": c.tc_in,
        "tc_out": c.tc_out,
        "line": c.line,
        "recorded": c.recorded,
        "take_notes": c.take_notes,
    }


def _session_row(s: AdrSession) -> dict:
    return {
        "id": s.pk,
        "production": s.production_id,
        "booking": s.booking_id,
        "talent": s.talent,
        "character": s.character,
        "agent_contact": s.agent_contact,
        "agent_email": s.agent_email,
        "remote": s.remote,
        "remote_studio": s.remote_studio,
        "rate": s.rate,
        "cues": [_cue_row(c) for c in s.cues.all()],
    }


def _found(model, pk: int, field: str):
    obj = model.objects.filter(pk=pk).first()
    if obj is None:
        raise InvalidInput.field(field, f"No {field} with id {pk}")
    return obj


@router.post("/adr-sessions", response={201: AdrSessionOut})
def book_session(request: HttpRequest, payload: AdrSessionIn):
    require(request, MANAGE_DELIVERABLES, internal=INTERNAL)
    data = payload.model_dump()
    session = adr.book_session(
        job=_found(Job, data.pop("job"), "job"),
        stage=_found(Resource, data.pop("stage"), "stage"),
        mixer=_found(Resource, data.pop("mixer"), "mixer"),
        actor=request.user,
        **data,
    )
    return shown(AdrSessionOut, _session_row(session), 201)


@router.get("/productions/{production_id}/adr-sessions", response=list[AdrSessionOut])
def list_sessions(request: HttpRequest, production_id: Id):
    require(request, VIEW_DELIVERABLES, internal=INTERNAL)
    production = get_scoped(
        request, queries.productions_for(request.user), production_id, None, "production"
    )
    rows = AdrSession.objects.filter(production=production).prefetch_related("cues")[:200]
    return shown(list[AdrSessionOut], [_session_row(s) for s in rows])


@router.post("/adr-sessions/{session_id}/cues/import", response=CueImportOut)
def import_cues(request: HttpRequest, session_id: Id, payload: CueImportIn):
    require(request, MANAGE_DELIVERABLES, internal=INTERNAL)
    session = get_scoped(request, AdrSession.objects.all(), session_id, None, "ADR session")
    report = adr.import_cues(session, text=payload.csv, dry_run=payload.dry_run, actor=request.user)
    return shown(CueImportOut, report)


@router.post("/cues/{cue_id}/recorded", response=CueOut)
def mark_recorded(request: HttpRequest, cue_id: Id, payload: RecordedIn):
    require(request, MANAGE_DELIVERABLES, internal=INTERNAL)
    cue = get_scoped(request, Cue.objects.all(), cue_id, None, "cue")
    return shown(
        CueOut, _cue_row(adr.mark_recorded(cue, actor=request.user, **payload.model_dump()))
    )


@router.get(
    "/adr-sessions/{session_id}/cue-sheet.pdf",
    response={200: None},
    openapi_extra=file_responses("application/pdf"),
)
def cue_sheet(request: HttpRequest, session_id: Id):
    require(request, VIEW_DELIVERABLES, internal=INTERNAL)
    session = get_scoped(
        request, AdrSession.objects.select_related("production"), session_id, None, "ADR session"
    )
    return HttpResponse(adr.cue_sheet_pdf(session), content_type="application/pdf")


@router.post("/adr-sessions/{session_id}/call-sheet", response={202: CallSheetOut})
def send_call_sheet(request: HttpRequest, session_id: Id):
    """Mail the call sheet (PDF) to the talent's agent; the worker sends it (202). 422 when
    the talent has no agent email."""
    require(request, MANAGE_DELIVERABLES, internal=INTERNAL)
    session = get_scoped(request, AdrSession.objects.all(), session_id, None, "ADR session")
    session = call_sheets.send_call_sheet(session, actor=request.user)
    return shown(CallSheetOut, {"session": session.pk, "to": [session.agent_email]}, 202)
