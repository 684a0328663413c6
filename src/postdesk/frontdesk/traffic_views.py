"""The traffic pages: the day's log (searchable) and the delivery and dispatch forms."""

import datetime

from django.shortcuts import render
from django.urls import reverse

from postdesk.core.roles import DISPATCH_MEDIA
from postdesk.frontdesk import lists, traffic
from postdesk.frontdesk.traffic_forms import DeliveryForm, DispatchForm
from postdesk.web.access import capability_required
from postdesk.web.forms import form_page
from postdesk.web.listing import list_page

# A day's log is short; past this the page shows the first so many of each.
LOG_ROWS = 100


def _day(request) -> datetime.date:
    try:
        return lists.parse_day(request.GET.get("day", "").strip())
    except ValueError:
        return traffic.today()


@capability_required(DISPATCH_MEDIA, internal=True)
def traffic_log(request):
    """A day's deliveries and dispatches (today unless `day`), searched by `q`."""
    day = _day(request)
    params = request.GET.copy()
    params["day"] = day.isoformat()
    deliveries = list_page(
        request, traffic.deliveries(), lists.DELIVERIES, page_size=LOG_ROWS, params=params
    )
    dispatches = list_page(
        request,
        traffic.dispatches(),
        lists.DISPATCHES,
        page_size=LOG_ROWS,
        sort_param="dsort",
        params=params,
    )
    context = {
        **deliveries,
        "dispatches": dispatches["page_obj"],
        "dispatch_sorts": dispatches["sort_links"],
        "day": day,
        "previous_day": (day - datetime.timedelta(days=1)).isoformat(),
        "next_day": (day + datetime.timedelta(days=1)).isoformat(),
    }
    return render(request, "frontdesk/traffic.html", context)


def _done(what: str):
    def done(record):
        return f"{what} logged", reverse("frontdesk:traffic")

    return done


@capability_required(DISPATCH_MEDIA, internal=True)
def delivery_new(request):
    form = DeliveryForm(request.POST or None)
    return form_page(
        request,
        form,
        traffic.record_delivery,
        done=_done("Delivery"),
        title="Log a delivery",
        cancel_url=reverse("frontdesk:traffic"),
        actor=request.user,
    )


@capability_required(DISPATCH_MEDIA, internal=True)
def dispatch_new(request):
    form = DispatchForm(request.POST or None)
    return form_page(
        request,
        form,
        traffic.record_dispatch,
        done=_done("Dispatch"),
        title="Log a dispatch",
        cancel_url=reverse("frontdesk:traffic"),
        actor=request.user,
    )
