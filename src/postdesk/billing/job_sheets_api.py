"""API of job sheets: from bookings, lines, sign-off, PDF."""

from typing import Literal

from django.http import HttpRequest
from ninja import Field, Query, Router

from postdesk.billing import downloads, lists, queries, services
from postdesk.billing.models import (
    JobSheet,
)
from postdesk.billing.responses_api import (
    SheetDetailOut,
    SheetOut,
    SheetRowOut,
)
from postdesk.billing.serialise import (
    job_sheet_out,
)
from postdesk.billing.shared_api import (
    LineIn,
    bad,
    is_client,
    job_for_input,
    line_fields,
    line_on,
)
from postdesk.core.apiutil import (
    FILE_TYPES,
    Id,
    InputSchema,
    Instant,
    ListQuery,
    Page,
    changed_fields,
    file_responses,
    get_scoped,
    paged,
    require,
    shown,
)
from postdesk.core.roles import (
    CHANGE_MONEY,
    RESPOND_QUOTES,
    VIEW_MONEY,
    scope_to_client,
)

router = Router(tags=["billing"])


# --- job sheets ---------------------------------------------------------------------------


class SheetQuery(ListQuery):
    job: Id | None = None
    status: JobSheet.Status | None = None


class SheetIn(InputSchema):
    booking: Id
    notes: str = ""


class SheetPatch(InputSchema):
    actual_start: Instant | None = None
    actual_end: Instant | None = None
    notes: str | None = None


class SignIn(InputSchema):
    party: Literal["operator", "client"]
    name: str = Field(..., min_length=1, max_length=150)


def _sheets():
    return JobSheet.objects.select_related("job__client", "booking")


def _sheet(request, pk) -> JobSheet:
    return get_scoped(request, _sheets(), pk, "job__client", "job sheet")


@router.get("/job-sheets", response=Page[SheetRowOut])
def list_job_sheets(request: HttpRequest, query: Query[SheetQuery]):
    require(request, VIEW_MONEY)
    qs = scope_to_client(request.user, _sheets(), "job__client")
    return shown(
        Page[SheetRowOut],
        paged(lists.JOB_SHEETS, qs, query, serialise=lambda s: job_sheet_out(s, lines=False)),
    )


@router.post("/job-sheets", response={201: SheetOut})
def create_job_sheet(request: HttpRequest, payload: SheetIn):
    from postdesk.scheduling.models import Booking

    require(request, CHANGE_MONEY)
    booking = Booking.objects.select_related("job__client").filter(pk=payload.booking).first()
    if booking is None:
        bad("booking", payload.booking)
    sheet = services.create_job_sheet(booking=booking, actor=request.user, notes=payload.notes)
    return shown(SheetOut, job_sheet_out(_sheet(request, sheet.pk)), 201)


class SheetsForJobIn(InputSchema):
    job: Id


@router.post("/job-sheets/from-job", response={201: list[SheetRowOut]})
def create_job_sheets_for_job(request: HttpRequest, payload: SheetsForJobIn):
    """Job sheets for every completed booking of a job that has none yet."""
    require(request, CHANGE_MONEY)
    job = job_for_input(request, payload.job)
    sheets = services.create_job_sheets_for_job(job=job, actor=request.user)
    return shown(
        list[SheetRowOut], [job_sheet_out(_sheet(request, s.pk), lines=False) for s in sheets], 201
    )


@router.get("/job-sheets/{sheet_id}", response=SheetDetailOut)
def get_job_sheet(request: HttpRequest, sheet_id: Id):
    require(request, VIEW_MONEY)
    sheet = _sheet(request, sheet_id)
    return shown(
        SheetDetailOut, {**job_sheet_out(sheet), "comparison": queries.quote_comparison(sheet)}
    )


@router.patch("/job-sheets/{sheet_id}", response=SheetOut)
def update_job_sheet(request: HttpRequest, sheet_id: Id, payload: SheetPatch):
    require(request, CHANGE_MONEY)
    changes = changed_fields(payload)
    services.update_job_sheet(_sheet(request, sheet_id), actor=request.user, **changes)
    return shown(SheetOut, job_sheet_out(_sheet(request, sheet_id)))


@router.post("/job-sheets/{sheet_id}/lines", response={201: SheetOut})
def add_job_sheet_line(request: HttpRequest, sheet_id: Id, payload: LineIn):
    require(request, CHANGE_MONEY)
    services.add_job_sheet_line(
        _sheet(request, sheet_id), actor=request.user, **line_fields(payload)
    )
    return shown(SheetOut, job_sheet_out(_sheet(request, sheet_id)), 201)


@router.delete("/job-sheets/{sheet_id}/lines/{line_id}", response=SheetOut)
def delete_job_sheet_line(request: HttpRequest, sheet_id: Id, line_id: Id):
    require(request, CHANGE_MONEY)
    line = line_on(_sheet(request, sheet_id), line_id, "job sheet")
    services.delete_job_sheet_line(line, actor=request.user)
    return shown(SheetOut, job_sheet_out(_sheet(request, sheet_id)))


@router.post("/job-sheets/{sheet_id}/sign", response=SheetOut)
def sign_job_sheet(request: HttpRequest, sheet_id: Id, payload: SignIn):
    # Which party a client user may sign for is the service's rule.
    require(request, RESPOND_QUOTES if is_client(request) else CHANGE_MONEY)
    services.sign_job_sheet(
        _sheet(request, sheet_id), actor=request.user, party=payload.party, name=payload.name
    )
    return shown(SheetOut, job_sheet_out(_sheet(request, sheet_id)))


@router.get("/job-sheets/{sheet_id}/pdf", openapi_extra=file_responses(FILE_TYPES["pdf"]))
def job_sheet_pdf(request: HttpRequest, sheet_id: Id):
    require(request, VIEW_MONEY)
    sheet = _sheet(request, sheet_id)
    return downloads.job_sheet_pdf(sheet)
