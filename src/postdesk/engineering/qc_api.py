"""API of media QC: delivery specs (read, edit, take in their files), checks (start from a
path under the media root or an upload, read, cancel) and each report's PDF.

Mounted by engineering/api.py under /api/v1/engineering/qc/."""

import datetime
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Field, File, Form, Query, Router, Status
from ninja.files import UploadedFile

from postdesk.core.apiutil import (
    FILE_TYPES,
    Id,
    InputSchema,
    ListQuery,
    OutSchema,
    Page,
    file_responses,
    paged,
    require,
)
from postdesk.core.errors import NotFound
from postdesk.core.roles import MANAGE_ENGINEERING, VIEW_ENGINEERING
from postdesk.engineering import lists, qc_documents, queries, services
from postdesk.engineering.models import DeliverySpec, QcReport
from postdesk.engineering.services.qc import MAX_PATH

router = Router(tags=["engineering"])


class SpecOut(OutSchema):
    id: int
    slug: str
    name: str
    version: int
    hash: str
    edited: bool
    updated_at: datetime.datetime


class SpecDetailOut(SpecOut):
    body: dict[str, Any]


class SpecIn(InputSchema):
    body: dict[str, Any] = Field(description="The whole spec, as in engineering/specs/*.json")


class SyncOut(OutSchema):
    specs: dict[str, str] = Field(description="slug: what happened to its copy")


class SpecRefOut(OutSchema):
    id: int
    name: str
    version: int
    hash: str


class QcReportOut(OutSchema):
    id: int
    filename: str
    source: str
    path: str
    spec: SpecRefOut
    state: str
    verdict: str | None
    progress: float
    cancel_requested: bool
    created_at: datetime.datetime | None
    finished_at: datetime.datetime | None


class CheckOut(OutSchema):
    key: str
    label: str
    measured: str
    limit: str
    verdict: str
    note: str


class QcReportDetailOut(QcReportOut):
    ffmpeg_version: str
    duration_s: float | None
    frame_rate: str
    checks: list[CheckOut]
    facts: dict[str, Any]
    measured: dict[str, Any] | None
    error: str
    requested_by: str | None
    started_at: datetime.datetime | None


class QcReportQuery(ListQuery):
    state: QcReport.State | None = None
    verdict: QcReport.Verdict | None = None
    spec: Id | None = None


class CheckIn(InputSchema):
    spec: Id
    path: str = Field(min_length=1, max_length=MAX_PATH, description="Under the media root")


def _spec_out(spec: DeliverySpec, body: bool = False) -> dict:
    out = {
        "id": spec.pk,
        "slug": spec.slug,
        "name": spec.name,
        "version": spec.version,
        "hash": spec.hash,
        "edited": spec.edited,
        "updated_at": spec.updated_at,
    }
    return out | {"body": spec.body} if body else out


def _report_out(report: QcReport) -> dict:
    data = qc_documents.report_data(report)
    return {key: data[key] for key in QcReportOut.model_fields}


def _report(report_id: int) -> QcReport:
    report = queries.qc_reports().filter(pk=report_id).first()
    if report is None:
        raise NotFound(f"No QC report with id {report_id}")
    return report


def _spec(spec_id: int) -> DeliverySpec:
    spec = DeliverySpec.objects.filter(pk=spec_id).first()
    if spec is None:
        raise NotFound(f"No delivery spec with id {spec_id}")
    return spec


@router.get("/engineering/qc/specs", response=list[SpecOut])
def list_specs(request: HttpRequest):
    require(request, VIEW_ENGINEERING)
    return [_spec_out(s) for s in DeliverySpec.objects.all()]


@router.post("/engineering/qc/specs/sync", response=SyncOut)
def sync_specs(request: HttpRequest):
    """Take in the spec files shipped with this version."""
    require(request, MANAGE_ENGINEERING)
    return {"specs": services.sync_specs(actor=request.user)}


@router.get("/engineering/qc/specs/{spec_id}", response=SpecDetailOut)
def get_spec(request: HttpRequest, spec_id: Id):
    require(request, VIEW_ENGINEERING)
    return _spec_out(_spec(spec_id), body=True)


@router.put("/engineering/qc/specs/{spec_id}", response=SpecDetailOut)
def update_spec(request: HttpRequest, spec_id: Id, payload: SpecIn):
    require(request, MANAGE_ENGINEERING)
    spec = services.update_spec(_spec(spec_id), actor=request.user, body=payload.body)
    return _spec_out(spec, body=True)


@router.get("/engineering/qc/reports", response=Page[QcReportOut])
def list_reports(request: HttpRequest, query: Query[QcReportQuery]):
    require(request, VIEW_ENGINEERING)
    return paged(lists.QC_REPORTS, queries.qc_reports(), query, serialise=_report_out)


@router.post("/engineering/qc/reports", response={201: QcReportDetailOut})
def start_check(request: HttpRequest, payload: CheckIn):
    """Check a file under the media root; the worker runs it (poll the report)."""
    require(request, MANAGE_ENGINEERING)
    report = services.start_check(actor=request.user, spec=payload.spec, path=payload.path)
    return Status(201, qc_documents.report_data(_report(report.pk)))


@router.post("/engineering/qc/reports/upload", response={201: QcReportDetailOut})
def upload_check(request: HttpRequest, spec: Form[Id], file: File[UploadedFile]):
    """Check an uploaded file (multipart: spec, file)."""
    require(request, MANAGE_ENGINEERING)
    report = services.start_check(
        actor=request.user, spec=spec, upload=file, filename=file.name or ""
    )
    return Status(201, qc_documents.report_data(_report(report.pk)))


@router.get("/engineering/qc/reports/{report_id}", response=QcReportDetailOut)
def get_report(request: HttpRequest, report_id: Id):
    require(request, VIEW_ENGINEERING)
    return qc_documents.report_data(_report(report_id))


@router.get(
    "/engineering/qc/reports/{report_id}/pdf",
    summary="The report as PDF",
    openapi_extra=file_responses(FILE_TYPES["pdf"]),
)
def report_pdf(request: HttpRequest, report_id: Id) -> HttpResponse:
    require(request, VIEW_ENGINEERING)
    report = _report(report_id)
    response = HttpResponse(qc_documents.report_pdf(report), content_type="application/pdf")
    name = qc_documents.report_filename(report, "pdf")
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response


@router.post("/engineering/qc/reports/{report_id}/cancel", response=QcReportDetailOut)
def cancel_check(request: HttpRequest, report_id: Id):
    require(request, MANAGE_ENGINEERING)
    services.cancel_check(_report(report_id), actor=request.user)
    return qc_documents.report_data(_report(report_id))
