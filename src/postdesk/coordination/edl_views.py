"""EDL pages: a production's imported EDLs, importing one, the pull list of one cut
("which tapes or drives does this cut need") and, for the library, the reels no media
item holds. Media is the library's to show: these pages ask for view_media."""

from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from postdesk.coordination import edl, queries
from postdesk.coordination.edl_forms import EdlImportForm
from postdesk.coordination.models import Edl
from postdesk.core.roles import MANAGE_DELIVERABLES, VIEW_MEDIA
from postdesk.web.access import allowed, capability_required
from postdesk.web.forms import form_page

RULE = {"internal": True}


@capability_required(VIEW_MEDIA, **RULE)
def edl_list(request, pk: int):
    prod = get_object_or_404(queries.productions_for(request.user), pk=pk)
    rows = Edl.objects.filter(production=prod).select_related("version__document")
    return render(
        request,
        "coordination/edls.html",
        {
            "production": prod,
            "edls": rows,
            "can_manage": allowed(request.user, MANAGE_DELIVERABLES, **RULE),
        },
    )


@capability_required(MANAGE_DELIVERABLES, **RULE)
def edl_import(request, pk: int):
    prod = get_object_or_404(queries.productions_for(request.user), pk=pk)
    return form_page(
        request,
        EdlImportForm(request.POST or None, request.FILES or None),
        edl.import_edl,
        production=prod,
        actor=request.user,
        done=lambda e: (
            f"Imported {e.event_count} events.",
            reverse("coordination:edl", args=[e.pk]),
        ),
        title=f"Import an EDL for {prod.title}",
        cancel_url=reverse("coordination:edls", args=[prod.pk]),
    )


@capability_required(VIEW_MEDIA, **RULE)
def edl_detail(request, pk: int):
    """The pull list: each reel of the cut with the media items that hold it, the reels
    the library does not have, then the events."""
    item = get_object_or_404(Edl.objects.select_related("production", "version__document"), pk=pk)
    return render(
        request,
        "coordination/edl.html",
        {
            "edl": item,
            "production": item.production,
            "pull": edl.pull_list(item),
            "events": edl.event_rows(item),
        },
    )


@capability_required(VIEW_MEDIA, **RULE)
def unmatched(request):
    """Every reel of the productions' latest EDLs that no media item holds."""
    return render(request, "coordination/edl_unmatched.html", {"rows": edl.unmatched_reels()})
