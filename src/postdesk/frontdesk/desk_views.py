"""The front desk's pages: reception's desk (today's arrivals, who is in) and the kiosk."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from postdesk.core.errors import DomainError
from postdesk.core.roles import DISPATCH_MEDIA, RECEIVE_VISITORS, RUN_FRONT_OFFICE
from postdesk.frontdesk import catering, traffic, visitor_queries, visitor_services
from postdesk.frontdesk.messages import visible_to as messages_visible_to
from postdesk.frontdesk.models import RunnerTask
from postdesk.web.access import allowed, capability_required

# The desk's cards show the latest few; the traffic page and the message log hold the rest.
DESK_ROWS = 5


def _hosts():
    """The staff a walk-in may ask for (client users are never hosts)."""
    return (
        get_user_model()
        .objects.filter(is_active=True, client__isnull=True)
        .order_by("first_name", "last_name", "username")
    )


@capability_required(RECEIVE_VISITORS)
def desk(request):
    """Reception's home: today's arrivals by time with suite and host, who is in now,
    today's traffic and the messages not yet dealt with."""
    expected = visitor_queries.expected(request.user)
    context = {
        **_traffic_card(request.user),
        "perms_front_office": allowed(request.user, RUN_FRONT_OFFICE),
        "open_messages": list(
            messages_visible_to(request.user).filter(dealt_with_at__isnull=True)[:DESK_ROWS]
        ),
        "expected": expected,
        "waiting": sum(1 for row in expected if not row["arrived"]),
        "on_site": visitor_queries.on_site().order_by("signed_in_at"),
        "open_tasks": RunnerTask.objects.filter(status=RunnerTask.Status.OPEN).count(),
        # Today's drinks and lunches, for those who order them (no money on the desk).
        "catering_today": (
            list(catering.for_day()[:DESK_ROWS])
            if allowed(request.user, RUN_FRONT_OFFICE)
            else None
        ),
    }
    return render(request, "frontdesk/desk.html", context)


def _traffic_card(user) -> dict:
    if not allowed(user, DISPATCH_MEDIA):
        return {"traffic": None}
    start, end = traffic.day_bounds(traffic.today())
    deliveries = traffic.deliveries().filter(received_at__gte=start, received_at__lt=end)
    dispatches = traffic.dispatches().filter(dispatched_at__gte=start, dispatched_at__lt=end)
    return {
        "traffic": {
            "deliveries": deliveries.count(),
            "dispatches": dispatches.count(),
            "latest": list(deliveries[:DESK_ROWS]),
        }
    }


@require_POST
@capability_required(RECEIVE_VISITORS)
def sign_out(request, visit_id: int):
    """The desk's one-tap sign-out."""
    try:
        visit = visitor_services.sign_out(visit_id, actor=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"Signed out {visit.name}")
    return redirect("frontdesk:desk")


@capability_required(RECEIVE_VISITORS)
def kiosk(request):
    """The touch screen in the lobby: no staff menu, search from three letters, walk-ins
    welcome. Its script signs in through the API and opens the badge."""
    return render(request, "frontdesk/kiosk.html", {"hosts": _hosts()})


@capability_required(RECEIVE_VISITORS)
def roll_call(request):
    """On site now and the fire roll call, for a marshal's phone; live by polling, and
    the printed copy one click away."""
    return render(request, "frontdesk/roll_call.html", {"poll_ms": 3000})
