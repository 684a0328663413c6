"""Web pages of scheduling: the booking board and the resource pages.

The board page is a shell: it renders the toolbar, the filter choices and the side panel,
and hands a small JSON config to static/scheduling/board.js, which draws the timeline from
the board endpoint of the API and makes every change through the API (same services, same
rules, same refusals as any other client).
"""

import datetime

import holidays
from django.conf import settings
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from postdesk.core import facility
from postdesk.core.models import Site
from postdesk.core.roles import (
    ANY_WORK,
    MANAGE_RESOURCES,
    VIEW_BOARD,
    VIEW_CLIENTS,
    booking_rights,
    scope_to_client,
)
from postdesk.core.timeutil import date_in_window, facility_zone, local_day_bounds
from postdesk.productions.models import Client, Job, Production
from postdesk.scheduling import lists, queries
from postdesk.scheduling.forms import ResourceListForm, WeekForm
from postdesk.scheduling.models import WEEKDAYS, Allocation, Booking, Resource, Skill
from postdesk.scheduling.visibility import BOOKING, RESOURCE
from postdesk.web.access import allowed, capability_required
from postdesk.web.listing import cleaned_query, for_page, list_page

BOARD_VIEWS = ("day", "week", "4week")
# Live updates: how often an open board asks "anything new?" (ETag, mostly 304s).
BOARD_POLL_MS = 1500


def _holiday_dates(sites, today: datetime.date) -> dict[str, str]:
    """Bank holidays of every site from last year to next, as {"2026-12-25": "Christmas Day"}."""
    years = [today.year - 1, today.year, today.year + 1]
    dates: dict[str, str] = {}
    places = {(s.country or "GB", s.subdivision or None) for s in sites} or {("GB", "ENG")}
    for country, subdivision in sorted(places, key=lambda p: (p[0], p[1] or "")):
        try:
            calendar = holidays.country_holidays(country, subdiv=subdivision, years=years)
        except NotImplementedError:  # the holidays package does not know this country
            continue
        for day, name in calendar.items():
            dates.setdefault(day.isoformat(), name)
    return dict(sorted(dates.items()))


def _job_choices(work_types=ANY_WORK):
    """Open jobs to book, of the given work types (all by default)."""
    jobs = (
        Job.objects.filter(status__in=(Job.Status.ENQUIRY, Job.Status.ACTIVE))
        .select_related("client", "production")
        .order_by("client__name", "production__title", "number")
    )
    if work_types is not ANY_WORK:
        jobs = jobs.filter(work_type__in=sorted(work_types))
    return [
        {
            "id": j.pk,
            "label": f"{j.number} · {j.client.name} / {j.production.title} — {j.description}",
        }
        for j in jobs
    ]


def _shown_day(request, today: datetime.date) -> tuple[str, datetime.date]:
    """The board's view (day, week, 4week) and the day it opens on, from ?view=&date=;
    anything else opens this week."""
    view = request.GET.get("view") if request.GET.get("view") in BOARD_VIEWS else "week"
    try:
        anchor = datetime.date.fromisoformat(request.GET.get("date", ""))
    except ValueError:
        anchor = today
    if not date_in_window(anchor):
        anchor = today  # the board could not fetch a window there
    return view, anchor


def _board_config(request, rights: dict, sites) -> dict:
    """What static/scheduling/board.js needs to draw the board and offer what the user may
    book (core/roles.py); the services refuse the rest whatever the page offers."""
    today = datetime.datetime.now(facility_zone()).date()
    view, anchor = _shown_day(request, today)
    # The board draws the facility's working day (a setting staff change), so that a
    # 10-hour session fills most of its day rather than 40% of a 24-hour one.
    facility_settings = facility.current()
    return {
        "api": "/api/v1",
        "timeZone": settings.TIME_ZONE,
        "today": today.isoformat(),
        "view": view,
        "date": anchor.isoformat(),
        "canEdit": bool(rights),
        "bookKinds": [kind for kind in Booking.Kind.values if kind in rights],
        "jobsLimited": rights.get("job", ANY_WORK) is not ANY_WORK,
        "pollMs": BOARD_POLL_MS,
        "holidays": _holiday_dates(sites, today),
        "jobs": _job_choices(rights["job"]) if "job" in rights else [],
        "resourceUrl": reverse("scheduling:resource", args=[0]).replace("/0/", "/{id}/"),
        "dayStart": facility_settings.board_day_start.strftime("%H:%M"),
        "dayEnd": facility_settings.board_day_end.strftime("%H:%M"),
    }


@capability_required(VIEW_BOARD)
def board(request):
    """The resource timeline. Everyone with view_board reads it; change_bookings edits it."""
    rights = booking_rights(request.user)
    sees_clients = allowed(request.user, VIEW_CLIENTS)
    sites = list(Site.objects.all())
    clients, productions = [], []
    if sees_clients:
        clients = list(scope_to_client(request.user, Client.objects.order_by("name"), "pk"))
        productions = list(
            scope_to_client(
                request.user, Production.objects.select_related("client"), "client"
            ).order_by("title")
        )
    return render(
        request,
        "scheduling/board.html",
        {
            "config": _board_config(request, rights, sites),
            "can_edit": bool(rights),
            "sees_clients": sees_clients,
            "sites": sites,
            "kinds": Resource.Kind.choices,
            "skills": Skill.objects.all(),
            "clients": clients,
            "productions": productions,
            "statuses": [
                (Booking.Status.PENCIL, "Pencils"),
                (Booking.Status.CONFIRMED, "Confirmed"),
                (Booking.Status.COMPLETED, "Completed"),
            ],
            "body_class": "board-page",
        },
    )


# The API's resource list (scheduling/lists.py) as the page shows it: by name, also found
# by a skill's name; sorting by site or kind keeps each group in the board's order.
RESOURCE_LIST = for_page(lists.RESOURCES, search=("skills__name",), default_sort="name")
RESOURCE_TIES = {"site": "kind,sort_order,name", "kind": "name"}


@capability_required(VIEW_BOARD)
def resource_list(request):
    # The form draws the filters and cleans them; the spec applies what cleaned.
    form = ResourceListForm(request.GET or None)
    params = cleaned_query(request, form)
    # Searching a skill's name joins the skills: distinct keeps one row per resource.
    resources = Resource.objects.select_related("site").prefetch_related("skills").distinct()
    if not params.get("archived"):
        resources = resources.filter(archived_at__isnull=True)  # current ones unless asked
    # `ordering`: the page's links predate the other pages' `sort`.
    listing = list_page(
        request,
        resources,
        RESOURCE_LIST,
        page_size=50,
        sort_param="ordering",
        then=RESOURCE_TIES,
        params=params,
    )
    return render(
        request,
        "scheduling/resource_list.html",
        {**listing, "form": form, "can_manage": allowed(request.user, MANAGE_RESOURCES)},
    )


def _utilisation(resource: Resource, first_day: datetime.date, weeks: int = 4):
    """Per week: working, confirmed and pencilled hours, and the confirmed share."""
    zone = resource.site.zone
    result = []
    for w in range(weeks):
        week = first_day + datetime.timedelta(weeks=w)
        start, _ = local_day_bounds(week, zone)
        end, _ = local_day_bounds(week + datetime.timedelta(weeks=1), zone)
        (row,) = queries.utilisation(resource_ids=[resource.pk], start=start, end=end)
        share = row["utilisation"]
        result.append(
            {
                "week": week,
                "working": round(row["working_hours"], 1),
                "booked": round(row["booked_hours"], 1),
                "pencilled": round(row["pencilled_hours"], 1),
                "percent": None if share is None else round(share * 100),
            }
        )
    return result


def _entry_text(user, booking: Booking) -> tuple[str, str]:
    """What a calendar entry says, (label, title), as BOOKING lets the user see it: to a
    client user, another company's booking or the facility's own is plain "Booked"."""
    job = booking.job
    if BOOKING.is_foreign(user, job.client_id if job is not None else None):
        return "Booked", ""
    title = booking.title if "title" not in BOOKING.hidden(user) else ""
    if job is None:
        return booking.get_kind_display(), title
    return f"{job.client.name} / {job.production.title} ({job.number})", title


@capability_required(VIEW_BOARD)
def resource_detail(request, resource_id: int):
    resource = get_object_or_404(
        Resource.objects.select_related("site", "location").prefetch_related("skills"),
        pk=resource_id,
    )
    zone = resource.site.zone
    today = datetime.datetime.now(zone).date()
    form = WeekForm(request.GET or None)
    week = form.cleaned_data["week"] if form.is_valid() and form.cleaned_data.get("week") else today
    week = week - datetime.timedelta(days=week.weekday())
    week_start, _ = local_day_bounds(week, zone)
    week_end, _ = local_day_bounds(week + datetime.timedelta(days=7), zone)
    allocations = (
        Allocation.objects.filter(
            resource=resource,
            start__lt=week_end,
            end__gt=week_start,
            status__in=Booking.ACTIVE_STATUSES,
        )
        .select_related("booking__job__client", "booking__job__production")
        .order_by("start")
    )
    days = []
    for offset in range(7):
        day = week + datetime.timedelta(days=offset)
        day_start, day_end = local_day_bounds(day, zone)
        entries = [
            {
                "allocation": a,
                "text": _entry_text(request.user, a.booking),
                "start": max(a.start, day_start).astimezone(zone),
                "end": min(a.end, day_end).astimezone(zone),
            }
            for a in allocations
            if a.start < day_end and a.end > day_start
        ]
        days.append({"date": day, "entries": entries})
    return render(
        request,
        "scheduling/resource_detail.html",
        {
            "resource": resource,
            "days": days,
            "week": week,
            "previous_week": week - datetime.timedelta(days=7),
            "next_week": week + datetime.timedelta(days=7),
            "utilisation": _utilisation(resource, today - datetime.timedelta(days=today.weekday())),
            "shows": RESOURCE.shown(request.user),
            "can_manage": allowed(request.user, MANAGE_RESOURCES),
            "working_hours": [(day, resource.working_hours.get(day, [])) for day in WEEKDAYS]
            if isinstance(resource.working_hours, dict)
            else [],
        },
    )
