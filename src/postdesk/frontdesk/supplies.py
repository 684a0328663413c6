"""Supplies: stock items the front office keeps. Using one is a quick decrement (any
member of staff: the runner who takes the last milk); receiving stock adds to it; the
shopping list is every item at or below its reorder level. Each change of quantity is one
conditional UPDATE, so two people taking the last one at once cannot take it twice."""

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from postdesk.core import audit
from postdesk.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from postdesk.core.models import AuditEntry
from postdesk.core.roles import RUN_FRONT_OFFICE, USE_RUNNER_BOARD, can
from postdesk.frontdesk.models import StockItem

MAX_QUANTITY = 1_000_000


def _need(actor, capability: str, what: str) -> None:
    if not can(actor, capability):
        raise Forbidden(f"Your role may not {what}", details={"needs": capability})


def _count(field: str, value, *, least: int = 0) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not least <= value <= MAX_QUANTITY:
        raise InvalidInput.field(field, f"{field} is a whole number from {least} to {MAX_QUANTITY}")
    return value


def _text(field: str, value, limit: int, *, required: bool = False) -> str:
    value = value.strip() if isinstance(value, str) else value
    if not isinstance(value, str) or "\x00" in value:
        raise InvalidInput.field(field, f"{field} must be plain text")
    if len(value) > limit or (required and not value):
        raise InvalidInput.field(field, f"{field} is 1 to {limit} characters")
    return value


@transaction.atomic
def add_stock_item(
    *, actor, name: str, unit: str = "each", quantity: int = 0, reorder_level: int = 0, supplier=""
) -> StockItem:
    _need(actor, RUN_FRONT_OFFICE, "keep the supplies")
    item = StockItem(
        name=_text("name", name, 120, required=True),
        unit=_text("unit", unit, 20, required=True),
        quantity=_count("quantity", quantity),
        reorder_level=_count("reorder_level", reorder_level),
        supplier=_text("supplier", supplier, 200),
        updated_at=timezone.now(),
    )
    try:
        with transaction.atomic():
            item.save()
    except IntegrityError as exc:
        raise Conflict(f"There is a stock item called {item.name} already") from exc
    audit.record_create(actor, item, summary=f"Stock item {item.name}")
    return item


def _change(item_id: int, *, actor, delta: int, rows, verb: str) -> StockItem:
    changed = rows.update(quantity=F("quantity") + delta, updated_at=timezone.now())
    item = StockItem.objects.filter(pk=item_id).first()
    if item is None:
        raise NotFound("No such stock item")
    if not changed:
        if delta < 0:
            raise Conflict(
                f"Only {item.quantity} {item.unit} of {item.name} left",
                details={"quantity": item.quantity},
            )
        raise InvalidInput.field("amount", f"At most {MAX_QUANTITY} {item.unit} in stock")
    audit.record(
        actor,
        item,
        AuditEntry.Action.UPDATE,
        {"quantity": [item.quantity - delta, item.quantity]},
        f"{verb} {abs(delta)} {item.unit} of {item.name}",
    )
    return item


@transaction.atomic
def use_stock(item_id: int, *, actor, amount: int = 1) -> StockItem:
    """Take `amount` out of stock; more than is left is a 409 saying how many are."""
    _need(actor, USE_RUNNER_BOARD, "use supplies")
    amount = _count("amount", amount, least=1)
    rows = StockItem.objects.filter(pk=item_id, quantity__gte=amount)
    return _change(item_id, actor=actor, delta=-amount, rows=rows, verb="Used")


@transaction.atomic
def receive_stock(item_id: int, *, actor, amount: int) -> StockItem:
    """Stock delivered: add `amount`."""
    _need(actor, RUN_FRONT_OFFICE, "receive supplies")
    amount = _count("amount", amount, least=1)
    rows = StockItem.objects.filter(pk=item_id, quantity__lte=MAX_QUANTITY - amount)
    return _change(item_id, actor=actor, delta=amount, rows=rows, verb="Received")


def shopping_list():
    """What to buy: every item at or below its reorder level, by supplier."""
    return StockItem.objects.filter(quantity__lte=F("reorder_level")).order_by("supplier", "name")
