"""The supervisor's desk (all of a supervisor's productions on one page) and the
coordinator's desk (the coordinator's home)."""

from django.shortcuts import render

from postdesk.coordination import queries
from postdesk.core.roles import MANAGE_DELIVERABLES, SUPERVISE_POST
from postdesk.web.access import capability_required


@capability_required(SUPERVISE_POST, internal=True)
def supervisor_desk(request):
    return render(
        request,
        "coordination/supervisor_desk.html",
        {"desk": queries.supervisor_desk(request.user)},
    )


@capability_required(MANAGE_DELIVERABLES, internal=True)
def coordinator_desk(request):
    return render(
        request, "coordination/coordinator_desk.html", {"desk": queries.coordinator_desk()}
    )
