"""API of the supplies: stock items, a quick decrement, receiving stock, the shopping list."""

import datetime

from django.http import HttpRequest
from ninja import Field, Query, Router, Status

from postdesk.core.apiutil import Id, InputSchema, ListQuery, OutSchema, Page, paged, require
from postdesk.core.roles import RUN_FRONT_OFFICE, USE_RUNNER_BOARD
from postdesk.frontdesk import lists, supplies
from postdesk.frontdesk.models import StockItem

router = Router(tags=["frontdesk"])


class StockItemIn(InputSchema):
    name: str = Field(..., min_length=1, max_length=120)
    unit: str = Field("each", min_length=1, max_length=20)
    quantity: int = Field(0, ge=0, le=supplies.MAX_QUANTITY)
    reorder_level: int = Field(0, ge=0, le=supplies.MAX_QUANTITY)
    supplier: str = Field("", max_length=200)


class StockAmountIn(InputSchema):
    amount: int = Field(1, ge=1, le=supplies.MAX_QUANTITY)


class StockItemOut(OutSchema):
    id: int
    name: str
    unit: str
    quantity: int
    reorder_level: int
    supplier: str
    to_buy: bool
    updated_at: datetime.datetime


class StockQuery(ListQuery):
    to_buy: bool | None = Field(None, description="Only the shopping list")


def stock_out(item: StockItem) -> dict:
    return {
        "id": item.pk,
        "name": item.name,
        "unit": item.unit,
        "quantity": item.quantity,
        "reorder_level": item.reorder_level,
        "supplier": item.supplier,
        "to_buy": item.quantity <= item.reorder_level,
        "updated_at": item.updated_at,
    }


@router.get("/frontdesk/supplies", response=Page[StockItemOut])
def list_supplies(request: HttpRequest, query: Query[StockQuery]):
    """The stock; `to_buy=true` is the shopping list (at or below the reorder level)."""
    require(request, USE_RUNNER_BOARD)
    return paged(lists.SUPPLIES, StockItem.objects.all(), query, serialise=stock_out)


@router.post("/frontdesk/supplies", response={201: StockItemOut})
def add_item(request: HttpRequest, payload: StockItemIn):
    require(request, RUN_FRONT_OFFICE)
    return Status(
        201, stock_out(supplies.add_stock_item(actor=request.user, **payload.model_dump()))
    )


@router.post("/frontdesk/supplies/{item_id}/use", response=StockItemOut)
def use(request: HttpRequest, item_id: Id, payload: StockAmountIn):
    """A quick decrement; more than is left is a 409."""
    require(request, USE_RUNNER_BOARD)
    return stock_out(supplies.use_stock(item_id, actor=request.user, amount=payload.amount))


@router.post("/frontdesk/supplies/{item_id}/receive", response=StockItemOut)
def receive(request: HttpRequest, item_id: Id, payload: StockAmountIn):
    require(request, RUN_FRONT_OFFICE)
    return stock_out(supplies.receive_stock(item_id, actor=request.user, amount=payload.amount))
