"""The labels page: choose items (scanned or typed barcodes, or everything registered
today) and a label stock, and get the PDF. `?items=<id>` (the item page's link) or
`?barcodes=...` or `?today=1` answer the PDF at once."""

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import path

from postdesk.core.errors import InvalidInput
from postdesk.core.roles import MANAGE_LIBRARY, MOVE_MEDIA, VIEW_MEDIA, can, scope_to_client
from postdesk.library import labels
from postdesk.library.models import MediaItem
from postdesk.web.access import capability_required

# A page's selection is bounded like the API's: ids and barcodes together.
SELECTION_MAX = labels.LABELS_MAX
LAYOUT_VALUES = {x.value for x in labels.Layout}


def pdf_response(items, layout: labels.Layout) -> HttpResponse:
    pdf = labels.render_labels(labels.item_labels(items), layout)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{labels.pdf_filename(items, layout)}"'
    return response


def _selection(params) -> dict:
    """ids, barcodes and today from the query string; bad values are a form error."""
    raw_ids = params.getlist("items")[: SELECTION_MAX + 1]
    ids = []
    for value in raw_ids:
        for part in value.split(","):
            if part.strip():
                if not part.strip().isdigit() or len(part.strip()) > 18:
                    raise InvalidInput.field("items", f"{part.strip()!r} is not an item id")
                ids.append(int(part))
    text = params.get("barcodes", "")[: SELECTION_MAX * 70]
    barcodes = text.replace(",", "\n").split()
    return {"ids": ids, "barcodes": barcodes, "registered_today": params.get("today") == "1"}


@capability_required(VIEW_MEDIA)
def labels_page(request):
    layout_value = request.GET.get("layout", labels.Layout.ROLL_62X29.value)
    layout = labels.Layout(layout_value) if layout_value in LAYOUT_VALUES else None
    asked = any(request.GET.get(k) for k in ("items", "barcodes", "today"))
    error = ""
    if asked:
        try:
            if layout is None:
                raise InvalidInput.field("layout", "Choose a label stock.")
            items = labels.items_for_labels(
                scope_to_client(request.user, MediaItem.objects.all()), **_selection(request.GET)
            )
            return pdf_response(items, layout)
        except InvalidInput as exc:
            error = exc.message
    context = {
        "layouts": [(x.value, x.label) for x in labels.Layout],
        "layout": layout.value if layout else "",
        "barcodes": request.GET.get("barcodes", "")[:5000],
        "error": error,
        "can_move": can(request.user, MOVE_MEDIA),
        "can_change": can(request.user, MANAGE_LIBRARY),
    }
    return render(request, "library/labels.html", context, status=422 if error else 200)


app_name = "library_labels"

urlpatterns = [path("labels/", labels_page, name="labels")]
