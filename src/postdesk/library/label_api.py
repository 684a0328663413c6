"""API for labels: `GET /api/v1/media/labels` answers the PDF of the items asked for."""

from typing import Annotated

from django.http import HttpRequest, HttpResponse
from ninja import Field, Query, Router

from postdesk.core.apiutil import FILE_TYPES, Id, QuerySchema, file_responses, require
from postdesk.core.roles import VIEW_MEDIA, scope_to_client
from postdesk.library import labels
from postdesk.library.models import BARCODE_MAX, MediaItem

router = Router(tags=["library"])

Code = Annotated[str, Field(min_length=1, max_length=BARCODE_MAX)]


class MediaLabelQuery(QuerySchema):
    items: list[Id] = Field(default_factory=list, max_length=labels.LABELS_MAX)
    barcodes: list[Code] = Field(default_factory=list, max_length=labels.LABELS_MAX)
    today: bool = Field(False, description="Everything registered today (facility's day)")
    layout: labels.Layout = labels.Layout.ROLL_62X29


@router.get(
    "/media/labels",
    summary="Labels as PDF for items by id or barcode, or everything registered today",
    openapi_extra=file_responses(FILE_TYPES["pdf"]),
)
def media_labels(request: HttpRequest, query: Query[MediaLabelQuery]) -> HttpResponse:
    require(request, VIEW_MEDIA)
    items = labels.items_for_labels(
        scope_to_client(request.user, MediaItem.objects.all()),
        ids=query.items,
        barcodes=query.barcodes,
        registered_today=query.today,
    )
    pdf = labels.render_labels(labels.item_labels(items), query.layout)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="{labels.pdf_filename(items, query.layout)}"'
    )
    return response
