"""Pages for places: the location browser (the tree with roll-up counts, what a location
holds), stock-takes (start, scan, close, the result with one-click "move here"), and the
scan station."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from postdesk.core.errors import DomainError
from postdesk.core.roles import (
    DISPATCH_MEDIA,
    MANAGE_LIBRARY,
    MOVE_MEDIA,
    VIEW_MEDIA,
)
from postdesk.library import lists, services
from postdesk.library.forms import (
    BadgeForm,
    LocationEditForm,
    LocationForm,
    StockTakeForm,
    StockTakeScanForm,
)
from postdesk.library.models import Badge, Location, MediaItem, StockTake
from postdesk.library.serialise import location_tree
from postdesk.library.serialise import stocktakes as stocktake_rows
from postdesk.library.views import abilities, annotate_places, items_for
from postdesk.web.access import capability_required
from postdesk.web.confirm import confirm_action
from postdesk.web.forms import call_service, form_page
from postdesk.web.listing import list_page

# The vault's layout and counts are the facility's own (a client user sees its company's
# items and where each is, not the shelves and what else they hold): `internal`.


@capability_required(VIEW_MEDIA, internal=True)
def locations(request):
    return render(
        request,
        "library/locations.html",
        {"tree": location_tree(None), **abilities(request.user)},
    )


@capability_required(VIEW_MEDIA, internal=True)
def location_detail(request, pk: int):
    location = get_object_or_404(Location, pk=pk)
    tree = location_tree(location, include_archived=True)
    # What it holds, its sub-locations included: the roll-up, item by item.
    qs = items_for(request.user).filter(
        location_id__in=Location.ids_under(location.path), destroyed_at__isnull=True
    )
    context = list_page(request, qs, lists.LOCATION_CONTENTS, page_size=50)
    annotate_places(context["page_obj"].object_list, timezone.localdate())
    ancestors = Location.objects.filter(
        pk__in=[int(p) for p in location.path.strip("/").split("/")[:-1] if p]
    ).order_by("path")
    context.update(
        location=location,
        node=tree[0],
        children=tree[1:],
        ancestors=list(ancestors),
        open_stocktakes=list(location.stocktakes.filter(status=StockTake.Status.OPEN)),
        **abilities(request.user),
    )
    return render(request, "library/location_detail.html", context)


@capability_required(MANAGE_LIBRARY)
def location_create(request):
    initial = {}
    if request.GET.get("parent", "").isdigit():
        initial["parent"] = request.GET["parent"]
    return form_page(
        request,
        LocationForm(request.POST or None, initial=initial),
        services.create_location,
        actor=request.user,
        done=lambda location: (
            f"Added {location.name} ({location.barcode}).",
            reverse("library:location-detail", args=[location.pk]),
        ),
        title="New location",
        cancel_url=reverse("library:locations"),
    )


@capability_required(MANAGE_LIBRARY)
def location_edit(request, pk: int):
    location = get_object_or_404(Location, pk=pk, archived=False)
    detail = reverse("library:location-detail", args=[pk])
    return form_page(
        request,
        LocationEditForm(request.POST or None, location=location),
        lambda actor, **changes: services.change_location(location, actor=actor, **changes),
        actor=request.user,
        done=lambda saved: (f"Saved {saved.name}.", detail),
        title=f"Edit {location.name} ({location.barcode})",
        cancel_url=detail,
    )


@capability_required(MANAGE_LIBRARY)
def location_archive(request, pk: int):
    location = get_object_or_404(Location, pk=pk, archived=False)
    detail = reverse("library:location-detail", args=[pk])
    return confirm_action(
        request,
        act=lambda: services.archive_location(location, actor=request.user),
        done_url=reverse("library:locations"),
        done_message=f"Archived {location.name} and everything below it.",
        title=f"Archive {location.name} ({location.barcode})?",
        explain=(
            f"{location.name} and every location inside it leave the tree, the move forms "
            "and the scan station. Only an empty location can be archived: move its items "
            "out first. Its history stays."
        ),
        button=f"Archive {location.name}",
        cancel_url=detail,
    )


# --- badges -----------------------------------------------------------------------------


@capability_required(MANAGE_LIBRARY)
def badges(request):
    """Who has a badge, and a form to give one (scanning it at the station checks the
    scanned items out to its holder)."""
    form = BadgeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        saved = call_service(
            form,
            lambda user, code, actor: services.set_badge(user, code, actor=actor),
            actor=request.user,
        )
        if saved is not None:
            messages.success(request, f"Badge {saved.code} is {saved.user.display_name}'s.")
            return redirect("library:badges")
    rows = Badge.objects.select_related("user").order_by("user__first_name", "user__username")
    return render(
        request,
        "library/badges.html",
        {"badges": rows, "form": form, **abilities(request.user)},
    )


# --- stock-takes ------------------------------------------------------------------------


@capability_required(MANAGE_LIBRARY)
def stocktakes(request):
    context = list_page(request, stocktake_rows(), lists.STOCKTAKES)
    return render(request, "library/stocktakes.html", context)


@capability_required(MANAGE_LIBRARY)
def stocktake_create(request):
    initial = {}
    if request.GET.get("location", "").isdigit():
        initial["location"] = request.GET["location"]
    return form_page(
        request,
        StockTakeForm(request.POST or None, initial=initial),
        lambda location, actor: services.start_stocktake(location, actor=actor),
        actor=request.user,
        done=lambda st: (
            f"Started a stock-take of {st.location.name}: scan what is there.",
            reverse("library:stocktake-detail", args=[st.pk]),
        ),
        title="Start a stock-take",
        cancel_url=reverse("library:stocktakes"),
    )


def _stocktake(pk: int) -> StockTake:
    return get_object_or_404(
        stocktake_rows(),
        pk=pk,
    )


@capability_required(MANAGE_LIBRARY)
def stocktake_detail(request, pk: int):
    """An open stock-take takes scans and shows its classes as things stand; a closed
    one shows the result frozen at closing, misplaced items with "Move here"."""
    stocktake = _stocktake(pk)
    form = None
    if stocktake.status == StockTake.Status.OPEN:
        form = StockTakeScanForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            done = call_service(
                form,
                lambda codes, actor: services.record_scans(stocktake, codes, actor=actor),
                actor=request.user,
            )
            if done:
                count = done["recorded"]
                messages.success(request, f"Recorded {count} scan{'s' * (count != 1)}.")
                return redirect("library:stocktake-detail", pk=pk)
        result = services.classify(stocktake)
    else:
        result = stocktake.result
    return render(
        request,
        "library/stocktake_detail.html",
        {
            "stocktake": stocktake,
            "form": form,
            "recent": list(stocktake.scans.select_related("location").order_by("-id")[:30]),
            "result": result,
            "resolved": {entry["item"] for entry in result.get("resolved", [])},
            **abilities(request.user),
        },
    )


@capability_required(MANAGE_LIBRARY)
def stocktake_close(request, pk: int):
    """GET asks for confirmation (closing freezes the result); POST closes."""
    stocktake = _stocktake(pk)
    return confirm_action(
        request,
        act=lambda: services.close_stocktake(stocktake, actor=request.user),
        done_url=reverse("library:stocktake-detail", args=[pk]),
        done_message=f"Closed the stock-take of {stocktake.location.name}.",
        title=f"Close the stock-take of {stocktake.location.name}?",
        explain=(
            "Closing compares what was scanned with the records: anything not scanned "
            "is reported missing. No more scans can be added afterwards."
        ),
        button="Close the stock-take",
        cancel_url=reverse("library:stocktake-detail", args=[pk]),
        danger=False,
    )


@require_POST
@capability_required(MANAGE_LIBRARY)
def stocktake_resolve(request, pk: int, item_pk: int):
    """One click moves a misplaced item to where the stock-take found it; the movement
    records why (the stock-take, and a reason the form may change)."""
    stocktake = _stocktake(pk)
    item = get_object_or_404(MediaItem, pk=item_pk)
    reason = request.POST.get("reason", "").strip()[:400] or (
        f"Found there by the stock-take of {stocktake.location.name}"
    )
    try:
        services.resolve_misplaced(stocktake, item.pk, reason=reason, actor=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"Moved {item.barcode} to where it was found.")
    return redirect(reverse("library:stocktake-detail", args=[pk]) + "#misplaced")


# --- the scan station -------------------------------------------------------------------


@capability_required(any_of=(MOVE_MEDIA, DISPATCH_MEDIA))
def scan_station(request):
    """For those who move media and those who receive it at the door (as the API)."""
    return render(
        request,
        "library/scan.html",
        {"can_register": abilities(request.user)["can_change"]},
    )
