"""Credit note pages: the list, a note with its lines, and its PDF. Notes are made from an
issued invoice's page (billing/views/invoices.py)."""

from django.shortcuts import render
from django.urls import reverse

from postdesk.billing import downloads, lists
from postdesk.billing.models import CreditNote
from postdesk.billing.views.common import render_list, scoped
from postdesk.core.money_display import Money
from postdesk.core.roles import VIEW_MONEY, scope_to_client
from postdesk.web.access import capability_required
from postdesk.web.listing import for_page, list_page

# The API's credit note list (billing/lists.py); the page also finds a note by its invoice.
NOTE_LIST = for_page(
    lists.CREDIT_NOTES,
    search=("invoice__number", "invoice__client_name"),
    sorts={"gross": "gross"},
)


@capability_required(VIEW_MONEY)
def credit_note_list(request):
    qs = scope_to_client(
        request.user, CreditNote.objects.select_related("invoice"), "invoice__client"
    )
    listing = list_page(request, qs, NOTE_LIST)
    rows = [
        {
            "url": reverse("billing:credit_note", args=[x.pk]),
            "cells": [
                x.number,
                x.invoice.number,
                x.invoice.client_name,
                x.issue_date,
                x.reason,
                Money(x.gross, x.currency),
            ],
        }
        for x in listing["page_obj"]
    ]
    return render_list(
        request,
        listing,
        title="Credit notes",
        rows=rows,
        columns=[
            ("Number", "number"),
            ("Invoice", None),
            ("Client", None),
            ("Issued", "issued"),
            ("Reason", None),
            ("Gross", "gross"),
        ],
        empty="No credit notes. They are made from an issued invoice's page.",
    )


def _note(request, pk):
    return scoped(request, CreditNote.objects.select_related("invoice"), pk, "invoice__client")


@capability_required(VIEW_MONEY)
def credit_note_detail(request, pk):
    note = _note(request, pk)
    return render(
        request, "billing/credit_note_detail.html", {"note": note, "lines": note.lines.all()}
    )


@capability_required(VIEW_MONEY)
def credit_note_pdf(request, pk):
    return downloads.credit_note_pdf(_note(request, pk))
