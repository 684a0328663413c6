"""Cost report pages (internal to the facility): the productions to report on, and one
production's report, with its budget form and its spreadsheet downloads."""

import datetime

from django.core.exceptions import BadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from postdesk.billing import downloads, forms, reports, services
from postdesk.billing.models import BudgetLine, Category
from postdesk.billing.views.common import caps, render_list
from postdesk.core.roles import CHANGE_BUDGETS, VIEW_MONEY
from postdesk.core.timeutil import date_in_window
from postdesk.productions import lists as production_lists
from postdesk.productions.models import Production
from postdesk.web.access import capability_required, require
from postdesk.web.forms import press
from postdesk.web.listing import list_page


@capability_required(VIEW_MONEY, internal=True)
def cost_report_list(request):
    # A cost report per production: the productions list's own search and sort.
    listing = list_page(
        request, Production.objects.select_related("client"), production_lists.PRODUCTIONS
    )
    rows = [
        {
            "url": reverse("billing:cost_report", args=[x.pk]),
            "cells": [x.title, x.client.name, x.get_status_display()],
        }
        for x in listing["page_obj"]
    ]
    return render_list(
        request,
        listing,
        title="Cost reports",
        rows=rows,
        columns=[("Production", "title"), ("Client", "client"), ("Status", None)],
        empty="No productions yet.",
        actions=[
            ("Exchange rates", reverse("billing:exchange_rates")),
            ("Budget categories", reverse("billing:category_rules")),
        ],
    )


@capability_required(VIEW_MONEY, internal=True)
def cost_report_page(request, pk):
    """The report (or its file, ?format=csv|xlsx); its form's POST sets a budget line
    (change_budgets)."""
    production = get_object_or_404(Production.objects.select_related("client"), pk=pk)
    form = forms.BudgetForm(request.POST or None)
    status = 200
    if request.method == "POST":
        require(request, CHANGE_BUDGETS)
        if form.is_valid():
            if press(
                request,
                lambda: services.set_budget(
                    production=production, lines=[form.cleaned_data], actor=request.user
                ),
                "Budget saved",
            ):
                return redirect("billing:cost_report", pk)
        else:
            status = 422
    rates_on = _rates_on(request)
    report = reports.cost_report(production, rates_on=rates_on)
    download = downloads.cost_report_file(report, production.pk, request.GET.get("format"))
    if download is not None:
        return download
    return render(
        request,
        "billing/cost_report.html",
        {
            "production": production,
            "report": report,
            "header": reports.HEADER[1:],
            "rows": [
                {"label": r["label"], "cells": [r[c] for c in reports.COLUMNS]}
                for r in report["categories"]
            ],
            "total_cells": [report["total"][c] for c in reports.COLUMNS],
            "freelancers": [
                {**f, "category_label": Category(f["category"]).label}
                for f in report["freelancers"]
            ],
            "rates_param": rates_on.isoformat() if rates_on else "",
            "form": form,
            "budget_lines": BudgetLine.objects.filter(production=production),
            **caps(request),
        },
        status=status,
    )


def _rates_on(request):
    """?rates_on=YYYY-MM-DD: the day whose exchange rates convert the report (default
    today); anything else is a bad request, since the report's figures would be wrong."""
    value = request.GET.get("rates_on", "")
    if "\x00" in value:
        raise BadRequest("rates_on must not contain NUL characters")
    value = value.strip()
    if not value:
        return None
    try:
        day = datetime.date.fromisoformat(value)
    except ValueError:
        raise BadRequest("rates_on is a date, YYYY-MM-DD") from None
    if not date_in_window(day):
        raise BadRequest("rates_on is outside the dates this system accepts")
    return day
