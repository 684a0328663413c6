"""API of the front door's traffic: deliveries in, dispatches out, the day's log."""

import datetime
from typing import Annotated

from django.contrib.auth import get_user_model
from django.http import HttpRequest
from ninja import Field, Query, Router, Status

from postdesk.core.apiutil import Day, Id, InputSchema, ListQuery, OutSchema, Page, paged, require
from postdesk.core.errors import InvalidInput, NotFound
from postdesk.core.roles import DISPATCH_MEDIA
from postdesk.frontdesk import lists, traffic
from postdesk.library.models import Location, MediaItem
from postdesk.productions.models import Job

router = Router(tags=["frontdesk"])
Barcode = Annotated[str, Field(min_length=1, max_length=40)]


class TrafficMediaIn(InputSchema):
    barcode: str = Field("", max_length=40, description="Blank: a new LIB- number is given")
    title: str = Field("", max_length=200, description="For an item new to the library")
    kind: MediaItem.Kind | None = None
    format: MediaItem.Format | None = None
    generation: MediaItem.Generation | None = None


class TrafficDeliveryIn(InputSchema):
    courier: str = Field(..., min_length=1, max_length=100)
    description: str = Field(..., min_length=1, max_length=300, description="What it is")
    tracking: str = Field("", max_length=100)
    sender: str = Field("", max_length=200)
    recipient: Id | None = Field(None, description="The member of staff it is for")
    recipient_name: str = Field("", max_length=200, description="Or whom, by name")
    job: Id | None = None
    location: Id | None = Field(None, description="Where its media are put")
    media: list[TrafficMediaIn] = Field([], max_length=traffic.MAX_MEDIA)


class TrafficDispatchIn(InputSchema):
    items: str = Field(..., min_length=1, max_length=500)
    destination: str = Field(..., min_length=1, max_length=300)
    courier: str = Field(..., min_length=1, max_length=100)
    signed_for_by: str = Field(..., min_length=1, max_length=200)
    booking_reference: str = Field("", max_length=100)
    tracking: str = Field("", max_length=100)
    job: Id | None = None
    media: list[Barcode] = Field(
        [], max_length=traffic.MAX_MEDIA, description="Barcodes of library items"
    )


class TrafficDeliveryOut(OutSchema):
    id: int
    received_at: datetime.datetime
    courier: str
    tracking: str
    description: str
    sender: str
    recipient: int | None
    recipient_name: str
    job: int | None
    media: list[str]
    received_by: int


class TrafficDispatchOut(OutSchema):
    id: int
    dispatched_at: datetime.datetime
    items: str
    destination: str
    courier: str
    booking_reference: str
    tracking: str
    signed_for_by: str
    job: int | None
    media: list[str]
    dispatched_by: int


class TrafficDeliveryQuery(ListQuery):
    day: Day | None = Field(None, description="The facility's day (default: every day)")
    recipient: Id | None = None


class TrafficDispatchQuery(ListQuery):
    day: Day | None = None


def delivery_out(d) -> dict:
    return {
        "id": d.pk,
        "received_at": d.received_at,
        "courier": d.courier,
        "tracking": d.tracking,
        "description": d.description,
        "sender": d.sender,
        "recipient": d.recipient_id,
        "recipient_name": d.recipient_name,
        "job": d.job_id,
        "media": d.barcodes.split(),
        "received_by": d.received_by_id,
    }


def dispatch_out(d) -> dict:
    return {
        "id": d.pk,
        "dispatched_at": d.dispatched_at,
        "items": d.items,
        "destination": d.destination,
        "courier": d.courier,
        "booking_reference": d.booking_reference,
        "tracking": d.tracking,
        "signed_for_by": d.signed_for_by,
        "job": d.job_id,
        "media": d.barcodes.split(),
        "dispatched_by": d.dispatched_by_id,
    }


def _one(model, pk, field: str, label: str):
    if pk is None:
        return None
    found = model.objects.filter(pk=pk).first()
    if found is None:
        raise InvalidInput.field(field, f"No {label} {pk}")
    return found


@router.get("/frontdesk/deliveries", response=Page[TrafficDeliveryOut])
def list_deliveries(request: HttpRequest, query: Query[TrafficDeliveryQuery]):
    """The traffic log's deliveries, searchable (courier, tracking, what, for whom,
    barcodes), a day's with `day`."""
    require(request, DISPATCH_MEDIA)
    return paged(lists.DELIVERIES, traffic.deliveries(), query, serialise=delivery_out)


@router.post("/frontdesk/deliveries", response={201: TrafficDeliveryOut})
def record_delivery(request: HttpRequest, payload: TrafficDeliveryIn):
    """Log a delivery; its media are received into (or registered in) the library at
    `location`, and the recipient gets a message."""
    require(request, DISPATCH_MEDIA)
    data = payload.model_dump(exclude={"recipient", "job", "location", "media"})
    delivery = traffic.record_delivery(
        actor=request.user,
        recipient=_one(get_user_model(), payload.recipient, "recipient", "user"),
        job=_one(Job, payload.job, "job", "job"),
        location=_one(Location, payload.location, "location", "location"),
        media=[m.model_dump() for m in payload.media],
        **data,
    )
    return Status(201, delivery_out(delivery))


@router.get("/frontdesk/deliveries/{delivery_id}", response=TrafficDeliveryOut)
def get_delivery(request: HttpRequest, delivery_id: Id):
    require(request, DISPATCH_MEDIA)
    found = traffic.deliveries().filter(pk=delivery_id).first()
    if found is None:
        raise NotFound("No such delivery")
    return delivery_out(found)


@router.get("/frontdesk/dispatches", response=Page[TrafficDispatchOut])
def list_dispatches(request: HttpRequest, query: Query[TrafficDispatchQuery]):
    """The traffic log's dispatches, searchable, a day's with `day`."""
    require(request, DISPATCH_MEDIA)
    return paged(lists.DISPATCHES, traffic.dispatches(), query, serialise=dispatch_out)


@router.post("/frontdesk/dispatches", response={201: TrafficDispatchOut})
def record_dispatch(request: HttpRequest, payload: TrafficDispatchIn):
    """Log a dispatch; its media go into the courier's custody in the library."""
    require(request, DISPATCH_MEDIA)
    data = payload.model_dump(exclude={"job"})
    dispatch = traffic.record_dispatch(
        actor=request.user, job=_one(Job, payload.job, "job", "job"), **data
    )
    return Status(201, dispatch_out(dispatch))
