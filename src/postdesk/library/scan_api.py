"""API for the scan station: what a scanned code is (one request a scan), and the move of
the scanned items to the last code scanned (one request for the lot)."""

from typing import Annotated, Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from postdesk.core.apiutil import InputSchema, QuerySchema, json_response, require
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


class CodeOut(Schema):
    code: str
    kind: Literal["item", "location", "badge", "unknown"]
    id: int | None
    label: str
    destroyed: bool = False


class CodeQuery(QuerySchema):
    code: str = Field(..., min_length=1, max_length=BARCODE_MAX)


@router.get("/scan", response=CodeOut)
def identify_code(request: HttpRequest, query: Query[CodeQuery]):
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


class MovedOut(Schema):
    code: str
    item: int
    title: str
    action: str = Field(..., description="move, check_in, receive or check_out")
    from_: str = Field(..., alias="from", description="Where it was")
    to: str


class UnchangedOut(Schema):
    code: str
    item: int
    title: str


class RefusedOut(Schema):
    code: str
    error: str
    message: str
    status: int


class DestinationOut(Schema):
    kind: Literal["location", "person"]
    id: int
    label: str


class ScanOut(Schema):
    destination: DestinationOut
    moved: list[MovedOut]
    unchanged: list[UnchangedOut] = Field(..., description="Already there")
    refused: list[RefusedOut] = Field(..., description="Unknown, destroyed, not allowed...")


@router.post("/scan", response=ScanOut)
def scan_move(request: HttpRequest, payload: ScanIn):
    """Move the scanned items (every code but the last) to the last code: a location
    (moved, checked in or received as each item's place calls for) or a person's badge
    (checked out to them). Answers per code what moved, what was there already and what
    was refused and why."""
    require_scanning(request)
    return json_response(services.scan_move(payload.codes, actor=request.user))
