"""The accident book's pages: the list (searchable), an entry, a new entry."""

from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from postdesk.core.roles import KEEP_ACCIDENT_BOOK
from postdesk.frontdesk import accidents, lists
from postdesk.frontdesk.accident_forms import AccidentForm
from postdesk.web.access import capability_required
from postdesk.web.forms import form_page
from postdesk.web.listing import list_page


@capability_required(KEEP_ACCIDENT_BOOK, internal=True)
def accident_list(request):
    context = list_page(request, accidents.entries(request.user), lists.ACCIDENTS)
    return render(request, "frontdesk/accident_list.html", context)


@capability_required(KEEP_ACCIDENT_BOOK, internal=True)
def accident_detail(request, entry_id: int):
    entry = get_object_or_404(accidents.entries(request.user), pk=entry_id)
    return render(request, "frontdesk/accident_detail.html", {"entry": entry})


@capability_required(KEEP_ACCIDENT_BOOK, internal=True)
def accident_new(request):
    # The picker sends a wall-clock time: Django reads it in the current (facility's) zone.
    return form_page(
        request,
        AccidentForm(request.POST or None),
        accidents.record_accident,
        done=lambda e: (
            f"Recorded in the accident book: {e.person}",
            reverse("frontdesk:accident", args=[e.pk]),
        ),
        title="Record an accident",
        cancel_url=reverse("frontdesk:accidents"),
        actor=request.user,
    )
