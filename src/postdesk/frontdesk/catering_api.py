"""API of catering: orders charged to jobs' sheets, and contacts' remembered preferences."""

import datetime
from decimal import Decimal
from typing import Literal

from django.http import HttpRequest
from ninja import Field, Query, Router

from postdesk.core.apiutil import (
    Day,
    Id,
    InputSchema,
    ListQuery,
    Money,
    OutSchema,
    Page,
    paged,
    require,
    shown,
)
from postdesk.core.errors import InvalidInput
from postdesk.core.roles import RUN_FRONT_OFFICE
from postdesk.frontdesk import catering, lists
from postdesk.frontdesk.visibility import CATERING_ORDER
from postdesk.productions.models import Contact, Job
from postdesk.scheduling.models import Booking

router = Router(tags=["frontdesk"])
Kind = Literal["drinks", "lunch", "other"]


class CateringOrderIn(InputSchema):
    job: Id | None = Field(None, description="The job (or give a booking)")
    booking: Id | None = Field(None, description="The session it is for")
    contact: Id | None = Field(None, description="The client contact: remembered for next time")
    kind: Kind = "drinks"
    items: str = Field(..., min_length=1, max_length=500)
    dietary: str = Field("", max_length=300)
    covers: int = Field(1, ge=1, le=catering.MAX_COVERS)
    supplier: str = Field(..., min_length=1, max_length=200)
    cost: Decimal = Field(..., ge=0, le=catering.MAX_COST, max_digits=10, decimal_places=2)
    service: str = Field(..., min_length=1, max_length=120, description="The rate card's service")


class CateringOrderOut(OutSchema):
    id: int
    job: int
    booking: int | None
    contact: int | None
    kind: Kind
    items: str
    dietary: str
    covers: int
    supplier: str
    service: str
    currency: str
    sheet: int | None
    ordered_at: datetime.datetime
    ordered_by: int
    cost: Money | None = Field(None, description="The supplier's cost: view_money staff only")
    charged: Money | None = Field(None, description="Net charged on the job sheet: view_money")


class CateringPreferenceOut(OutSchema):
    contact: int
    drinks: str
    dietary: str
    updated_at: datetime.datetime | None


class CateringQuery(ListQuery):
    job: Id | None = None
    booking: Id | None = None
    day: Day | None = None


def order_out(o) -> dict:
    return {
        "id": o.pk,
        "job": o.job_id,
        "booking": o.booking_id,
        "contact": o.contact_id,
        "kind": o.kind,
        "items": o.items,
        "dietary": o.dietary,
        "covers": o.covers,
        "supplier": o.supplier,
        "service": o.service,
        "currency": o.currency,
        "sheet": o.sheet_line.sheet_id if o.sheet_line_id else None,
        "ordered_at": o.ordered_at.isoformat(),
        "ordered_by": o.ordered_by_id,
        "cost": str(o.cost),
        "charged": str(o.sheet_line.net) if o.sheet_line_id else None,
    }


def _one(model, pk, field: str):
    if pk is None:
        return None
    found = (model.objects if hasattr(model, "objects") else model).filter(pk=pk).first()
    if found is None:
        raise InvalidInput.field(field, f"No {field} {pk}")
    return found


@router.get("/frontdesk/catering", response=Page[CateringOrderOut])
def list_orders(request: HttpRequest, query: Query[CateringQuery]):
    require(request, RUN_FRONT_OFFICE)
    strip = CATERING_ORDER.stripper(request.user)
    page = paged(lists.CATERING, catering.orders(), query, serialise=lambda o: strip(order_out(o)))
    return shown(Page[CateringOrderOut], page)


@router.post("/frontdesk/catering", response={201: CateringOrderOut})
def place_order(request: HttpRequest, payload: CateringOrderIn):
    """Order catering; it is charged to the job's sheet at the rate card's price."""
    require(request, RUN_FRONT_OFFICE)
    data = payload.model_dump(exclude={"job", "booking", "contact"})
    order = catering.place_order(
        actor=request.user,
        job=_one(Job.objects.select_related("client"), payload.job, "job"),
        booking=_one(Booking.objects.select_related("job__client"), payload.booking, "booking"),
        contact=_one(Contact, payload.contact, "contact"),
        **data,
    )
    order = catering.orders().get(pk=order.pk)
    return shown(CateringOrderOut, CATERING_ORDER.strip(request.user, order_out(order)), 201)


@router.get("/frontdesk/catering/preferences/{contact_id}", response=CateringPreferenceOut)
def preferences(request: HttpRequest, contact_id: Id):
    """What the contact took last time (empty when nothing is remembered)."""
    require(request, RUN_FRONT_OFFICE)
    pref = catering.preferences([contact_id]).get(contact_id)
    if pref is None:
        return {"contact": contact_id, "drinks": "", "dietary": "", "updated_at": None}
    return {
        "contact": contact_id,
        "drinks": pref.drinks,
        "dietary": pref.dietary,
        "updated_at": pref.updated_at,
    }
