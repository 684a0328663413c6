"""API of a production's documents: list them with their versions, upload a document or
a new version (multipart), download any version, ask for a new version (and list the
documents awaiting one, as the coordinator's desk does)."""

import datetime
from typing import Literal

from django.db.models import prefetch_related_objects
from django.http import FileResponse, HttpRequest, HttpResponse
from ninja import Field, File, Form, Router
from ninja.files import UploadedFile

from postdesk.coordination import documents, queries
from postdesk.coordination.models import Document, DocumentVersion
from postdesk.core.apiutil import (
    Day,
    Id,
    InputSchema,
    OutSchema,
    file_responses,
    get_scoped,
    require,
    shown,
)
from postdesk.core.roles import MANAGE_DELIVERABLES, VIEW_DELIVERABLES

router = Router(tags=["coordination"])
INTERNAL = "Production documents"
# A Literal, not Document.Kind: another enum named Kind would share its OpenAPI component.
DocumentKind = Literal["contract", "script", "cue_sheet", "edl", "delivery_schedule", "paperwork"]


class VersionOut(OutSchema):
    id: int
    number: int
    filename: str
    content_type: str
    size: int
    sha256: str
    uploaded_at: datetime.datetime


class VersionRequestOut(OutSchema):
    requested_at: datetime.datetime
    requested_by: str | None
    reason: str
    wanted_by: datetime.date | None


class DocumentOut(OutSchema):
    id: int
    production: int
    kind: str
    title: str
    versions: list[VersionOut]
    version_request: VersionRequestOut | None = Field(
        None, description="A new version asked for, until one is uploaded"
    )


class VersionRequestIn(InputSchema):
    reason: str = Field(..., min_length=1, max_length=300)
    wanted_by: Day | None = None


def _version_row(v: DocumentVersion) -> dict:
    return {
        "id": v.pk,
        "number": v.number,
        "filename": v.filename,
        "content_type": v.content_type,
        "size": v.size,
        "sha256": v.sha256,
        "uploaded_at": v.uploaded_at,
    }


def _document_row(d: Document) -> dict:
    return {
        "id": d.pk,
        "production": d.production_id,
        "kind": d.kind,
        "title": d.title,
        "versions": [_version_row(v) for v in d.versions.all()],
        "version_request": None
        if d.version_requested_at is None
        else {
            "requested_at": d.version_requested_at,
            "requested_by": d.version_requested_by.display_name
            if d.version_requested_by_id
            else None,
            "reason": d.version_request_reason,
            "wanted_by": d.version_wanted_by,
        },
    }


def _document_out(pk: int, status: int = 200) -> HttpResponse:
    doc = (
        Document.objects.select_related("version_requested_by")
        .prefetch_related("versions")
        .get(pk=pk)
    )
    return shown(DocumentOut, _document_row(doc), status)


def _production(request, pk: int):
    return get_scoped(request, queries.productions_for(request.user), pk, None, "production")


@router.get("/productions/{production_id}/documents", response=list[DocumentOut])
def list_documents(request: HttpRequest, production_id: Id):
    require(request, VIEW_DELIVERABLES, internal=INTERNAL)
    production = _production(request, production_id)
    docs = (
        Document.objects.filter(production=production)
        .select_related("version_requested_by")
        .prefetch_related("versions")[:500]
    )
    return shown(list[DocumentOut], [_document_row(d) for d in docs])


@router.post("/productions/{production_id}/documents", response={201: DocumentOut})
def upload_document(
    request: HttpRequest,
    production_id: Id,
    kind: Form[DocumentKind],
    title: Form[str],
    file: File[UploadedFile],
):
    require(request, MANAGE_DELIVERABLES, internal=INTERNAL)
    version = documents.upload_document(
        production=_production(request, production_id),
        kind=kind,
        title=title,
        file=file,
        actor=request.user,
    )
    return _document_out(version.document_id, 201)


@router.post("/documents/{document_id}/versions", response={201: DocumentOut})
def add_version(request: HttpRequest, document_id: Id, file: File[UploadedFile]):
    require(request, MANAGE_DELIVERABLES, internal=INTERNAL)
    document = get_scoped(request, Document.objects.all(), document_id, None, "document")
    documents.add_version(document, file=file, actor=request.user)
    return _document_out(document.pk, 201)


@router.post("/documents/{document_id}/version-request", response=DocumentOut)
def request_version(request: HttpRequest, document_id: Id, payload: VersionRequestIn):
    require(request, MANAGE_DELIVERABLES, internal=INTERNAL)
    document = get_scoped(request, Document.objects.all(), document_id, None, "document")
    documents.request_version(document, actor=request.user, **payload.model_dump())
    return _document_out(document.pk)


@router.delete("/documents/{document_id}/version-request", response=DocumentOut)
def withdraw_request(request: HttpRequest, document_id: Id):
    require(request, MANAGE_DELIVERABLES, internal=INTERNAL)
    document = get_scoped(request, Document.objects.all(), document_id, None, "document")
    documents.withdraw_request(document, actor=request.user)
    return _document_out(document.pk)


@router.get("/documents-awaiting-version", response=list[DocumentOut])
def awaiting_versions(request: HttpRequest):
    """Every production's documents a new version is asked for, the soonest wanted first."""
    require(request, MANAGE_DELIVERABLES, internal=INTERNAL)
    docs = queries.awaiting_versions()
    prefetch_related_objects(docs, "versions")
    return shown(list[DocumentOut], [_document_row(d) for d in docs])


@router.get(
    "/document-versions/{version_id}/download",
    response={200: None},
    openapi_extra=file_responses(*sorted(set(documents.TYPES.values()))),
)
def download(request: HttpRequest, version_id: Id):
    require(request, VIEW_DELIVERABLES, internal=INTERNAL)
    version = get_scoped(
        request, DocumentVersion.objects.all(), version_id, None, "document version"
    )
    return FileResponse(
        version.file.open("rb"),
        as_attachment=True,
        filename=version.filename,
        content_type=version.content_type,
    )
