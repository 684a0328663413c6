"""Engineering's pages: the engineer's home, the register, tickets (and the phone-sized
report), downtime, schedules, PAT and the timecode calculator. As thin as the API."""

import calendar
import datetime

from django.contrib import messages
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from postdesk.core.errors import DomainError
from postdesk.core.exports import csv_text
from postdesk.core.roles import MANAGE_ENGINEERING, REPORT_FAULTS, VIEW_ENGINEERING, can
from postdesk.engineering import asset_tags, lists, queries, services
from postdesk.engineering.forms import (
    AssetForm,
    EstimateForm,
    LicenceForm,
    MachineForm,
    NoteForm,
    PatForm,
    ReportForm,
    ScheduleForm,
    SignalPathForm,
    StateForm,
    TimecodeForm,
)
from postdesk.engineering.models import (
    Asset,
    FaultTicket,
    Machine,
    MaintenanceSchedule,
    SignalPath,
)
from postdesk.library.labels import Layout
from postdesk.scheduling.models import Resource
from postdesk.web.access import capability_required
from postdesk.web.forms import form_page
from postdesk.web.listing import list_page


def _month_end():
    today = timezone.localdate()
    return today.replace(day=calendar.monthrange(today.year, today.month)[1])


@capability_required(VIEW_ENGINEERING)
def home(request):
    tickets = list(queries.open_tickets().select_related("room", "asset"))
    by_severity = {s: [t for t in tickets if t.severity == s] for s in FaultTicket.Severity.values}
    return render(
        request,
        "engineering/home.html",
        {
            "severities": [
                (label, by_severity[value]) for value, label in FaultTicket.Severity.choices
            ],
            "rooms_down": list(queries.rooms_down().values()),
            "maintenance_due": queries.maintenance_due(),
            "pat_due": queries.pat_due(by=_month_end()),
            "qc_running": list(queries.qc_running()[:20]),
            "can_manage": can(request.user, MANAGE_ENGINEERING),
        },
    )


# --- the register ---------------------------------------------------------------------


@capability_required(VIEW_ENGINEERING)
def asset_list(request):
    context = list_page(request, queries.assets(), lists.ASSETS)
    context["can_manage"] = can(request.user, MANAGE_ENGINEERING)
    return render(request, "engineering/asset_list.html", context)


@capability_required(VIEW_ENGINEERING)
def asset_detail(request, pk: int):
    asset = get_object_or_404(
        Asset.objects.select_related("room", "library_location", "resource"), pk=pk
    )
    return render(
        request,
        "engineering/asset_detail.html",
        {
            "asset": asset,
            "pat_tests": list(asset.pat_tests.all()[:50]),
            "tickets": list(asset.tickets.all()[:50]),
            "critical": list(queries.critical_assets(asset.room_id)) if asset.room_id else [],
        },
    )


@capability_required(VIEW_ENGINEERING)
def asset_tag(request, pk: int):
    """The asset's tag as a PDF label, on the roll (default) or an A4 sheet."""
    asset = get_object_or_404(
        Asset.objects.select_related("room", "library_location", "resource"), pk=pk
    )
    value = request.GET.get("layout", Layout.ROLL_62X29.value)
    if value not in {x.value for x in Layout}:
        return HttpResponse(
            f"Unknown label layout {value[:40]!r}", status=400, content_type="text/plain"
        )
    layout = Layout(value)
    response = HttpResponse(
        asset_tags.asset_tags_pdf([asset], layout), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'inline; filename="{asset_tags.filename(asset, layout)}"'
    return response


@capability_required(MANAGE_ENGINEERING)
def asset_new(request):
    return form_page(
        request,
        AssetForm(request.POST or None),
        services.create_asset,
        actor=request.user,
        done=lambda a: (f"Added asset {a.tag}.", reverse("engineering:asset", args=[a.pk])),
        title="New asset",
        cancel_url=reverse("engineering:assets"),
    )


# --- tickets ----------------------------------------------------------------------------


@capability_required(REPORT_FAULTS)
def report(request):
    """The phone-sized report: a room, how bad, a line, maybe a photo; one tap to send."""
    form = ReportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        photo = data.pop("photo", None)
        ticket = _report_or_errors(request, form, data, photo)
        if ticket is not None:
            messages.success(request, f"Fault {ticket.pk} reported. Thank you.")
            if can(request.user, VIEW_ENGINEERING):
                return redirect("engineering:ticket", ticket.pk)
            return redirect("engineering:report")
    return render(request, "engineering/report.html", {"form": form})


def _report_or_errors(request, form, data, photo):
    """The ticket with its photo, in one transaction; a refusal becomes a form error."""
    try:
        with transaction.atomic():
            ticket = services.report_fault(actor=request.user, **data)
            if photo is not None:
                services.attach_photo(
                    ticket, actor=request.user, upload=photo, image_format=photo.image.format
                )
            return ticket
    except DomainError as exc:
        form.add_error(None, exc.message)
        return None


@capability_required(VIEW_ENGINEERING)
def ticket_list(request):
    qs = FaultTicket.objects.select_related("room", "asset", "reporter")
    context = list_page(request, qs, lists.TICKETS)
    return render(request, "engineering/ticket_list.html", context)


@capability_required(VIEW_ENGINEERING)
def ticket_detail(request, pk: int):
    ticket = get_object_or_404(
        FaultTicket.objects.select_related("room", "asset", "reporter"), pk=pk
    )
    return render(
        request,
        "engineering/ticket_detail.html",
        {
            "ticket": ticket,
            "notes": list(ticket.notes.select_related("author")),
            "photos": list(ticket.photos.all()),
            "minutes": queries.time_spent(ticket),
            "blocks": list(ticket.blocks.filter(status="confirmed").order_by("start")),
            "plan": queries.room_down_plan(ticket),
            "can_manage": can(request.user, MANAGE_ENGINEERING),
            "state_form": StateForm(),
            "note_form": NoteForm(),
            "estimate_form": EstimateForm(),
        },
    )


def _ticket_action(request, pk: int, run):
    ticket = get_object_or_404(FaultTicket, pk=pk)
    try:
        message = run(ticket)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, message)
    return redirect("engineering:ticket", pk)


@require_POST
@capability_required(MANAGE_ENGINEERING)
def ticket_state(request, pk: int):
    form = StateForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose a state; minutes are a whole number.")
        return redirect("engineering:ticket", pk)
    return _ticket_action(
        request,
        pk,
        lambda t: (
            services.change_state(t, actor=request.user, **form.cleaned_data)
            and f"Fault {pk} is now {form.cleaned_data['state'].replace('_', ' ')}."
        ),
    )


@require_POST
@capability_required(MANAGE_ENGINEERING)
def ticket_note(request, pk: int):
    form = NoteForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Write the note; minutes are a whole number.")
        return redirect("engineering:ticket", pk)
    return _ticket_action(
        request,
        pk,
        lambda t: services.add_note(t, actor=request.user, **form.cleaned_data) and "Note added.",
    )


@require_POST
@capability_required(MANAGE_ENGINEERING)
def ticket_estimate(request, pk: int):
    form = EstimateForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Give a date and time for the estimate.")
        return redirect("engineering:ticket", pk)
    return _ticket_action(
        request,
        pk,
        lambda t: (
            services.set_estimate(t, actor=request.user, **form.cleaned_data)
            and "Estimate changed; the block on the board follows it."
        ),
    )


@require_POST
@capability_required(VIEW_ENGINEERING)
def ticket_move(request, pk: int):
    booking, room = request.POST.get("booking", ""), request.POST.get("to_room", "")
    if not (booking.isdigit() and room.isdigit()):
        messages.error(request, "Choose a booking and a room.")
        return redirect("engineering:ticket", pk)
    return _ticket_action(
        request,
        pk,
        lambda t: (
            services.move_off(t, actor=request.user, booking=int(booking), to_room=int(room))
            and f"Moved booking {booking}."
        ),
    )


@require_POST
@capability_required(VIEW_ENGINEERING)
def ticket_move_all(request, pk: int):
    return _ticket_action(
        request,
        pk,
        lambda t: f"Moved {len(services.move_all_off(t, actor=request.user))} bookings.",
    )


@capability_required(VIEW_ENGINEERING)
def downtime(request):
    report = queries.downtime()
    if request.GET.get("format") == "csv":
        response = HttpResponse(
            csv_text(queries.downtime_csv_rows(report)), content_type="text/csv"
        )
        response["Content-Disposition"] = 'attachment; filename="downtime.csv"'
        return response
    return render(request, "engineering/downtime.html", report)


# --- maintenance and PAT ---------------------------------------------------------------


@capability_required(VIEW_ENGINEERING)
def schedule_list(request):
    now = timezone.now()
    qs = MaintenanceSchedule.objects.select_related("room", "asset", "placed")
    context = list_page(request, qs, lists.SCHEDULES)
    # Each schedule's due status costs a query (booked hours): only the page's rows.
    context["rows"] = [(s, queries.schedule_status(s, now=now)) for s in context["page_obj"]]
    context["can_manage"] = can(request.user, MANAGE_ENGINEERING)
    return render(request, "engineering/schedule_list.html", context)


@capability_required(MANAGE_ENGINEERING)
def schedule_new(request):
    return form_page(
        request,
        ScheduleForm(request.POST or None),
        services.create_schedule,
        actor=request.user,
        done=lambda s: (f"Added schedule {s.title}.", reverse("engineering:schedules")),
        title="New maintenance schedule",
        cancel_url=reverse("engineering:schedules"),
    )


def _schedule_action(request, pk: int, run):
    schedule = get_object_or_404(MaintenanceSchedule, pk=pk)
    try:
        messages.success(request, run(schedule))
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("engineering:schedules")


@require_POST
@capability_required(MANAGE_ENGINEERING)
def schedule_place(request, pk: int):
    def run(s):
        block = services.place_task(s, actor=request.user)
        start = timezone.localtime(block.start)
        return f"{s.title} is on the board from {start:%a %d %b %H:%M}."

    return _schedule_action(request, pk, run)


@require_POST
@capability_required(MANAGE_ENGINEERING)
def schedule_done(request, pk: int):
    return _schedule_action(
        request, pk, lambda s: services.mark_done(s, actor=request.user) and f"{s.title}: done."
    )


@capability_required(VIEW_ENGINEERING)
def pat(request):
    by = _month_end()
    return render(
        request,
        "engineering/pat.html",
        {"by": by, **queries.pat_due(by=by), "can_manage": can(request.user, MANAGE_ENGINEERING)},
    )


@capability_required(MANAGE_ENGINEERING)
def pat_new(request):
    return form_page(
        request,
        PatForm(request.POST or None),
        services.record_pat_test,
        actor=request.user,
        done=lambda t: (
            f"Recorded a {t.result} for {t.asset.tag}; next due {t.next_due:%d %b %Y}.",
            reverse("engineering:pat"),
        ),
        title="Record a PAT test",
        cancel_url=reverse("engineering:pat"),
    )


@capability_required(VIEW_ENGINEERING)
def calculator(request):
    form = TimecodeForm(request.GET or None)
    lines = form.calculate() if request.GET and form.is_valid() else []
    return render(request, "engineering/calculator.html", {"form": form, "lines": lines})


# --- signal paths and IT ---------------------------------------------------------------


@capability_required(VIEW_ENGINEERING)
def it(request):
    return render(
        request,
        "engineering/it.html",
        {
            **list_page(request, Machine.objects.select_related("room"), lists.MACHINES),
            "licences": list(
                queries.licences_due(by=timezone.localdate() + datetime.timedelta(days=60))[:500]
            ),
            "rooms": list(
                Resource.objects.filter(kind=Resource.Kind.ROOM, archived_at__isnull=True)
            ),
            "can_manage": can(request.user, MANAGE_ENGINEERING),
        },
    )


@capability_required(VIEW_ENGINEERING)
def signal_path(request, pk: int):
    room = get_object_or_404(Resource, pk=pk, kind=Resource.Kind.ROOM)
    path = SignalPath.objects.filter(room=room).first()
    form = SignalPathForm(
        request.POST or None, request.FILES or None, initial={"text": path.text if path else ""}
    )
    if request.method == "POST":
        if not can(request.user, MANAGE_ENGINEERING):
            return HttpResponse("Only engineers may change a signal path", status=403)
        if form.is_valid():
            diagram = form.cleaned_data["diagram"]
            try:
                services.set_signal_path(
                    actor=request.user,
                    room=room,
                    text=form.cleaned_data["text"],
                    diagram=diagram,
                    content_type=getattr(diagram, "content_type", ""),
                )
            except DomainError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, f"Saved the signal path of {room.name}.")
                return redirect("engineering:signal_path", pk)
    return render(
        request,
        "engineering/signal_path.html",
        {
            "room": room,
            "path": path,
            "form": form,
            "can_manage": can(request.user, MANAGE_ENGINEERING),
        },
    )


@capability_required(MANAGE_ENGINEERING)
def machine_new(request):
    return form_page(
        request,
        MachineForm(request.POST or None),
        services.create_machine,
        actor=request.user,
        done=lambda m: (f"Added {m.hostname}.", reverse("engineering:it")),
        title="New machine",
        cancel_url=reverse("engineering:it"),
    )


@capability_required(MANAGE_ENGINEERING)
def licence_new(request):
    return form_page(
        request,
        LicenceForm(request.POST or None),
        services.create_licence,
        actor=request.user,
        done=lambda x: (f"Added licence {x.product}.", reverse("engineering:it")),
        title="New licence",
        cancel_url=reverse("engineering:it"),
    )
