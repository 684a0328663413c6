"""API for destruction requests (request, approve or reject, record it done, the
certificate) and archive research requests (who wants what footage, its state, the items
found)."""

import datetime

from django.http import HttpRequest
from ninja import Field, Query, Router

from postdesk.core.apiutil import (
    Day,
    Id,
    InputSchema,
    ModelOutSchema,
    Page,
    QuerySchema,
    changed_fields,
    get_scoped,
    json_response,
    paged,
    require,
)
from postdesk.core.errors import InvalidInput
from postdesk.core.roles import APPROVE_DESTRUCTION, MANAGE_LIBRARY, VIEW_MEDIA, scope_to_client
from postdesk.library import lists, services
from postdesk.library.models import DestructionRequest, MediaItem, ResearchRequest
from postdesk.library.services.research import MAX_ITEMS as MAX_RESEARCH_ITEMS
from postdesk.library.visibility import RESEARCH_REQUEST
from postdesk.productions.models import Production

router = Router(tags=["library"])

MAX_ITEMS = 500


def _items_input(request, ids: list[int], field: str = "items") -> list[MediaItem]:
    wanted = set(ids)
    items = list(
        scope_to_client(request.user, MediaItem.objects.all(), "client").filter(pk__in=wanted)
    )
    if len(items) != len(wanted):
        missing = sorted(wanted - {i.pk for i in items})
        raise InvalidInput.field(field, f"No media items with ids {missing[:10]}")
    return items


class MediaRefOut(ModelOutSchema):
    id: int
    barcode: str
    title: str


class RecordListQuery(QuerySchema):
    page: int = 1
    page_size: int | None = None


# --- destruction ------------------------------------------------------------------------


class DestructionOut(ModelOutSchema):
    id: int
    status: str
    method: str
    reason: str
    items: list[MediaRefOut]
    requested_by: int = Field(..., alias="requested_by_id")
    requested_at: datetime.datetime
    approved_by: int | None = Field(None, alias="approved_by_id")
    approved_at: datetime.datetime | None
    rejection_reason: str
    client_signoff_name: str
    client_signoff_date: datetime.date | None
    witness: str
    destroyed_at: datetime.datetime | None
    certificate_number: int | None
    certificate_url: str | None = Field(None, description="The PDF, once done")


class DestructionQuery(RecordListQuery):
    status: DestructionRequest.Status | None = None


def _destructions():
    return DestructionRequest.objects.prefetch_related("items")


def _destruction_out(req: DestructionRequest) -> dict:
    """The request as DestructionOut reads it from the model (keys its field names, as
    the API answers them), its items in barcode order and the certificate once done."""
    from django.urls import reverse

    data = DestructionOut.from_orm(req).model_dump()
    data["items"] = [
        {"id": i.pk, "barcode": i.barcode, "title": i.title}
        for i in sorted(req.items.all(), key=lambda i: i.barcode)
    ]
    if req.status == DestructionRequest.Status.DONE:
        data["certificate_url"] = reverse("library:destruction-certificate", args=[req.pk])
    return data


def _destruction(request, pk: int) -> DestructionRequest:
    return get_scoped(request, _destructions(), pk, None, "destruction request")


@router.get("/destructions", response=Page[DestructionOut])
def list_destructions(request: HttpRequest, query: Query[DestructionQuery]):
    require(request, MANAGE_LIBRARY)
    # Each row was read through DestructionOut on its way from the model.
    return json_response(
        paged(lists.DESTRUCTIONS, _destructions(), query, serialise=_destruction_out)
    )


class DestructionIn(InputSchema):
    items: list[Id] = Field(..., min_length=1, max_length=MAX_ITEMS)
    method: DestructionRequest.Method
    reason: str = Field(..., min_length=1, max_length=500)


@router.post("/destructions", response={201: DestructionOut})
def request_destruction(request: HttpRequest, payload: DestructionIn):
    require(request, MANAGE_LIBRARY)
    req = services.request_destruction(
        _items_input(request, payload.items),
        method=payload.method,
        reason=payload.reason,
        actor=request.user,
    )
    return json_response(_destruction_out(_destructions().get(pk=req.pk)), 201)


@router.get("/destructions/{destruction_id}", response=DestructionOut)
def get_destruction(request: HttpRequest, destruction_id: Id):
    require(request, MANAGE_LIBRARY)
    return json_response(_destruction_out(_destruction(request, destruction_id)))


class DestructionApproveIn(InputSchema):
    client_signoff_name: str = Field(..., min_length=1, max_length=200)
    client_signoff_date: Day


@router.post("/destructions/{destruction_id}/approve", response=DestructionOut)
def approve_destruction(request: HttpRequest, destruction_id: Id, payload: DestructionApproveIn):
    require(request, APPROVE_DESTRUCTION)
    req = services.approve_destruction(
        _destruction(request, destruction_id), actor=request.user, **payload.model_dump()
    )
    return json_response(_destruction_out(_destructions().get(pk=req.pk)))


class DestructionRejectIn(InputSchema):
    reason: str = Field(..., min_length=1, max_length=500)


@router.post("/destructions/{destruction_id}/reject", response=DestructionOut)
def reject_destruction(request: HttpRequest, destruction_id: Id, payload: DestructionRejectIn):
    require(request, APPROVE_DESTRUCTION)
    req = services.reject_destruction(
        _destruction(request, destruction_id), reason=payload.reason, actor=request.user
    )
    return json_response(_destruction_out(_destructions().get(pk=req.pk)))


class DestructionDoneIn(InputSchema):
    witness: str = Field(..., min_length=1, max_length=200)


@router.post("/destructions/{destruction_id}/done", response=DestructionOut)
def record_destruction(request: HttpRequest, destruction_id: Id, payload: DestructionDoneIn):
    require(request, MANAGE_LIBRARY)
    req = services.complete_destruction(
        _destruction(request, destruction_id), witness=payload.witness, actor=request.user
    )
    return json_response(_destruction_out(_destructions().get(pk=req.pk)))


# --- research requests ------------------------------------------------------------------


class ResearchOut(ModelOutSchema):
    id: int
    requested_by: str
    production: int | None = Field(None, alias="production_id")
    wanted: str
    wanted_by: datetime.date | None
    status: str
    items: list[MediaRefOut]
    notes: str | None = Field(None, description="Shown to the facility's staff only")
    created_at: datetime.datetime


class ResearchQuery(RecordListQuery):
    status: ResearchRequest.Status | None = None
    production: Id | None = None


def _research():
    return ResearchRequest.objects.prefetch_related("items")


def _research_out(req: ResearchRequest, user) -> dict:
    """The request as ResearchOut, without what the reader may not see (through
    json_response, so that a stripped field is absent, not null)."""
    data = RESEARCH_REQUEST.strip(user, ResearchOut.from_orm(req).model_dump())
    data["items"] = [
        {"id": i.pk, "barcode": i.barcode, "title": i.title}
        for i in sorted(req.items.all(), key=lambda i: i.barcode)
    ]
    return data


def _research_request(request, pk: int) -> ResearchRequest:
    return get_scoped(request, _research(), pk, "production__client", "research request")


@router.get("/research-requests", response=Page[ResearchOut])
def list_research(request: HttpRequest, query: Query[ResearchQuery]):
    require(request, VIEW_MEDIA)
    qs = scope_to_client(request.user, _research(), "production__client")
    return json_response(
        paged(lists.RESEARCH, qs, query, serialise=lambda req: _research_out(req, request.user))
    )


class ResearchIn(InputSchema):
    requested_by: str = Field(..., min_length=1, max_length=200)
    production: Id | None = None
    wanted: str = Field(..., min_length=1, max_length=5000)
    wanted_by: Day | None = None
    notes: str = Field("", max_length=5000)


@router.post("/research-requests", response={201: ResearchOut})
def create_research(request: HttpRequest, payload: ResearchIn):
    require(request, MANAGE_LIBRARY)
    data = payload.model_dump()
    if data["production"] is not None:
        production = Production.objects.filter(pk=data["production"]).first()
        if production is None:
            raise InvalidInput.field("production", f"No production with id {data['production']}")
        data["production"] = production
    req = services.create_research_request(actor=request.user, **data)
    return json_response(_research_out(_research().get(pk=req.pk), request.user), 201)


@router.get("/research-requests/{research_id}", response=ResearchOut)
def get_research(request: HttpRequest, research_id: Id):
    require(request, VIEW_MEDIA)
    return json_response(_research_out(_research_request(request, research_id), request.user))


class ResearchPatch(InputSchema):
    requested_by: str | None = Field(None, min_length=1, max_length=200)
    wanted: str | None = Field(None, min_length=1, max_length=5000)
    wanted_by: Day | None = None
    notes: str | None = Field(None, max_length=5000)


@router.patch("/research-requests/{research_id}", response=ResearchOut)
def update_research(request: HttpRequest, research_id: Id, payload: ResearchPatch):
    require(request, MANAGE_LIBRARY)
    req = services.update_research_request(
        _research_request(request, research_id), actor=request.user, **changed_fields(payload)
    )
    return json_response(_research_out(_research().get(pk=req.pk), request.user))


class ResearchStatusIn(InputSchema):
    status: ResearchRequest.Status
    note: str = Field("", max_length=500)


@router.post("/research-requests/{research_id}/status", response=ResearchOut)
def research_status(request: HttpRequest, research_id: Id, payload: ResearchStatusIn):
    """Open › searching › found › delivered › closed (with the steps back the library's
    rules allow); a refused step is a 409."""
    require(request, MANAGE_LIBRARY)
    req = services.transition_research_request(
        _research_request(request, research_id),
        payload.status,
        note=payload.note,
        actor=request.user,
    )
    return json_response(_research_out(_research().get(pk=req.pk), request.user))


class ResearchItemsIn(InputSchema):
    items: list[Id] = Field(..., min_length=1, max_length=MAX_RESEARCH_ITEMS)


@router.post("/research-requests/{research_id}/items", response=ResearchOut)
def link_research_items(request: HttpRequest, research_id: Id, payload: ResearchItemsIn):
    """Link the items found to the request."""
    require(request, MANAGE_LIBRARY)
    req = services.link_research_items(
        _research_request(request, research_id),
        _items_input(request, payload.items),
        actor=request.user,
    )
    return json_response(_research_out(_research().get(pk=req.pk), request.user))


@router.post("/research-requests/{research_id}/items/unlink", response=ResearchOut)
def unlink_research_items(request: HttpRequest, research_id: Id, payload: ResearchItemsIn):
    """Unlink items that turned out not to be what was wanted."""
    require(request, MANAGE_LIBRARY)
    req = services.unlink_research_items(
        _research_request(request, research_id),
        _items_input(request, payload.items),
        actor=request.user,
    )
    return json_response(_research_out(_research().get(pk=req.pk), request.user))
