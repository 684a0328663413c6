"""Job sheet pages: the list, a new sheet from a completed booking, the sheet with its
lines and the quote it is compared with, its PDF, and one view per form on it (actual
times, add a line, sign)."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from postdesk.billing import booking_search, downloads, forms, lists, queries, services
from postdesk.billing.models import JobSheet
from postdesk.billing.views.common import caps, render_list, scoped
from postdesk.core.ids import id_from_text
from postdesk.core.money_display import Money
from postdesk.core.roles import (
    CHANGE_MONEY,
    RESPOND_QUOTES,
    VIEW_MONEY,
    is_outside,
    scope_to_client,
)
from postdesk.productions.models import Job
from postdesk.web.access import allowed, capability_required, require
from postdesk.web.forms import call_service, press
from postdesk.web.listing import for_page, list_page

# The API's job sheet list (billing/lists.py), with the page's columns: newest work first.
SHEET_LIST = for_page(
    lists.JOB_SHEETS,
    search=("job__client__name",),
    sorts={"job": "job__number", "net": "net"},
    default_sort="-start",
)


@capability_required(VIEW_MONEY)
def sheet_list(request):
    qs = scope_to_client(
        request.user, JobSheet.objects.select_related("job__client"), "job__client"
    )
    listing = list_page(request, qs, SHEET_LIST)
    rows = [
        {
            "url": reverse("billing:sheet", args=[x.pk]),
            "cells": [
                f"Sheet {x.pk}",
                x.job.number,
                x.job.client.name,
                x.actual_start,
                x.get_status_display(),
                Money(x.net, x.currency),
            ],
        }
        for x in listing["page_obj"]
    ]
    return render_list(
        request,
        listing,
        title="Job sheets",
        rows=rows,
        columns=[
            ("Sheet", None),
            ("Job", "job"),
            ("Client", None),
            ("Actual start", "start"),
            ("Status", None),
            ("Net", "net"),
        ],
        empty="No job sheets yet. Completed bookings feed them.",
        actions=[("New job sheet", reverse("billing:sheet_new"))]
        if allowed(request.user, CHANGE_MONEY)
        else [],
    )


@capability_required(CHANGE_MONEY)
def sheet_new(request):
    """Search for the booking (job, client, production, resource, date), choose it, make
    the sheet. htmx asks for the results alone as the search is typed."""
    source = request.POST if request.method == "POST" else request.GET
    query = (source.get("q") or "").replace("\x00", "").strip()[:200]
    job = _job_filter(source.get("job"))
    form = forms.NewSheetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        sheet = call_service(form, services.create_job_sheet, actor=request.user)
        if sheet is not None:
            messages.success(request, f"Job sheet {sheet.pk} made for {sheet.job.number}")
            return redirect("billing:sheet", sheet.pk)
    context = {
        "title": "New job sheet",
        "form": form,
        "q": query,
        "job": job,
        "results": booking_search.find(query, job_id=job.pk if job else None),
        "chosen": str(source.get("booking", "")),
    }
    if request.headers.get("HX-Request") and request.method == "GET":
        return render(request, "billing/_sheet_bookings.html", context)
    # An invalid choice shows the page again with its error (200, as every billing form).
    return render(request, "billing/sheet_new.html", context)


def _job_filter(value):
    """The job a search is limited to (?job=id), or None for a missing or unknown one."""
    pk = id_from_text(str(value or ""))
    if pk is None:
        return None
    return Job.objects.select_related("client").filter(pk=pk).first()


def _sheet(request, pk):
    return scoped(
        request, JobSheet.objects.select_related("job__client", "booking"), pk, "job__client"
    )


def _sheet_page(request, sheet, times_form=None, line_form=None, status=200):
    return render(
        request,
        "billing/sheet_detail.html",
        {
            "sheet": sheet,
            "lines": sheet.lines.select_related("resource"),
            "comparison": queries.quote_comparison(sheet),
            "times_form": times_form
            or forms.SheetTimesForm(
                initial={
                    "actual_start": sheet.actual_start,
                    "actual_end": sheet.actual_end,
                    "notes": sheet.notes,
                }
            ),
            "line_form": line_form or forms.LineForm(),
            "sign_form": forms.SignForm(),
            **caps(request),
        },
        status=status,
    )


@capability_required(VIEW_MONEY)
def sheet_detail(request, pk):
    return _sheet_page(request, _sheet(request, pk))


@capability_required(VIEW_MONEY)
def sheet_pdf(request, pk):
    return downloads.job_sheet_pdf(_sheet(request, pk))


@capability_required(CHANGE_MONEY)
@require_POST
def sheet_times(request, pk):
    sheet = _sheet(request, pk)
    form = forms.SheetTimesForm(request.POST)
    if not form.is_valid():
        return _sheet_page(request, sheet, times_form=form, status=422)
    press(
        request,
        lambda: services.update_job_sheet(sheet, actor=request.user, **form.cleaned_data),
        "Saved",
    )
    return redirect("billing:sheet", sheet.pk)


@capability_required(CHANGE_MONEY)
@require_POST
def sheet_add_line(request, pk):
    sheet = _sheet(request, pk)
    form = forms.LineForm(request.POST)
    if not form.is_valid():
        return _sheet_page(request, sheet, line_form=form, status=422)
    press(
        request,
        lambda: services.add_job_sheet_line(sheet, actor=request.user, **form.line()),
        "Line added",
    )
    return redirect("billing:sheet", sheet.pk)


@capability_required(any_of=(RESPOND_QUOTES, CHANGE_MONEY))
@require_POST
def sheet_sign(request, pk):
    sheet = _sheet(request, pk)
    # The client's people sign with their right to answer quotes; the facility's staff
    # sign (as operator, or for the client in the room) with the money right.
    require(request, RESPOND_QUOTES if is_outside(request.user) else CHANGE_MONEY)
    form = forms.SignForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose who signs and give a name")
        return redirect("billing:sheet", sheet.pk)
    # Who may sign for whom is the service's rule; its refusal is a 403 (web/forms.press).
    press(
        request,
        lambda: services.sign_job_sheet(sheet, actor=request.user, **form.cleaned_data),
        "Signed",
    )
    return redirect("billing:sheet", sheet.pk)
