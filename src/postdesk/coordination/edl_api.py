"""API of EDL imports: import a CMX 3600 EDL for a production (multipart), list a
production's, read one with its events and its pull list (each reel with the media items
holding it), and the reels no media item holds, for the library. Media is the library's
to show: the reads ask for view_media, the import for manage_deliverables."""

import datetime
from typing import Literal

from django.http import HttpRequest
from ninja import File, Form, Router
from ninja.files import UploadedFile

from postdesk.coordination import edl, queries
from postdesk.coordination.models import Edl
from postdesk.core.apiutil import Id, OutSchema, get_scoped, require, shown
from postdesk.core.roles import MANAGE_DELIVERABLES, VIEW_MEDIA

router = Router(tags=["coordination"])
INTERNAL = "EDLs"
Rate = Literal["23.976", "24", "25", "29.97", "30", "48", "50", "59.94", "60"]


class EdlOut(OutSchema):
    id: int
    production: int
    document: int
    version: int
    version_number: int
    title: str
    rate: str
    drop_frame: bool
    event_count: int
    imported_at: datetime.datetime


class EventOut(OutSchema):
    number: int
    track: str
    reel: str
    source: str
    clip_name: str
    source_in: str
    source_out: str
    record_in: str
    record_out: str


class PullItemOut(OutSchema):
    id: int
    barcode: str
    title: str
    kind: str
    format: str
    custody: str
    location: int | None


class ReelOut(OutSchema):
    reel: str
    events: int
    items: list[PullItemOut]


class EdlDetailOut(EdlOut):
    events: list[EventOut]
    reels: list[ReelOut]
    unmatched: list[str]


class UnmatchedOut(OutSchema):
    production: int
    production_title: str
    edl: int
    reel: str


def _edl_row(e: Edl) -> dict:
    return {
        "id": e.pk,
        "production": e.production_id,
        "document": e.version.document_id,
        "version": e.version_id,
        "version_number": e.version.number,
        "title": e.title,
        "rate": e.rate,
        "drop_frame": e.drop_frame,
        "event_count": e.event_count,
        "imported_at": e.imported_at,
    }


def _item_row(m) -> dict:
    return {
        "id": m.pk,
        "barcode": m.barcode,
        "title": m.title,
        "kind": m.kind,
        "format": m.format,
        "custody": m.custody,
        "location": m.location_id,
    }


def _detail(e: Edl, status: int = 200):
    pull = edl.pull_list(e)
    data = {
        **_edl_row(e),
        "events": edl.event_rows(e),
        "reels": [{**r, "items": [_item_row(m) for m in r["items"]]} for r in pull["reels"]],
        "unmatched": pull["unmatched"],
    }
    return shown(EdlDetailOut, data, status)


def _production(request, pk: int):
    return get_scoped(request, queries.productions_for(request.user), pk, None, "production")


@router.get("/productions/{production_id}/edls", response=list[EdlOut])
def list_edls(request: HttpRequest, production_id: Id):
    require(request, VIEW_MEDIA, internal=INTERNAL)
    production = _production(request, production_id)
    rows = Edl.objects.filter(production=production).select_related("version")[:500]
    return shown(list[EdlOut], [_edl_row(e) for e in rows])


@router.post("/productions/{production_id}/edls", response={201: EdlDetailOut})
def import_edl(
    request: HttpRequest,
    production_id: Id,
    title: Form[str],
    rate: Form[Rate],
    file: File[UploadedFile],
    drop_frame: Form[bool] = False,
):
    require(request, MANAGE_DELIVERABLES, internal=INTERNAL)
    created = edl.import_edl(
        production=_production(request, production_id),
        title=title,
        file=file,
        rate=rate,
        drop_frame=drop_frame,
        actor=request.user,
    )
    return _detail(Edl.objects.select_related("version").get(pk=created.pk), 201)


@router.get("/edls/{edl_id}", response=EdlDetailOut)
def get_edl(request: HttpRequest, edl_id: Id):
    require(request, VIEW_MEDIA, internal=INTERNAL)
    return _detail(get_scoped(request, Edl.objects.select_related("version"), edl_id, None, "EDL"))


@router.get("/edl-unmatched-reels", response=list[UnmatchedOut])
def unmatched_reels(request: HttpRequest):
    require(request, VIEW_MEDIA, internal=INTERNAL)
    rows = [
        {
            "production": r["production"].pk,
            "production_title": r["production"].title,
            "edl": r["edl"].pk,
            "reel": r["reel"],
        }
        for r in edl.unmatched_reels()
    ]
    return shown(list[UnmatchedOut], rows)
