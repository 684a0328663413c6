"""The library's pages for items: the home page (in today, out, overdue), the item list,
the item page, registering and editing an item, and a production's media."""

import datetime

from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone

from postdesk.core.roles import (
    APPROVE_DESTRUCTION,
    DISPATCH_MEDIA,
    MANAGE_LIBRARY,
    MOVE_MEDIA,
    VIEW_MEDIA,
    can,
    is_outside,
    scope_to_client,
)
from postdesk.library import lists, queries, services
from postdesk.library.forms import MediaItemForm
from postdesk.library.models import Location, MediaItem
from postdesk.library.serialise import is_overdue, place_label
from postdesk.library.visibility import MEDIA_ITEM
from postdesk.productions.models import Production
from postdesk.web.access import capability_required
from postdesk.web.forms import form_page
from postdesk.web.listing import for_page, list_page


def items_for(user, *, include_archived: bool = False):
    """The items a user may see (a client user: its own company's), for display."""
    return queries.items_for(user, include_archived=include_archived).select_related(
        "location", "holder", "production"
    )


def abilities(user) -> dict:
    """What the pages offer the user: the same capabilities the API checks."""
    return {
        "can_change": can(user, MANAGE_LIBRARY),
        "can_move": can(user, MOVE_MEDIA),
        "can_dispatch": can(user, DISPATCH_MEDIA),
        "can_approve": can(user, APPROVE_DESTRUCTION),
    }


def annotate_places(items, today: datetime.date) -> list:
    for item in items:
        item.place_text = place_label(item)
        item.is_overdue = is_overdue(item, today)
    return items


@capability_required(VIEW_MEDIA)
def home(request):
    today = timezone.localdate()
    user = request.user
    arrived = scope_to_client(user, queries.came_in(today), "item__client")[:50]
    out = (
        scope_to_client(user, queries.out_now(), "client")
        .filter(destroyed_at__isnull=True, archived_at__isnull=True)
        .select_related("location")
    )
    late = scope_to_client(user, queries.overdue(today), "client")
    return render(
        request,
        "library/home.html",
        {
            "arrived": list(arrived),
            "out": annotate_places(list(out[:50]), today),
            "out_count": out.count(),
            "overdue": annotate_places(list(late[:50]), today),
            **abilities(request.user),
        },
    )


@capability_required(VIEW_MEDIA)
def overdue(request):
    today = timezone.localdate()
    qs = scope_to_client(request.user, queries.overdue(today), "client").select_related("location")
    context = list_page(request, qs, lists.OVERDUE)
    annotate_places(context["page_obj"].object_list, today)
    context["today"] = today
    return render(request, "library/overdue.html", context)


# The API's list (lists.MEDIA), with the columns this page sorts by (`registered` is
# the page's older name for the API's `created`).
MEDIA_LIST = for_page(
    lists.MEDIA,
    sorts={
        "generation": "generation",
        "production": "production__title",
        "registered": "created_at",
    },
)


def _chosen(filters: dict) -> dict:
    """The filters applied, as the filter form shows them back (the location as itself,
    for its name)."""
    flags = ("overdue", "destroyed")
    chosen = {k: str(v) for k, v in filters.items() if k not in ("q", "location", *flags)}
    chosen.update({k: True for k in flags if filters.get(k)})
    if "location" in filters:
        chosen["location"] = Location.objects.filter(pk=filters["location"]).first()
    return chosen


@capability_required(VIEW_MEDIA)
def media_list(request):
    params = request.GET.copy()
    # Live items unless the address asks for the destroyed ones (as the API's default).
    if not params.get("destroyed", "").strip():
        params["destroyed"] = "false"
    context = list_page(request, items_for(request.user), MEDIA_LIST, params=params)
    annotate_places(context["page_obj"].object_list, timezone.localdate())
    context.update(
        chosen=_chosen(context["filters"]),
        kinds=MediaItem.Kind.choices,
        generations=MediaItem.Generation.choices,
        custodies=MediaItem.Custody.choices,
        productions=scope_to_client(
            request.user, Production.objects.order_by("title"), "client"
        ).values_list("pk", "title"),
        **abilities(request.user),
    )
    return render(request, "library/media_list.html", context)


def labels_url(item) -> str:
    """The item's label as a PDF: the labels page (label_views, mounted on its own as
    `library_labels`) answers `?items=<id>` with it."""
    return f"{reverse('library_labels:labels')}?items={item.pk}"


def _lineage(user, rows: list[dict]) -> list[dict]:
    if is_outside(user):
        rows = [r for r in rows if r["client_id"] == user.client_id]
    for row in rows:
        row["generation_label"] = MediaItem.Generation(row["generation"]).label
    return rows


@capability_required(VIEW_MEDIA)
def media_detail(request, pk: int):
    item = get_object_or_404(items_for(request.user, include_archived=True), pk=pk)
    today = timezone.localdate()
    annotate_places([item], today)
    history = list(queries.history(item).reverse())
    return render(
        request,
        "library/media_detail.html",
        {
            "item": item,
            "history": history,
            "ancestors": _lineage(request.user, queries.ancestors(item)),
            "descendants": _lineage(request.user, queries.descendants(item)),
            "labels_url": labels_url(item),
            "shows": MEDIA_ITEM.shown(request.user),
            "destroyed": item.destroyed_at is not None,
            **abilities(request.user),
        },
    )


@capability_required(MANAGE_LIBRARY)
def media_create(request):
    initial = {k: request.GET[k] for k in ("barcode", "production") if k in request.GET}
    if request.GET.get("location", "").isdigit():
        initial["location"] = request.GET["location"]
    if request.GET.get("parent", "").isdigit():
        parent = MediaItem.objects.filter(pk=int(request.GET["parent"])).first()
        if parent is not None:
            initial["parent_barcodes"] = parent.barcode
            initial["production"] = parent.production_id
            initial["client"] = parent.client_id
            initial["title"] = parent.title
    return form_page(
        request,
        MediaItemForm(request.POST or None, user=request.user, initial=initial),
        services.register_item,
        actor=request.user,
        done=lambda item: (
            f"Registered {item.barcode} {item.title}.",
            reverse("library:media-detail", args=[item.pk]),
        ),
        title="Register an item",
        cancel_url=reverse("library:media"),
    )


@capability_required(MANAGE_LIBRARY)
def media_edit(request, pk: int):
    item = get_object_or_404(items_for(request.user), pk=pk)
    back = reverse("library:media-detail", args=[pk])
    return form_page(
        request,
        MediaItemForm(request.POST or None, instance=item, user=request.user),
        lambda **changes: services.update_item(item, **changes),
        actor=request.user,
        done=lambda saved: (f"Saved {saved.barcode}.", back),
        title=f"Edit {item.barcode} {item.title}",
        cancel_url=back,
    )


@capability_required(VIEW_MEDIA)
def production_media(request, pk: int):
    """A production's "Media" tab: every item tied to it, where it is, and its lineage
    roots first (masters before their dubs)."""
    production = get_object_or_404(
        scope_to_client(request.user, Production.objects.select_related("client"), "client"),
        pk=pk,
    )
    qs = items_for(request.user).filter(production=production, destroyed_at__isnull=True)
    context = list_page(request, qs, lists.PRODUCTION_MEDIA, page_size=50)
    annotate_places(context["page_obj"].object_list, timezone.localdate())
    context.update(production=production, **abilities(request.user))
    return render(request, "library/production_media.html", context)
