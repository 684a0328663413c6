"""Quote pages: the list, a new quote, the quote with its lines, its PDF, and one view per
button (approve, send, accept, decline, add a line)."""

from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from postdesk.billing import downloads, forms, lists, queries, services, vat
from postdesk.billing.models import Quote
from postdesk.billing.views.common import RESPONDERS, caps, render_list, scoped
from postdesk.core.money_display import Money
from postdesk.core.roles import APPROVE_QUOTES, CHANGE_MONEY, VIEW_MONEY, scope_to_client
from postdesk.web.access import allowed, capability_required
from postdesk.web.forms import form_page, press
from postdesk.web.listing import for_page, list_page

# The API's quote list (billing/lists.py); the page's search also reads the job's title.
QUOTE_LIST = for_page(lists.QUOTES, search=("job__description",))


@capability_required(VIEW_MONEY)
def quote_list(request):
    qs = scope_to_client(request.user, Quote.objects.select_related("job__client"), "job__client")
    qs = queries.hide_drafts_from_clients(request.user, qs)
    listing = list_page(request, qs, QUOTE_LIST)
    listing.update(statuses=Quote.Status.choices, status=listing["filters"].get("status", ""))
    rows = [
        {
            "url": reverse("billing:quote", args=[x.pk]),
            "cells": [
                x.reference,
                x.job.client.name,
                x.job.description,
                x.get_status_display()
                + (
                    " · needs approval"
                    if x.status == "draft" and x.needs_approval and not x.approved_at
                    else ""
                ),
                Money(x.net, x.currency),
                x.valid_until,
            ],
        }
        for x in listing["page_obj"]
    ]
    return render_list(
        request,
        listing,
        title="Quotes",
        rows=rows,
        columns=[
            ("Quote", "job"),
            ("Client", None),
            ("Job", None),
            ("Status", "status"),
            ("Net", "net"),
            ("Valid until", None),
        ],
        empty="No quotes yet. Quote a job from its planned bookings.",
        actions=[("New quote", reverse("billing:quote_new"))]
        if allowed(request.user, CHANGE_MONEY)
        else [],
    )


@capability_required(CHANGE_MONEY)
def quote_new(request):
    return form_page(
        request,
        forms.QuoteForm(request.POST or None),
        services.create_quote,
        actor=request.user,
        done=lambda quote: (
            f"Quote {quote.reference} made",
            reverse("billing:quote", args=[quote.pk]),
        ),
        title="New quote",
        cancel_url=reverse("billing:quotes"),
    )


def _quote(request, pk):
    qs = Quote.objects.select_related(
        "job__client", "job__production", "job__contact", "approved_by"
    )
    return scoped(request, queries.hide_drafts_from_clients(request.user, qs), pk, "job__client")


def _quote_page(request, quote, line_form=None, status=200):
    return render(
        request,
        "billing/quote_detail.html",
        {
            "quote": quote,
            "lines": quote.lines.select_related("resource", "booking"),
            "expected_vat": vat.treatment_of_client(quote.job.client).label,
            "line_form": line_form or forms.LineForm(),
            **caps(request),
        },
        status=status,
    )


@capability_required(VIEW_MONEY)
def quote_detail(request, pk):
    return _quote_page(request, _quote(request, pk))


@capability_required(VIEW_MONEY)
def quote_pdf(request, pk):
    return downloads.quote_pdf(_quote(request, pk))


@capability_required(APPROVE_QUOTES)
@require_POST
def quote_approve(request, pk):
    quote = _quote(request, pk)
    press(request, lambda: services.approve_quote(quote, actor=request.user), "Approved")
    return redirect("billing:quote", quote.pk)


@capability_required(CHANGE_MONEY)
@require_POST
def quote_send(request, pk):
    quote = _quote(request, pk)
    press(
        request,
        lambda: services.send_quote(quote, actor=request.user),
        "Sent to the contact with the PDF attached",
    )
    return redirect("billing:quote", quote.pk)


def _respond(request, pk, *, accept: bool):
    quote = _quote(request, pk)
    press(
        request,
        lambda: services.respond_quote(quote, actor=request.user, accept=accept),
        "Quote accepted" if accept else "Quote declined",
    )
    return redirect("billing:quote", quote.pk)


@capability_required(any_of=RESPONDERS)
@require_POST
def quote_accept(request, pk):
    return _respond(request, pk, accept=True)


@capability_required(any_of=RESPONDERS)
@require_POST
def quote_decline(request, pk):
    return _respond(request, pk, accept=False)


@capability_required(CHANGE_MONEY)
@require_POST
def quote_add_line(request, pk):
    quote = _quote(request, pk)
    form = forms.LineForm(request.POST)
    if not form.is_valid():
        return _quote_page(request, quote, line_form=form, status=422)
    press(
        request,
        lambda: services.add_quote_line(quote, actor=request.user, **form.line()),
        "Line added",
    )
    return redirect("billing:quote", quote.pk)
