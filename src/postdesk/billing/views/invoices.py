"""Invoice pages: the list, its CSV export, a new invoice from signed-off job sheets, the
invoice with its payments and credit notes, its PDF, and one view per button (issue,
delete the draft, add a line, record a payment, issue a credit note)."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from postdesk.billing import downloads, forms, lists, queries, services
from postdesk.billing.models import Invoice
from postdesk.billing.serialise import invoice_amounts
from postdesk.billing.views.common import (
    caps,
    render_list,
    scoped,
)
from postdesk.core.money_display import Money
from postdesk.core.roles import CHANGE_MONEY, VIEW_MONEY
from postdesk.web.access import allowed, capability_required
from postdesk.web.confirm import confirm_page, confirmed
from postdesk.web.forms import form_page, press
from postdesk.web.listing import for_page, list_page

# The API's invoice list (billing/lists.py); the page's search also reads the job number.
INVOICE_LIST = for_page(lists.INVOICES, search=("job__number",))


@capability_required(VIEW_MONEY)
def invoice_list(request):
    qs = queries.hide_drafts_from_clients(request.user, queries.invoices_with_amounts(request.user))
    listing = list_page(request, qs, INVOICE_LIST)
    rows = []
    for x in listing["page_obj"]:
        amounts = invoice_amounts(x)
        rows.append(
            {
                "url": reverse("billing:invoice", args=[x.pk]),
                "cells": [
                    x.number or f"Draft {x.pk}",
                    x.client_name or x.client.name,
                    x.job.number,
                    x.issue_date or "—",
                    x.due_date or "—",
                    Money(x.gross, x.currency),
                    amounts["payment_status"].replace("_", " "),
                ],
            }
        )
    actions = []
    if allowed(request.user, CHANGE_MONEY):
        actions = [
            ("New invoice", reverse("billing:invoice_new")),
            ("Export issued (CSV)", reverse("billing:invoice_export")),
        ]
    return render_list(
        request,
        listing,
        title="Invoices",
        rows=rows,
        columns=[
            ("Number", "number"),
            ("Client", None),
            ("Job", None),
            ("Issued", "issued"),
            ("Due", "due"),
            ("Gross", "gross"),
            ("Payment", None),
        ],
        empty="No invoices yet. Raise one from signed-off job sheets.",
        actions=actions,
    )


@capability_required(CHANGE_MONEY)
def invoice_export(request):
    return downloads.invoice_export_csv(Invoice.objects.filter(status="issued"))


def _invoice_sheets(*, job_sheets, actor):
    """A draft invoice of the chosen sheets (the form checked they are of one job)."""
    sheets = list(job_sheets)
    return services.create_invoice(job=sheets[0].job, sheets=sheets, actor=actor)


@capability_required(CHANGE_MONEY)
def invoice_new(request):
    return form_page(
        request,
        forms.NewInvoiceForm(request.POST or None),
        _invoice_sheets,
        actor=request.user,
        done=lambda invoice: (
            f"Draft invoice {invoice.pk} raised",
            reverse("billing:invoice", args=[invoice.pk]),
        ),
        title="New invoice",
        cancel_url=reverse("billing:invoices"),
    )


def _invoice(request, pk):
    qs = queries.hide_drafts_from_clients(request.user, queries.invoices_with_amounts())
    return scoped(request, qs, pk, "client")


def _invoice_page(request, invoice, payment_form=None, credit_form=None, status=200):
    return render(
        request,
        "billing/invoice_detail.html",
        {
            "invoice": invoice,
            "lines": invoice.lines.all(),
            "amounts": invoice_amounts(invoice),
            "payments": invoice.payments.all(),
            "credit_notes": invoice.credit_notes.all(),
            "payment_form": payment_form or forms.PaymentForm(),
            "credit_form": credit_form or forms.CreditForm(invoice=invoice),
            "line_form": forms.LineForm(),
            **caps(request),
        },
        status=status,
    )


@capability_required(VIEW_MONEY)
def invoice_detail(request, pk):
    return _invoice_page(request, _invoice(request, pk))


@capability_required(VIEW_MONEY)
def invoice_pdf(request, pk):
    return downloads.invoice_pdf(_invoice(request, pk))


@capability_required(CHANGE_MONEY)
@require_POST
def invoice_issue(request, pk):
    invoice = _invoice(request, pk)
    if not confirmed(request):
        return confirm_page(
            request,
            title="Issue this invoice?",
            explain="Issuing gives the invoice the next number. An issued invoice can never "
            "be changed or deleted; only a credit note can correct it.",
            button="Issue the invoice",
            action=request.path,
            cancel_url=reverse("billing:invoice", args=[pk]),
        )
    press(request, lambda: services.issue_invoice(invoice, actor=request.user), "Issued")
    return redirect("billing:invoice", invoice.pk)


@capability_required(CHANGE_MONEY)
@require_POST
def invoice_delete(request, pk):
    invoice = _invoice(request, pk)
    if not confirmed(request):
        return confirm_page(
            request,
            title="Delete this invoice?",
            explain="The draft goes; its job sheets can be invoiced again.",
            button="Delete the invoice",
            action=request.path,
            cancel_url=reverse("billing:invoice", args=[pk]),
        )
    if press(
        request, lambda: services.delete_invoice(invoice, actor=request.user), "Draft deleted"
    ):
        return redirect("billing:invoices")
    return redirect("billing:invoice", invoice.pk)


@capability_required(CHANGE_MONEY)
@require_POST
def invoice_add_line(request, pk):
    invoice = _invoice(request, pk)
    form = forms.LineForm(request.POST)
    if form.is_valid():
        press(
            request,
            lambda: services.add_invoice_line(invoice, actor=request.user, **form.line()),
            "Line added",
        )
    else:
        messages.error(request, "The line needs a description and a price")
    return redirect("billing:invoice", invoice.pk)


@capability_required(CHANGE_MONEY)
@require_POST
def invoice_payment(request, pk):
    invoice = _invoice(request, pk)
    form = forms.PaymentForm(request.POST)
    if not form.is_valid():
        return _invoice_page(request, invoice, payment_form=form, status=422)
    press(
        request,
        lambda: services.record_payment(invoice, actor=request.user, **form.cleaned_data),
        "Payment recorded",
    )
    return redirect("billing:invoice", invoice.pk)


@capability_required(CHANGE_MONEY)
@require_POST
def invoice_credit(request, pk):
    invoice = _invoice(request, pk)
    form = forms.CreditForm(request.POST, invoice=invoice)
    if not form.is_valid():
        return _invoice_page(request, invoice, credit_form=form, status=422)
    data = form.cleaned_data
    lines = None if not data["line"] else [{"invoice_line": data["line"], "net": data["amount"]}]
    press(
        request,
        lambda: services.create_credit_note(
            invoice=invoice, actor=request.user, reason=data["reason"], lines=lines
        ),
        "Credit note issued",
    )
    return redirect("billing:invoice", invoice.pk)
