"""The runner board page (/runners/): phone-sized, live by polling the API's ETag."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone

from postdesk.core.errors import DomainError
from postdesk.core.roles import USE_RUNNER_BOARD
from postdesk.core.timeutil import facility_zone
from postdesk.frontdesk import queries, services
from postdesk.frontdesk.forms import TaskForm
from postdesk.web.access import capability_required

# How often an open board asks "anything new?" (mostly 304s, one aggregate query each).
POLL_MS = 2000


@capability_required(USE_RUNNER_BOARD)
def runners(request):
    """The board; its form posts a task (the page's scripts redraw the list live)."""
    form = TaskForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        if data["due_at"] is not None and timezone.is_naive(data["due_at"]):
            # The picker sends a wall-clock time; it is the facility's.
            data["due_at"] = timezone.make_aware(data["due_at"], facility_zone())
        try:
            task = services.post_task(actor=request.user, **data)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, f"Posted: {task.title}")
            return redirect("frontdesk:runners")
    payload, etag = queries.board(request.user)
    context = {
        "form": form,
        "board": payload,
        "etag": etag,
        "poll_ms": POLL_MS,
        "runners": queries.runners() if payload["can_assign"] else [],
    }
    return render(request, "frontdesk/runners.html", context, status=400 if form.errors else 200)
