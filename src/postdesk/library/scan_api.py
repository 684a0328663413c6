"""API for the scan station: what a scanned code is (one request a scan), and the move of
the scanned items to the last code scanned (one request for the lot)."""

from typing import Annotated, Literal

from django.http import HttpRequest
from ninja import Field, Query, Router

from postdesk.core.apiutil import InputSchema, OutSchema, QuerySchema, require, shown
from postdesk.core.roles import DISPATCH_MEDIA, MOVE_MEDIA, can
from postdesk.library import services
from postdesk.library.models import BARCODE_MAX, Badge, Location, MediaItem
from postdesk.library.services.scan import MAX_CODES as MAX_SCAN_CODES

router = Router(tags=["library"])
Code = Annotated[str, Field(min_length=1, max_length=BARCODE_MAX)]


def require_scanning(request) -> None:
    """The scan station is for those who move media (library, runners) and those who
    receive it at the door (reception): the scan service checks each item's verb."""
    if not (can(request.user, MOVE_MEDIA) or can(request.user, DISPATCH_MEDIA)):
        require(request, MOVE_MEDIA)


class ScanCodeOut(OutSchema):
    code: str
    kind: Literal["item", "location", "badge", "unknown"]
    id: int | None
    label: str
    destroyed: bool = False


class ScanCodeQuery(QuerySchema):
    code: str = Field(..., min_length=1, max_length=BARCODE_MAX)


@router.get("/scan", response=ScanCodeOut)
def identify_code(request: HttpRequest, query: Query[ScanCodeQuery]):
    """What a scanned code is: an item, a location, a person's badge, or unknown."""
    require_scanning(request)
    code = query.code.strip().upper()  # as the services store codes (normalise_code)
    item = MediaItem.objects.filter(barcode=code).values("id", "title", "destroyed_at").first()
    if item is not None:
        destroyed = item["destroyed_at"] is not None
        return {
            "code": code,
            "kind": "item",
            "id": item["id"],
            "label": item["title"],
            "destroyed": destroyed,
        }
    location = Location.objects.filter(barcode=code).values("id", "name", "archived").first()
    if location is not None and not location["archived"]:
        return {"code": code, "kind": "location", "id": location["id"], "label": location["name"]}
    badge = Badge.objects.filter(code=code, user__is_active=True).select_related("user").first()
    if badge is not None:
        return {
            "code": code,
            "kind": "badge",
            "id": badge.user_id,
            "label": badge.user.display_name,
        }
    return {"code": code, "kind": "unknown", "id": None, "label": ""}


class ScanIn(InputSchema):
    codes: list[Code] = Field(
        ...,
        min_length=2,
        max_length=MAX_SCAN_CODES,
        description="Item barcodes, then the destination (a location or badge code) last",
    )


class ScanMovedOut(OutSchema):
    code: str
    item: int
    title: str
    action: str = Field(..., description="move, check_in, receive or check_out")
    from_: str = Field(..., alias="from", description="Where it was")
    to: str


class ScanUnchangedOut(OutSchema):
    code: str
    item: int
    title: str


class ScanRefusedOut(OutSchema):
    code: str
    error: str
    message: str
    status: int


class ScanDestinationOut(OutSchema):
    kind: Literal["location", "person"]
    id: int
    label: str


class ScanOut(OutSchema):
    destination: ScanDestinationOut
    moved: list[ScanMovedOut]
    unchanged: list[ScanUnchangedOut] = Field(..., description="Already there")
    refused: list[ScanRefusedOut] = Field(..., description="Unknown, destroyed, not allowed...")


# by_alias: the document names ScanMovedOut's `from` as the body writes it, not `from_`.
@router.post("/scan", response=ScanOut, by_alias=True)
def scan_move(request: HttpRequest, payload: ScanIn):
    """Move the scanned items (every code but the last) to the last code: a location
    (moved, checked in or received as each item's place calls for) or a person's badge
    (checked out to them). Answers per code what moved, what was there already and what
    was refused and why."""
    require_scanning(request)
    return shown(ScanOut, services.scan_move(payload.codes, actor=request.user))
