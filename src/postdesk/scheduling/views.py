"""Web pages of scheduling: the booking board and the resource pages.

The board page is a shell: it renders the toolbar, the filter choices and the side panel,
and hands a small JSON config to static/scheduling/board.js, which draws the timeline from
the board endpoint of the API and makes every change through the API (same services, same
rules, same refusals as any other client).
"""

import datetime

import holidays
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from postdesk.core.models import Site
from postdesk.core.roles import CHANGE_BOOKINGS, VIEW_BOARD, VIEW_CLIENTS, VIEW_MONEY, can
from postdesk.core.timeutil import date_in_window, facility_zone, local_day_bounds
from postdesk.scheduling import queries
from postdesk.scheduling.forms import ResourceListForm, WeekForm
from postdesk.scheduling.models import WEEKDAYS, Allocation, Booking, Resource, Skill

BOARD_VIEWS = ("day", "week", "4week")
# Live updates: how often an open board asks "anything new?" (ETag, mostly 304s).
BOARD_POLL_MS = 1500


def _require(request, capability: str) -> None:
    if not can(request.user, capability):
        raise PermissionDenied(f"Your role may not see this (needs {capability.replace('_', ' ')})")


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


def _job_choices():
    from postdesk.productions.models import Job

    jobs = (
        Job.objects.filter(status__in=(Job.Status.ENQUIRY, Job.Status.ACTIVE))
        .select_related("client", "production")
        .order_by("client__name", "production__title", "number")
    )
    return [
        {
            "id": j.pk,
            "label": f"{j.number} · {j.client.name} / {j.production.title} — {j.description}",
        }
        for j in jobs
    ]


@login_required
def board(request):
    """The resource timeline. Everyone with view_board reads it; change_bookings edits it."""
    _require(request, VIEW_BOARD)
    zone = facility_zone()
    today = datetime.datetime.now(zone).date()
    view = request.GET.get("view") if request.GET.get("view") in BOARD_VIEWS else "week"
    try:
        anchor = datetime.date.fromisoformat(request.GET.get("date", ""))
    except ValueError:
        anchor = today
    if not date_in_window(anchor):
        anchor = today  # the board could not fetch a window there
    can_edit = can(request.user, CHANGE_BOOKINGS)
    sees_clients = can(request.user, VIEW_CLIENTS)
    sites = list(Site.objects.all())
    clients, productions = [], []
    if sees_clients:
        from postdesk.core.roles import scope_to_client
        from postdesk.productions.models import Client, Production

        clients = list(scope_to_client(request.user, Client.objects.order_by("name"), "pk"))
        productions = list(
            scope_to_client(
                request.user, Production.objects.select_related("client"), "client"
            ).order_by("title")
        )
    config = {
        "api": "/api/v1",
        "timeZone": settings.TIME_ZONE,
        "today": today.isoformat(),
        "view": view,
        "date": anchor.isoformat(),
        "canEdit": can_edit,
        "pollMs": BOARD_POLL_MS,
        "holidays": _holiday_dates(sites, today),
        "jobs": _job_choices() if can_edit else [],
        "resourceUrl": reverse("scheduling:resource", args=[0]).replace("/0/", "/{id}/"),
    }
    return render(
        request,
        "scheduling/board.html",
        {
            "config": config,
            "can_edit": can_edit,
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


@login_required
def resource_list(request):
    _require(request, VIEW_BOARD)
    form = ResourceListForm(request.GET or None)
    resources = Resource.objects.filter(archived_at__isnull=True).select_related("site")
    ordering = "name"
    if form.is_valid():
        data = form.cleaned_data
        if data.get("q"):
            resources = resources.filter(
                Q(name__icontains=data["q"]) | Q(skills__name__icontains=data["q"])
            ).distinct()
        if data.get("kind"):
            resources = resources.filter(kind=data["kind"])
        if data.get("site"):
            resources = resources.filter(site=data["site"])
        ordering = data.get("ordering") or "name"
    resources = resources.order_by(*ResourceListForm.ORDERINGS[ordering]).prefetch_related("skills")
    page = Paginator(resources, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    unsorted = query.copy()
    unsorted.pop("ordering", None)
    return render(
        request,
        "scheduling/resource_list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "query_wo_ordering": unsorted.urlencode() + "&" if unsorted else "",
            "ordering": ordering,
        },
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


def _entry_label(user, booking: Booking) -> str:
    """What a calendar entry says; client users see other companies' work only as "Booked"."""
    if booking.job is None:
        return booking.title or booking.get_kind_display()
    own_company = getattr(user, "client_id", None)
    if not can(user, VIEW_CLIENTS) or (own_company and booking.job.client_id != own_company):
        return "Booked"
    job = booking.job
    return f"{job.client.name} / {job.production.title} ({job.number})"


@login_required
def resource_detail(request, resource_id: int):
    _require(request, VIEW_BOARD)
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
                "label": _entry_label(request.user, a.booking),
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
            "sees_money": can(request.user, VIEW_MONEY),
            "sees_clients": can(request.user, VIEW_CLIENTS),
            "working_hours": [(day, resource.working_hours.get(day, [])) for day in WEEKDAYS]
            if isinstance(resource.working_hours, dict)
            else [],
        },
    )
