"""API of post coordination: deliverables (lists from templates, edits, the status
machine, the delivery record, media links, the CSV checklist), milestones and the
timeline, crew deal memos and the supervisor's desk.

Client users see their own productions' deliverables and milestones (scope_to_client)
without the facility's owners and notes (coordination/visibility.py)."""

import datetime
from decimal import Decimal
from typing import Literal

from django.http import HttpRequest, HttpResponse
from ninja import Field, Query, Router

from postdesk.coordination import catalogue, crew_services, lists, queries, services
from postdesk.coordination.models import DealMemo, Deliverable, Milestone
from postdesk.coordination.visibility import DEAL_MEMO, DELIVERABLE, MILESTONE
from postdesk.core.apiutil import (
    Day,
    Id,
    InputSchema,
    Instant,
    ListQuery,
    Money,
    OutSchema,
    Page,
    file_responses,
    get_scoped,
    paged,
    require,
    shown,
)
from postdesk.core.errors import InvalidInput, NotFound
from postdesk.core.models import User
from postdesk.core.roles import (
    MANAGE_DELIVERABLES,
    SUPERVISE_POST,
    VIEW_DELIVERABLES,
    VIEW_MONEY,
)
from postdesk.engineering.models import QcReport
from postdesk.library.models import MediaItem
from postdesk.productions.models import Job
from postdesk.scheduling.models import Resource

router = Router(tags=["coordination"])

STAFF_ONLY = "Shown to the facility's staff only"
COSTS_ONLY = "Shown to staff with view_money only"
MAX_MEDIA_LINKS = 50
# Literals, not the models' TextChoices: two enums of one class name (Status, Kind) would
# share one OpenAPI component, and the second would overwrite the first.
MilestoneKind = Literal["turnover", "picture_lock", "online", "grade", "mix", "qc", "delivery"]
MemoStatus = Literal["offered", "accepted", "contracted", "withdrawn"]
Method = Literal["courier", "file_transfer"]
DeliverableStatus = Literal[
    "not_started", "in_progress", "in_qc", "delivered", "accepted", "rejected"
]


# --- schemas ------------------------------------------------------------------------------


class DeliverableOut(OutSchema):
    id: int
    production: int
    production_title: str
    name: str
    spec: str
    template: str
    position: int
    due: datetime.date | None
    owner: str | None = Field(None, description=STAFF_ONLY)
    owner_id: int | None = Field(None, description=STAFF_ONLY)
    status: DeliverableStatus
    flag: Literal["", "overdue", "at_risk"]
    rejection_reason: str
    delivered_to: str
    delivered_at: datetime.datetime | None
    method: str
    courier: str
    reference: str
    accepted_by: str
    accepted_at: datetime.datetime | None
    notes: str | None = Field(None, description=STAFF_ONLY)
    qc_report: int | None = Field(None, description=f"The engineering QC report. {STAFF_ONLY}")
    qc_state: str | None = Field(None, description=STAFF_ONLY)
    qc_verdict: Literal["pass", "warn", "fail"] | None = Field(None, description=STAFF_ONLY)
    cost: Money | None = Field(None, description=COSTS_ONLY)
    cost_currency: str | None = Field(None, description=COSTS_ONLY)
    version: int


class DeliverableQuery(ListQuery):
    production: Id | None = None
    status: DeliverableStatus | None = None


class FromTemplateIn(InputSchema):
    production: Id
    template: str = Field(..., min_length=1, max_length=40)
    due: Day | None = None
    owner: Id | None = None


class DeliverableIn(InputSchema):
    production: Id
    name: str = Field(..., min_length=1, max_length=200)
    spec: str = Field("", max_length=300)
    due: Day | None = None
    owner: Id | None = None
    notes: str = Field("", max_length=5000)


class DeliverablePatch(InputSchema):
    name: str | None = Field(None, min_length=1, max_length=200)
    spec: str | None = Field(None, max_length=300)
    due: Day | None = None
    owner: Id | None = None
    notes: str | None = Field(None, max_length=5000)


class DeliverIn(InputSchema):
    delivered_to: str = Field(..., min_length=1, max_length=200)
    method: Method
    reference: str = Field(..., min_length=1, max_length=200)
    courier: str = Field("", max_length=100)
    delivered_at: Instant | None = None


class AcceptIn(InputSchema):
    accepted_by: str = Field(..., min_length=1, max_length=200)


class RejectIn(InputSchema):
    reason: str = Field(..., min_length=1, max_length=500)


class MediaIn(InputSchema):
    media_items: list[Id] = Field(..., max_length=MAX_MEDIA_LINKS)


class QcLinkIn(InputSchema):
    qc_report: Id | None = Field(..., description="The report's id; null unlinks it")


class CostIn(InputSchema):
    cost: Decimal | None = Field(
        ..., ge=0, max_digits=12, decimal_places=2, description="In the client's currency"
    )


class TemplateItemOut(OutSchema):
    name: str
    spec: str


class TemplateOut(OutSchema):
    key: str
    label: str
    items: list[TemplateItemOut]


class LateBookingOut(OutSchema):
    id: int
    job: str
    work_type: str
    status: str
    start: datetime.datetime
    end: datetime.datetime


class MilestoneOut(OutSchema):
    id: int
    production: int
    kind: MilestoneKind
    label: str
    planned: datetime.date
    revised: datetime.date | None
    actual: datetime.date | None
    current: datetime.date
    slipped: bool
    late_bookings: list[LateBookingOut]
    notes: str | None = Field(None, description=STAFF_ONLY)


class MilestoneIn(InputSchema):
    planned: Day
    revised: Day | None = None
    actual: Day | None = None
    notes: str = Field("", max_length=300)


class DealMemoOut(OutSchema):
    id: int
    production: int
    production_title: str
    job: int
    person: int
    person_name: str
    role: str
    start: datetime.date
    end: datetime.date
    day_rate: Money | None = Field(None, description=COSTS_ONLY)
    currency: str
    overtime_terms: str | None = Field(None, description=COSTS_ONLY)
    status: MemoStatus
    booking: int | None


class DealMemoQuery(ListQuery):
    production: Id | None = None
    status: MemoStatus | None = None


class DealMemoIn(InputSchema):
    production: Id
    job: Id
    person: Id
    role: str = Field(..., min_length=1, max_length=100)
    start: Day
    end: Day
    day_rate: Decimal = Field(..., ge=0, max_digits=10, decimal_places=2)
    currency: Literal["GBP", "EUR", "USD", "CAD", "AUD", "CHF", "JPY"] = "GBP"
    overtime_terms: str = Field("", max_length=300)


class DeskMoneyOut(OutSchema):
    production: int
    title: str
    currency: str
    budget: Money | None
    actual: Money
    variance: Money | None
    other_currencies: list[str]


class DeskPencilOut(OutSchema):
    id: int
    start: datetime.datetime
    end: datetime.datetime
    title: str
    job__number: str
    job__production__title: str


class DeskQuoteOut(OutSchema):
    id: int
    version: int
    net: Money
    currency: str
    job__number: str
    job__production__title: str


class DeskProductionOut(OutSchema):
    id: int
    title: str
    client: str


class DeskMilestoneOut(MilestoneOut):
    production_title: str


class SupervisorDeskOut(OutSchema):
    on: datetime.date
    week_start: datetime.date
    limit: int = Field(..., description="The most rows each section lists")
    productions: list[DeskProductionOut]
    milestones: list[DeskMilestoneOut]
    at_risk: list[DeliverableOut]
    pencils: list[DeskPencilOut]
    quotes: list[DeskQuoteOut]
    money: list[DeskMoneyOut]
    hires: list[DealMemoOut]


# --- helpers ------------------------------------------------------------------------------


def _production(request, pk: int):
    return get_scoped(request, queries.productions_for(request.user), pk, None, "production")


def _deliverable(request, pk: int) -> Deliverable:
    return get_scoped(request, queries.deliverables_for(request.user), pk, None, "deliverable")


def _owner(pk: int | None):
    if pk is None:
        return None
    user = User.objects.filter(pk=pk).first()
    if user is None:
        raise InvalidInput.field("owner", f"No user with id {pk}")
    return user


def _deliverable_out(request, item: Deliverable, status: int = 200) -> HttpResponse:
    item = queries.deliverables_for(request.user).get(pk=item.pk)
    data = DELIVERABLE.strip(request.user, queries.deliverable_row(item, queries.today()))
    return shown(DeliverableOut, data, status)


# --- deliverables -------------------------------------------------------------------------


@router.get("/deliverable-templates", response=list[TemplateOut])
def list_templates(request: HttpRequest):
    require(request, VIEW_DELIVERABLES)
    data = [{"key": k, **t} for k, t in catalogue.templates().items()]
    return shown(list[TemplateOut], data)


@router.get("/deliverables", response=Page[DeliverableOut])
def list_deliverables(request: HttpRequest, query: Query[DeliverableQuery]):
    require(request, VIEW_DELIVERABLES)
    on = queries.today()
    strip = DELIVERABLE.stripper(request.user)
    page = paged(
        lists.DELIVERABLES,
        queries.deliverables_for(request.user),
        query,
        serialise=lambda d: strip(queries.deliverable_row(d, on)),
    )
    return shown(Page[DeliverableOut], page)


@router.post("/deliverables/from-template", response={201: list[DeliverableOut]})
def create_from_template(request: HttpRequest, payload: FromTemplateIn):
    require(request, MANAGE_DELIVERABLES, internal="Deliverables lists")
    created = services.create_from_template(
        production=_production(request, payload.production),
        template=payload.template,
        due=payload.due,
        owner=_owner(payload.owner),
        actor=request.user,
    )
    on = queries.today()
    return shown(list[DeliverableOut], [queries.deliverable_row(d, on) for d in created], 201)


@router.post("/deliverables", response={201: DeliverableOut})
def add_deliverable(request: HttpRequest, payload: DeliverableIn):
    require(request, MANAGE_DELIVERABLES, internal="Deliverables lists")
    data = payload.model_dump()
    item = services.add_deliverable(
        production=_production(request, data.pop("production")),
        owner=_owner(data.pop("owner")),
        actor=request.user,
        **data,
    )
    return _deliverable_out(request, item, 201)


@router.get("/deliverables/{deliverable_id}", response=DeliverableOut)
def get_deliverable(request: HttpRequest, deliverable_id: Id):
    require(request, VIEW_DELIVERABLES)
    return _deliverable_out(request, _deliverable(request, deliverable_id))


@router.patch("/deliverables/{deliverable_id}", response=DeliverableOut)
def update_deliverable(request: HttpRequest, deliverable_id: Id, payload: DeliverablePatch):
    require(request, MANAGE_DELIVERABLES, internal="Deliverables lists")
    changes = payload.model_dump(exclude_unset=True)
    for field in ("name", "spec", "notes"):
        if field in changes and changes[field] is None:
            raise InvalidInput.field(field, f"{field} cannot be null; leave it out to keep it")
    if "owner" in changes:
        changes["owner"] = _owner(changes["owner"])
    item = services.update_deliverable(
        _deliverable(request, deliverable_id), actor=request.user, **changes
    )
    return _deliverable_out(request, item)


@router.delete("/deliverables/{deliverable_id}", response={204: None})
def remove_deliverable(request: HttpRequest, deliverable_id: Id):
    require(request, MANAGE_DELIVERABLES, internal="Deliverables lists")
    services.remove_deliverable(_deliverable(request, deliverable_id), actor=request.user)
    return HttpResponse(status=204)


def _transition(name: str, call):
    @router.post(
        f"/deliverables/{{deliverable_id}}/{name}",
        response=DeliverableOut,
        operation_id=f"deliverable_{name.replace('-', '_')}",
    )
    def move(request: HttpRequest, deliverable_id: Id):
        require(request, MANAGE_DELIVERABLES, internal="Deliverables")
        item = call(_deliverable(request, deliverable_id), actor=request.user)
        return _deliverable_out(request, item)

    return move


start = _transition("start", services.start_deliverable)
send_to_qc = _transition("send-to-qc", services.send_to_qc)
fail_qc = _transition("fail-qc", services.fail_qc)


@router.post("/deliverables/{deliverable_id}/deliver", response=DeliverableOut)
def deliver(request: HttpRequest, deliverable_id: Id, payload: DeliverIn):
    require(request, MANAGE_DELIVERABLES, internal="Deliverables")
    item = services.deliver(
        _deliverable(request, deliverable_id), actor=request.user, **payload.model_dump()
    )
    return _deliverable_out(request, item)


@router.post("/deliverables/{deliverable_id}/accept", response=DeliverableOut)
def accept(request: HttpRequest, deliverable_id: Id, payload: AcceptIn):
    require(request, MANAGE_DELIVERABLES, internal="Deliverables")
    item = services.accept_deliverable(
        _deliverable(request, deliverable_id), actor=request.user, **payload.model_dump()
    )
    return _deliverable_out(request, item)


@router.post("/deliverables/{deliverable_id}/reject", response=DeliverableOut)
def reject(request: HttpRequest, deliverable_id: Id, payload: RejectIn):
    require(request, MANAGE_DELIVERABLES, internal="Deliverables")
    item = services.reject_deliverable(
        _deliverable(request, deliverable_id), actor=request.user, **payload.model_dump()
    )
    return _deliverable_out(request, item)


@router.put("/deliverables/{deliverable_id}/media", response=DeliverableOut)
def link_media(request: HttpRequest, deliverable_id: Id, payload: MediaIn):
    require(request, MANAGE_DELIVERABLES, internal="Deliverables")
    ids = sorted(set(payload.media_items))
    found = list(MediaItem.objects.filter(pk__in=ids))
    missing = sorted(set(ids) - {m.pk for m in found})
    if missing:
        raise InvalidInput.field("media_items", f"No media items {missing}")
    item = services.link_media(
        _deliverable(request, deliverable_id), media_items=found, actor=request.user
    )
    return _deliverable_out(request, item)


@router.put("/deliverables/{deliverable_id}/qc-report", response=DeliverableOut)
def link_qc_report(request: HttpRequest, deliverable_id: Id, payload: QcLinkIn):
    require(request, MANAGE_DELIVERABLES, internal="Deliverables")
    report = None
    if payload.qc_report is not None:
        report = QcReport.objects.filter(pk=payload.qc_report).first()
        if report is None:
            raise InvalidInput.field("qc_report", f"No QC report with id {payload.qc_report}")
    item = services.link_qc_report(
        _deliverable(request, deliverable_id), report=report, actor=request.user
    )
    return _deliverable_out(request, item)


@router.put("/deliverables/{deliverable_id}/cost", response=DeliverableOut)
def set_cost(request: HttpRequest, deliverable_id: Id, payload: CostIn):
    require(request, MANAGE_DELIVERABLES, internal="Deliverables")
    require(request, VIEW_MONEY, internal="Costs")
    item = services.set_cost(
        _deliverable(request, deliverable_id), cost=payload.cost, actor=request.user
    )
    return _deliverable_out(request, item)


@router.get(
    "/productions/{production_id}/delivery-checklist.csv",
    response={200: None},
    openapi_extra=file_responses("text/csv"),
)
def checklist_csv(request: HttpRequest, production_id: Id):
    require(request, VIEW_DELIVERABLES)
    production = _production(request, production_id)
    response = HttpResponse(
        queries.checklist_csv(production, queries.today()), content_type="text/csv"
    )
    response["Content-Disposition"] = f'attachment; filename="deliverables-{production.pk}.csv"'
    return response


# --- milestones ---------------------------------------------------------------------------


@router.get("/productions/{production_id}/milestones", response=list[MilestoneOut])
def timeline(request: HttpRequest, production_id: Id):
    require(request, VIEW_DELIVERABLES)
    strip = MILESTONE.stripper(request.user)
    rows = [strip(r) for r in queries.timeline(_production(request, production_id))]
    return shown(list[MilestoneOut], rows)


@router.put("/productions/{production_id}/milestones/{kind}", response=MilestoneOut)
def set_milestone(
    request: HttpRequest, production_id: Id, kind: MilestoneKind, payload: MilestoneIn
):
    require(request, MANAGE_DELIVERABLES, internal="Post schedules")
    production = _production(request, production_id)
    services.set_milestone(
        production=production, kind=kind, actor=request.user, **payload.model_dump()
    )
    row = next(r for r in queries.timeline(production) if r["kind"] == kind)
    return shown(MilestoneOut, row)


@router.delete("/productions/{production_id}/milestones/{kind}", response={204: None})
def remove_milestone(request: HttpRequest, production_id: Id, kind: MilestoneKind):
    require(request, MANAGE_DELIVERABLES, internal="Post schedules")
    production = _production(request, production_id)
    milestone = Milestone.objects.filter(production=production, kind=kind).first()
    if milestone is None:
        raise NotFound(f"{production.title} has no {Milestone.Kind(kind).label} milestone")
    services.remove_milestone(milestone, actor=request.user)
    return HttpResponse(status=204)


# --- crew deal memos ----------------------------------------------------------------------


def _memo(request, pk: int) -> DealMemo:
    return get_scoped(
        request,
        DealMemo.objects.select_related("production", "person"),
        pk,
        None,
        "deal memo",
    )


def _memo_out(request, memo: DealMemo, status: int = 200) -> HttpResponse:
    memo = DealMemo.objects.select_related("production", "person").get(pk=memo.pk)
    return shown(DealMemoOut, DEAL_MEMO.strip(request.user, queries.memo_row(memo)), status)


@router.get("/deal-memos", response=Page[DealMemoOut])
def list_memos(request: HttpRequest, query: Query[DealMemoQuery]):
    require(request, SUPERVISE_POST, internal="Deal memos")
    strip = DEAL_MEMO.stripper(request.user)
    qs = DealMemo.objects.select_related("production", "person")
    page = paged(lists.DEAL_MEMOS, qs, query, serialise=lambda m: strip(queries.memo_row(m)))
    return shown(Page[DealMemoOut], page)


@router.post("/deal-memos", response={201: DealMemoOut})
def offer_memo(request: HttpRequest, payload: DealMemoIn):
    require(request, SUPERVISE_POST, internal="Deal memos")
    data = payload.model_dump()
    production = _production(request, data.pop("production"))
    job = Job.objects.filter(pk=data.pop("job")).first()
    if job is None:
        raise InvalidInput.field("job", "No such job")
    person = Resource.objects.filter(pk=data.pop("person")).first()
    if person is None:
        raise InvalidInput.field("person", "No such resource")
    memo = crew_services.offer_memo(
        production=production, job=job, person=person, actor=request.user, **data
    )
    return _memo_out(request, memo, 201)


@router.get("/deal-memos/{memo_id}", response=DealMemoOut)
def get_memo(request: HttpRequest, memo_id: Id):
    require(request, SUPERVISE_POST, internal="Deal memos")
    return _memo_out(request, _memo(request, memo_id))


def _memo_transition(name: str, call):
    @router.post(
        f"/deal-memos/{{memo_id}}/{name}", response=DealMemoOut, operation_id=f"memo_{name}"
    )
    def move(request: HttpRequest, memo_id: Id):
        require(request, SUPERVISE_POST, internal="Deal memos")
        return _memo_out(request, call(_memo(request, memo_id), actor=request.user))

    return move


accept_memo = _memo_transition("accept", crew_services.accept_memo)
contract_memo = _memo_transition("contract", crew_services.contract_memo)
withdraw_memo = _memo_transition("withdraw", crew_services.withdraw_memo)


# --- the supervisor's desk ----------------------------------------------------------------


@router.get("/supervisor-desk", response=SupervisorDeskOut)
def supervisor_desk(request: HttpRequest):
    require(request, SUPERVISE_POST, internal="The supervisor's desk")
    desk = queries.supervisor_desk(request.user)
    return shown(SupervisorDeskOut, desk)
