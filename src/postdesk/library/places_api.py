"""API for locations (the tree, with what each holds under it) and stock-takes (start on
a subtree, scan what is there, close, and move a misplaced item to where it was found)."""

import datetime
from typing import Annotated

from django.http import HttpRequest
from ninja import Field, Query, Router

from postdesk.core.apiutil import (
    Id,
    InputSchema,
    ModelOutSchema,
    OutSchema,
    Page,
    QuerySchema,
    changed_fields,
    get_scoped,
    json_response,
    paged,
    require,
    shown,
)
from postdesk.core.errors import InvalidInput
from postdesk.core.models import Site, User
from postdesk.core.roles import MANAGE_LIBRARY, VIEW_MEDIA
from postdesk.library import lists, queries, services
from postdesk.library.models import BARCODE_MAX, Badge, Location, StockTake
from postdesk.library.serialise import location_tree, stocktakes
from postdesk.library.services.stocktake import MAX_CODES as MAX_STOCKTAKE_CODES

router = Router(tags=["library"])
Code = Annotated[str, Field(min_length=1, max_length=BARCODE_MAX)]


class LocationOut(OutSchema):
    id: int
    name: str
    barcode: str
    kind: str
    parent: int | None
    depth: int = Field(..., description="0 for a root")
    archived: bool
    items_here: int = Field(..., description="Items at this very location")
    items_total: int = Field(..., description="Items here and anywhere below")


class LocationQuery(QuerySchema):
    under: Id | None = Field(None, description="Only this location and its subtree")
    include_archived: bool = False


def _location_out(node: dict) -> dict:
    return {
        "id": node["id"],
        "name": node["name"],
        "barcode": node["barcode"],
        "kind": node["kind"],
        "parent": node["parent_id"],
        "depth": node["path"].count("/") - 2,
        "archived": node["archived"],
        "items_here": node["direct"],
        "items_total": node["total"],
    }


@router.get("/locations", response=list[LocationOut])
def list_locations(request: HttpRequest, query: Query[LocationQuery]):
    """The tree in depth-first order (each node after its parent), with roll-up counts."""
    # The vault's layout and counts are the facility's own: a client user sees its
    # company's items (with where each is), not the shelves and what else they hold.
    require(request, VIEW_MEDIA, internal="Locations")
    under = None
    if query.under is not None:
        under = Location.objects.filter(pk=query.under).first()
        if under is None:
            raise InvalidInput.field("under", f"No location with id {query.under}")
    return shown(
        list[LocationOut],
        [_location_out(node) for node in location_tree(under, query.include_archived)],
    )


class LocationIn(InputSchema):
    name: str = Field(..., min_length=1, max_length=100)
    kind: Location.Kind
    parent: Id | None = None
    barcode: str | None = Field(None, min_length=1, max_length=BARCODE_MAX)
    site: Id | None = None
    notes: str = Field("", max_length=2000)


@router.post("/locations", response={201: LocationOut})
def create_location(request: HttpRequest, payload: LocationIn):
    require(request, MANAGE_LIBRARY)
    data = payload.model_dump()
    if data["parent"] is not None:
        data["parent"] = _location(data["parent"], "parent")
    if data["site"] is not None:
        site = Site.objects.filter(pk=data["site"]).first()
        if site is None:
            raise InvalidInput.field("site", f"No site with id {data['site']}")
        data["site"] = site
    location = services.create_location(actor=request.user, **data)
    return shown(LocationOut, _one_location(location), 201)


@router.get("/locations/{location_id}", response=LocationOut)
def get_location(request: HttpRequest, location_id: Id):
    # The vault's layout and counts are the facility's own: a client user sees its
    # company's items (with where each is), not the shelves and what else they hold.
    require(request, VIEW_MEDIA, internal="Locations")
    location = get_scoped(request, Location.objects.all(), location_id, None, "location")
    return shown(LocationOut, _one_location(location))


class LocationPatch(InputSchema):
    name: str | None = Field(None, min_length=1, max_length=100)
    notes: str | None = Field(None, max_length=2000)
    parent: Id | None = Field(None, description="Move it (and all inside it) under this one")


@router.patch("/locations/{location_id}", response=LocationOut)
def update_location(request: HttpRequest, location_id: Id, payload: LocationPatch):
    """Rename, re-note or move a location; its barcode and kind stay. All or nothing."""
    require(request, MANAGE_LIBRARY)
    location = get_scoped(request, Location.objects.all(), location_id, None, "location")
    changes = changed_fields(payload)
    if "parent" in changes and changes["parent"] is not None:
        changes["parent"] = _location(changes["parent"], "parent")
    location = services.change_location(location, actor=request.user, **changes)
    return shown(LocationOut, _one_location(location))


@router.post("/locations/{location_id}/archive", response=LocationOut)
def archive_location(request: HttpRequest, location_id: Id):
    """Archive an empty location and everything below it (409 while any of it holds
    items)."""
    require(request, MANAGE_LIBRARY)
    location = get_scoped(request, Location.objects.all(), location_id, None, "location")
    services.archive_location(location, actor=request.user)
    return shown(LocationOut, _one_location(location))


# --- badges -----------------------------------------------------------------------------


class BadgeOut(OutSchema):
    user: int
    name: str
    code: str


class BadgeIn(InputSchema):
    code: Code


def _badge_out(badge: Badge) -> dict:
    return {"user": badge.user_id, "name": badge.user.display_name, "code": badge.code}


@router.get("/badges", response=list[BadgeOut])
def list_badges(request: HttpRequest):
    """Who holds which badge code (the scan station's "check out to this person")."""
    require(request, MANAGE_LIBRARY)
    rows = Badge.objects.select_related("user").order_by("user__username")
    return shown(list[BadgeOut], [_badge_out(b) for b in rows])


@router.put("/badges/{user_id}", response=BadgeOut)
def set_badge(request: HttpRequest, user_id: Id, payload: BadgeIn):
    """Give the staff member `user_id` this badge code, replacing theirs."""
    require(request, MANAGE_LIBRARY)
    staff = User.objects.filter(is_active=True, client__isnull=True)
    user = get_scoped(request, staff, user_id, None, "staff member")
    badge = services.set_badge(user, payload.code, actor=request.user)
    return shown(BadgeOut, _badge_out(badge))


def _one_location(location: Location) -> dict:
    return _location_out(queries.location_rollup(location, include_archived=True)[0])


def _location(pk: int, field: str) -> Location:
    location = Location.objects.filter(pk=pk).first()
    if location is None:
        raise InvalidInput.field(field, f"No location with id {pk}")
    return location


# --- stock-takes ------------------------------------------------------------------------


class StockTakeOut(ModelOutSchema):
    id: int
    location: int = Field(..., alias="location_id")
    location_name: str = Field(..., alias="location.name")
    status: str
    started_at: datetime.datetime
    closed_at: datetime.datetime | None
    scans: int = Field(..., alias="scan_count")
    result: dict = Field(
        ...,
        description=(
            "found, missing, misplaced and unknown with their counts: as things stand "
            "while open, frozen at closing (with the misplaced items resolved since)"
        ),
    )


class StockTakeQuery(QuerySchema):
    status: StockTake.Status | None = None
    page: int = 1
    page_size: int | None = None


def _stocktake(request, pk: int) -> StockTake:
    return get_scoped(request, stocktakes(), pk, None, "stock-take")


def _stocktake_out(stocktake: StockTake, *, live: bool = True) -> dict:
    """The stock-take as StockTakeOut reads it from the model (the keys are its field
    names, as the API answers them), with its result as things stand while open."""
    data = StockTakeOut.from_orm(stocktake).model_dump()
    if stocktake.status == StockTake.Status.OPEN:
        # One stock-take at a time costs three queries (services.classify); a list of
        # them shows the frozen results only.
        data["result"] = services.classify(stocktake) if live else {}
    return data


@router.get("/stocktakes", response=Page[StockTakeOut])
def list_stocktakes(request: HttpRequest, query: Query[StockTakeQuery]):
    require(request, MANAGE_LIBRARY)
    # Each row was read through StockTakeOut on its way from the model (_stocktake_out).
    return json_response(
        paged(
            lists.STOCKTAKES,
            stocktakes(),
            query,
            serialise=lambda st: _stocktake_out(st, live=False),
        )
    )


class StockTakeIn(InputSchema):
    location: Id = Field(..., description="The root of the subtree counted")


@router.post("/stocktakes", response={201: StockTakeOut})
def start_stocktake(request: HttpRequest, payload: StockTakeIn):
    require(request, MANAGE_LIBRARY)
    stocktake = services.start_stocktake(payload.location, actor=request.user)
    return json_response(_stocktake_out(stocktakes().get(pk=stocktake.pk)), 201)


@router.get("/stocktakes/{stocktake_id}", response=StockTakeOut)
def get_stocktake(request: HttpRequest, stocktake_id: Id):
    require(request, MANAGE_LIBRARY)
    return json_response(_stocktake_out(_stocktake(request, stocktake_id)))


class StockTakeScanIn(InputSchema):
    codes: list[Code] = Field(
        ...,
        min_length=1,
        max_length=MAX_STOCKTAKE_CODES,
        description="In the order scanned: a shelf's code, then the items found on it",
    )
    location: Id | None = Field(
        None, description="The shelf the first items were found on, if not scanned first"
    )


class StockTakeScanOut(OutSchema):
    code: str
    kind: str = Field(..., description="shelf, item or unknown")
    item: int | None
    location: int


class StockTakeScansOut(OutSchema):
    shelf: int = Field(..., description="The shelf after this batch: where the next go")
    recorded: int
    scans: list[StockTakeScanOut]


@router.post("/stocktakes/{stocktake_id}/scan", response=StockTakeScansOut)
def scan_stocktake(request: HttpRequest, stocktake_id: Id, payload: StockTakeScanIn):
    require(request, MANAGE_LIBRARY)
    return shown(
        StockTakeScansOut,
        services.record_scans(
            _stocktake(request, stocktake_id),
            payload.codes,
            location=payload.location,
            actor=request.user,
        ),
    )


@router.post("/stocktakes/{stocktake_id}/close", response=StockTakeOut)
def close_stocktake(request: HttpRequest, stocktake_id: Id):
    require(request, MANAGE_LIBRARY)
    stocktake = services.close_stocktake(_stocktake(request, stocktake_id), actor=request.user)
    return json_response(_stocktake_out(stocktakes().get(pk=stocktake.pk)))


class StockTakeResolveIn(InputSchema):
    item: Id = Field(..., description="A misplaced item of the closed stock-take")
    reason: str = Field(..., min_length=1, max_length=400)


@router.post("/stocktakes/{stocktake_id}/resolve", response=StockTakeOut)
def resolve_misplaced(request: HttpRequest, stocktake_id: Id, payload: StockTakeResolveIn):
    """Move a misplaced item to where the stock-take found it, recording why."""
    require(request, MANAGE_LIBRARY)
    stocktake = _stocktake(request, stocktake_id)
    services.resolve_misplaced(stocktake, payload.item, reason=payload.reason, actor=request.user)
    return json_response(_stocktake_out(stocktakes().get(pk=stocktake.pk)))
