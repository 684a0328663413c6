"""API for media items: register, read, change, filter and search; history, lineage; the
custody actions (move, check out, check in, dispatch, receive). The scan station's are in
scan_api.py."""

import datetime
from typing import Literal

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Status

from postdesk.core.apiutil import (
    Day,
    Id,
    InputSchema,
    ModelOutSchema,
    OutSchema,
    Page,
    QuerySchema,
    changed_fields,
    get_scoped,
    paged,
    require,
    shown,
)
from postdesk.core.errors import InvalidInput
from postdesk.core.models import User
from postdesk.core.roles import (
    DISPATCH_MEDIA,
    MANAGE_LIBRARY,
    MOVE_MEDIA,
    VIEW_MEDIA,
    is_outside,
    scope_to_client,
)
from postdesk.library import lists, queries, services
from postdesk.library.models import BARCODE_MAX, TIMECODE_RATES, MediaItem
from postdesk.library.serialise import place
from postdesk.library.visibility import MEDIA_ITEM
from postdesk.productions.models import Client, Job, Production

router = Router(tags=["library"])

STAFF_ONLY = "Shown to the facility's staff only"
Barcode = Field(..., min_length=1, max_length=BARCODE_MAX)
Rate = Literal[TIMECODE_RATES]  # type: ignore[valid-type]
NOTES_MAX = 5000
# A bound on a request's work: a dub has a handful of parents.
MAX_PARENTS = 50


class PlaceOut(OutSchema):
    custody: str
    label: str
    location: int | None
    location_barcode: str | None
    holder: int | None
    holder_name: str | None
    due_back: datetime.date | None
    overdue: bool
    courier: str | None
    tracking: str | None
    destination: str | None
    since: datetime.datetime


class MediaOut(OutSchema):
    id: int
    barcode: str
    title: str
    kind: str
    format: str
    generation: str
    standard: str
    resolution: str
    frame_rate: str
    drop_frame: bool
    aspect_ratio: str
    audio_layout: str
    start_timecode: str
    duration: str
    reel: str
    condition: str
    notes: str | None = Field(None, description=STAFF_ONLY)
    file_path: str
    file_size: int | None
    checksum: str
    client: int | None
    production: int | None
    production_title: str | None
    job: int | None
    owner: str
    retention_until: datetime.date | None
    on_hold: bool
    place: PlaceOut | None = Field(None, description="Null once the item is destroyed")
    destroyed_at: datetime.datetime | None
    archived_at: datetime.datetime | None = Field(
        None, description="Withdrawn from the catalogue (DELETE): kept, but moved no more"
    )
    created_at: datetime.datetime


# The fields MediaOut reads from the item as they are.
PLAIN_FIELDS = (
    *("id", "barcode", "title", "kind", "format", "generation", "standard", "resolution"),
    *("frame_rate", "drop_frame", "aspect_ratio", "audio_layout", "start_timecode"),
    *("duration", "reel", "condition", "notes", "file_path", "file_size", "checksum"),
    *("owner", "retention_until", "on_hold", "destroyed_at", "archived_at", "created_at"),
)


def _items(user, *, include_archived: bool = False):
    return queries.items_for(user, include_archived=include_archived).select_related(
        "location", "holder", "production"
    )


def _media_dict(item: MediaItem, today: datetime.date) -> dict:
    return {
        **{name: getattr(item, name) for name in PLAIN_FIELDS},
        "client": item.client_id,
        "production": item.production_id,
        "production_title": item.production.title if item.production_id else None,
        "job": item.job_id,
        "place": None if item.destroyed_at else place(item, today),
    }


def _shown(request, item: MediaItem, status: int = 200):
    today = timezone.localdate()
    return shown(MediaOut, MEDIA_ITEM.strip(request.user, _media_dict(item, today)), status)


def _item(request, pk: int) -> MediaItem:
    """An item the user may see, archived ones included (their record stays readable)."""
    return get_scoped(request, _items(request.user, include_archived=True), pk, None, "media item")


class MediaQuery(QuerySchema):
    q: str | None = Field(
        None,
        max_length=200,
        description=(
            "Every word in the title, barcode, reel, notes, production or client; the last "
            "word and words with digits (a barcode typed in part) match the start of a word"
        ),
    )
    kind: MediaItem.Kind | None = None
    custody: MediaItem.Custody | None = None
    generation: MediaItem.Generation | None = None
    production: Id | None = None
    location: Id | None = Field(None, description="Items in this location or below it")
    holder: Id | None = Field(None, description="Items checked out to this user")
    overdue: bool | None = None
    destroyed: bool = False
    ordering: str | None = Field(None, max_length=200)
    page: int = 1
    page_size: int | None = None


@router.get("/media", response=Page[MediaOut])
def list_media(request: HttpRequest, query: Query[MediaQuery]):
    require(request, VIEW_MEDIA)
    today = timezone.localdate()
    strip = MEDIA_ITEM.stripper(request.user)
    return shown(
        Page[MediaOut],
        paged(
            lists.MEDIA,
            _items(request.user),
            query,
            serialise=lambda item: strip(_media_dict(item, today)),
        ),
    )


class MediaIn(InputSchema):
    barcode: str | None = Field(
        None, min_length=1, max_length=BARCODE_MAX, description="LIB-000123 when not given"
    )
    title: str = Field(..., min_length=1, max_length=200)
    kind: MediaItem.Kind
    format: MediaItem.Format
    generation: MediaItem.Generation
    standard: str = Field("", max_length=40)
    resolution: str = Field("", max_length=20)
    frame_rate: Rate | Literal[""] = ""
    drop_frame: bool = False
    aspect_ratio: str = Field("", max_length=20)
    audio_layout: str = Field("", max_length=100)
    start_timecode: str = Field("", max_length=11)
    duration: str = Field("", max_length=11)
    reel: str = Field("", max_length=40)
    condition: MediaItem.Condition = MediaItem.Condition.GOOD
    notes: str = Field("", max_length=NOTES_MAX)
    file_path: str = Field("", max_length=1000)
    file_size: int | None = Field(None, ge=0, le=2**63 - 1)
    checksum: str = Field("", max_length=128)
    client: Id | None = None
    production: Id | None = None
    job: Id | None = None
    owner: MediaItem.Owner = MediaItem.Owner.CLIENT
    retention_until: Day | None = None
    on_hold: bool = False
    location: Id = Field(..., description="Where the item is put on registering")
    parents: list[Id] = Field(default_factory=list, max_length=MAX_PARENTS)


class MediaPatch(InputSchema):
    title: str | None = Field(None, min_length=1, max_length=200)
    generation: MediaItem.Generation | None = None
    standard: str | None = Field(None, max_length=40)
    resolution: str | None = Field(None, max_length=20)
    frame_rate: Rate | Literal[""] | None = None
    drop_frame: bool | None = None
    aspect_ratio: str | None = Field(None, max_length=20)
    audio_layout: str | None = Field(None, max_length=100)
    start_timecode: str | None = Field(None, max_length=11)
    duration: str | None = Field(None, max_length=11)
    reel: str | None = Field(None, max_length=40)
    condition: MediaItem.Condition | None = None
    notes: str | None = Field(None, max_length=NOTES_MAX)
    file_path: str | None = Field(None, max_length=1000)
    file_size: int | None = Field(None, ge=0, le=2**63 - 1)
    checksum: str | None = Field(None, max_length=128)
    retention_until: Day | None = None
    on_hold: bool | None = None


def _ties(request, data: dict) -> dict:
    """Client, production and job ids of a body as records the user may see (422 if not)."""
    for name, model, field in (
        ("client", Client, "pk"),
        ("production", Production, "client"),
        ("job", Job, "client"),
    ):
        pk = data.get(name)
        if pk is None:
            continue
        obj = scope_to_client(request.user, model.objects.all(), field).filter(pk=pk).first()
        if obj is None:
            raise InvalidInput.field(name, f"No {name} with id {pk}")
        data[name] = obj
    return data


@router.post("/media", response={201: MediaOut})
def create_media(request: HttpRequest, payload: MediaIn):
    require(request, MANAGE_LIBRARY)
    data = _ties(request, payload.model_dump())
    data["barcode"] = data["barcode"] or ""
    item = services.register_item(actor=request.user, **data)
    return _shown(request, _items(request.user, include_archived=True).get(pk=item.pk), 201)


@router.get("/media/{media_id}", response=MediaOut)
def get_media(request: HttpRequest, media_id: Id):
    require(request, VIEW_MEDIA)
    return _shown(request, _item(request, media_id))


@router.patch("/media/{media_id}", response=MediaOut)
def update_media(request: HttpRequest, media_id: Id, payload: MediaPatch):
    require(request, MANAGE_LIBRARY)
    item = services.update_item(
        _item(request, media_id), actor=request.user, **changed_fields(payload)
    )
    return _shown(request, _items(request.user, include_archived=True).get(pk=item.pk))


@router.delete("/media/{media_id}", response={204: None})
def delete_media(request: HttpRequest, media_id: Id):
    """Withdraw the item from the catalogue. Its record and history stay (custody is never
    forgotten); it is left out of lists and stock-takes, and moves no more."""
    require(request, MANAGE_LIBRARY)
    services.archive_item(
        _item(request, media_id), actor=request.user, reason="Withdrawn through the API"
    )
    return Status(204, None)


# --- history and lineage ----------------------------------------------------------------


class MovementOut(ModelOutSchema):
    id: int
    at: datetime.datetime
    action: str
    actor: str = Field(..., alias="actor_label")
    from_place: dict = Field(..., description="Where it was (empty for a registration)")
    to_place: dict = Field(..., description="Where it went")
    signer_name: str
    note: str


@router.get("/media/{media_id}/history", response=list[MovementOut])
def media_history(request: HttpRequest, media_id: Id):
    require(request, VIEW_MEDIA)
    item = _item(request, media_id)
    return list(queries.history(item))


class RelativeOut(OutSchema):
    id: int
    barcode: str
    title: str
    kind: str
    format: str
    generation: str
    depth: int = Field(..., description="1 for a parent or child, 2 beyond it, and so on")
    destroyed: bool


class LineageOut(OutSchema):
    item: int
    ancestors: list[RelativeOut] = Field(..., description="What it was made from, nearest first")
    descendants: list[RelativeOut] = Field(..., description="Every copy made from it")


def visible_lineage(user, rows: list[dict]) -> list[dict]:
    """Lineage rows without other companies' items for a client user."""
    if is_outside(user):
        rows = [r for r in rows if r["client_id"] == user.client_id]
    return [{name: r[name] for name in RelativeOut.model_fields} for r in rows]


@router.get("/media/{media_id}/lineage", response=LineageOut)
def media_lineage(request: HttpRequest, media_id: Id):
    """Both ways, each one query however deep the tree."""
    require(request, VIEW_MEDIA)
    item = _item(request, media_id)
    return {
        "item": item.pk,
        "ancestors": visible_lineage(request.user, queries.ancestors(item)),
        "descendants": visible_lineage(request.user, queries.descendants(item)),
    }


# --- custody ----------------------------------------------------------------------------


Signer = Field("", max_length=200, description="Who signed for it, where someone signs")
Note = Field("", max_length=500)


class MediaMoveIn(InputSchema):
    location: Id
    note: str = Note


class CheckOutIn(InputSchema):
    holder: Id | None = Field(None, description="A user; or give holder_name instead")
    holder_name: str = Field("", max_length=200, description="A named outside person")
    due_back: Day
    signer_name: str = Signer
    note: str = Note


class CheckInIn(InputSchema):
    location: Id
    signer_name: str = Signer
    note: str = Note


class DispatchIn(InputSchema):
    courier: str = Field(..., min_length=1, max_length=100)
    tracking: str = Field("", max_length=100)
    destination: str = Field(..., min_length=1, max_length=300)
    signer_name: str = Signer
    note: str = Note


class ReceiveIn(InputSchema):
    location: Id
    signer_name: str = Signer
    note: str = Note


def _custody_item(request, media_id: int) -> MediaItem:
    return get_scoped(
        request,
        queries.items_for(request.user, include_archived=True),
        media_id,
        None,
        "media item",
    )


def _after(request, item: MediaItem):
    return _shown(request, _items(request.user, include_archived=True).get(pk=item.pk))


@router.post("/media/{media_id}/move", response=MediaOut)
def move_media(request: HttpRequest, media_id: Id, payload: MediaMoveIn):
    require(request, MOVE_MEDIA)
    item = _custody_item(request, media_id)
    services.move(item, payload.location, note=payload.note, actor=request.user)
    return _after(request, item)


@router.post("/media/{media_id}/check-out", response=MediaOut)
def check_out_media(request: HttpRequest, media_id: Id, payload: CheckOutIn):
    require(request, MOVE_MEDIA)
    holder = None
    if payload.holder is not None:
        holder = User.objects.filter(pk=payload.holder, is_active=True).first()
        if holder is None:
            raise InvalidInput.field("holder", f"No user with id {payload.holder}")
    item = _custody_item(request, media_id)
    services.check_out(
        item,
        holder=holder,
        holder_name=payload.holder_name,
        due_back=payload.due_back,
        signer_name=payload.signer_name,
        note=payload.note,
        actor=request.user,
    )
    return _after(request, item)


@router.post("/media/{media_id}/check-in", response=MediaOut)
def check_in_media(request: HttpRequest, media_id: Id, payload: CheckInIn):
    require(request, MOVE_MEDIA)
    item = _custody_item(request, media_id)
    services.check_in(
        item,
        payload.location,
        signer_name=payload.signer_name,
        note=payload.note,
        actor=request.user,
    )
    return _after(request, item)


@router.post("/media/{media_id}/dispatch", response=MediaOut)
def dispatch_media(request: HttpRequest, media_id: Id, payload: DispatchIn):
    require(request, DISPATCH_MEDIA)
    item = _custody_item(request, media_id)
    services.dispatch(item, actor=request.user, **payload.model_dump())
    return _after(request, item)


@router.post("/media/{media_id}/receive", response=MediaOut)
def receive_media(request: HttpRequest, media_id: Id, payload: ReceiveIn):
    require(request, DISPATCH_MEDIA)
    item = _custody_item(request, media_id)
    services.receive(
        item,
        payload.location,
        signer_name=payload.signer_name,
        note=payload.note,
        actor=request.user,
    )
    return _after(request, item)
