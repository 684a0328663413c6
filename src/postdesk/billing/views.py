"""Billing pages: lists, details and actions. As thin as the API: parse, call a service or a
query, render. The same capabilities apply (403 page; other companies' records are 404)."""

import functools
import operator

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest, PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from postdesk.billing import booking_search, downloads, forms, queries, reports, services, vat
from postdesk.billing.models import (
    BudgetLine,
    Category,
    CreditNote,
    Invoice,
    JobSheet,
    Quote,
    RateCard,
)
from postdesk.billing.rates import replaced_by
from postdesk.billing.serialise import invoice_amounts
from postdesk.core.errors import DomainError, Forbidden
from postdesk.core.money_display import Money
from postdesk.core.roles import (
    APPROVE_QUOTES,
    CHANGE_BUDGETS,
    CHANGE_MONEY,
    RESPOND_QUOTES,
    VIEW_MONEY,
    can,
    role_of,
    scope_to_client,
)


def _need(request, capability: str) -> None:
    if not can(request.user, capability):
        raise PermissionDenied(f"Your role may not do this (needs {capability})")


def _staff_only(request) -> None:
    _need(request, VIEW_MONEY)
    if role_of(request.user) == "client":
        raise PermissionDenied("Internal to the facility")


def _scoped(request, qs, pk, client_field):
    obj = scope_to_client(request.user, qs, client_field).filter(pk=pk).first()
    if obj is None:
        raise Http404("Not found")
    return obj


def _caps(request) -> dict:
    user = request.user
    return {
        "can_change": can(user, CHANGE_MONEY),
        "can_approve": can(user, APPROVE_QUOTES),
        "can_respond": can(user, RESPOND_QUOTES) or can(user, CHANGE_MONEY),
        "can_budget": can(user, CHANGE_BUDGETS),
        "is_client": role_of(user) == "client",
    }


def _param(request, name: str) -> str:
    """A query-string parameter; NUL is a bad request (PostgreSQL text cannot hold it, so
    searching for it would be a server error)."""
    value = request.GET.get(name, "")
    if "\x00" in value:
        raise BadRequest(f"{name} must not contain NUL characters")
    return value


def _list(request, qs, *, search: list[str], orderings: dict[str, str], default: str):
    """Search (?q=), sort (?sort=-key) and paginate (?page=) a queryset."""
    q = _param(request, "q").strip()
    if q:
        qs = qs.filter(
            functools.reduce(operator.or_, [Q(**{f"{f}__icontains": q}) for f in search])
        )
    sort = request.GET.get("sort", default)
    if sort.lstrip("-") not in orderings:
        sort = default
    desc = sort.startswith("-")
    qs = qs.order_by(("-" if desc else "") + orderings[sort.lstrip("-")], "-pk")
    page = Paginator(qs, 25).get_page(request.GET.get("page"))
    return page, q, sort


def _render_list(request, *, title, page, q, sort, columns, rows, empty, actions=()):
    # A column of money (Money cells) is right-aligned, its heading too.
    money = {
        i for row in rows[:1] for i, cell in enumerate(row["cells"]) if isinstance(cell, Money)
    }
    return render(
        request,
        "billing/list.html",
        {
            "title": title,
            "page": page,
            "q": q,
            "sort": sort,
            "columns": [(label, key, i in money) for i, (label, key) in enumerate(columns)],
            "rows": rows,
            "empty": empty,
            "actions": actions,
        },
    )


def _act(request, fn, ok: str):
    """Run a service call from a form post; a refusal becomes a message, never a 500."""
    try:
        fn()
    except DomainError as exc:
        messages.error(request, exc.message)
        return False
    messages.success(request, ok)
    return True


# --- quotes ---------------------------------------------------------------------------------


@login_required
def quote_list(request):
    _need(request, VIEW_MONEY)
    qs = scope_to_client(request.user, Quote.objects.select_related("job__client"), "job__client")
    qs = queries.hide_drafts_from_clients(request.user, qs)
    if _param(request, "status"):
        qs = qs.filter(status=request.GET["status"])
    page, q, sort = _list(
        request,
        qs,
        search=["job__number", "job__client__name", "job__description"],
        orderings={"created": "created_at", "job": "job__number", "net": "net", "status": "status"},
        default="-created",
    )
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
        for x in page
    ]
    return _render_list(
        request,
        title="Quotes",
        page=page,
        q=q,
        sort=sort,
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
        if can(request.user, CHANGE_MONEY)
        else [],
    )


@login_required
def quote_new(request):
    _need(request, CHANGE_MONEY)
    form = forms.QuoteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            quote = services.create_quote(
                job=form.cleaned_data["job"],
                actor=request.user,
                valid_until=form.cleaned_data["valid_until"],
                notes=form.cleaned_data["notes"],
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            return redirect("billing:quote", quote.pk)
    return render(request, "billing/form.html", {"title": "New quote", "form": form})


def _quote(request, pk):
    qs = Quote.objects.select_related(
        "job__client", "job__production", "job__contact", "approved_by"
    )
    return _scoped(request, queries.hide_drafts_from_clients(request.user, qs), pk, "job__client")


def _quote_page(request, quote, line_form=None, status=200):
    return render(
        request,
        "billing/quote_detail.html",
        {
            "quote": quote,
            "lines": quote.lines.select_related("resource", "booking"),
            "expected_vat": vat.treatment_of_client(quote.job.client).label,
            "line_form": line_form or forms.LineForm(),
            **_caps(request),
        },
        status=status,
    )


@login_required
def quote_detail(request, pk):
    _need(request, VIEW_MONEY)
    return _quote_page(request, _quote(request, pk))


@login_required
@require_POST
def quote_action(request, pk, action):
    quote = _quote(request, pk)
    if action == "approve":
        _need(request, APPROVE_QUOTES)
        _act(request, lambda: services.approve_quote(quote, actor=request.user), "Approved")
    elif action == "send":
        _need(request, CHANGE_MONEY)
        _act(
            request,
            lambda: services.send_quote(quote, actor=request.user),
            "Sent to the contact with the PDF attached",
        )
    elif action in ("accept", "decline"):
        if not _caps(request)["can_respond"]:
            raise PermissionDenied
        _act(
            request,
            lambda: services.respond_quote(quote, actor=request.user, accept=action == "accept"),
            f"Quote {action}ed",
        )
    elif action == "add-line":
        _need(request, CHANGE_MONEY)
        form = forms.LineForm(request.POST)
        if not form.is_valid():
            return _quote_page(request, quote, line_form=form, status=422)
        _act(
            request,
            lambda: services.add_quote_line(quote, actor=request.user, **form.line()),
            "Line added",
        )
    else:
        raise Http404("Unknown action")
    return redirect("billing:quote", quote.pk)


@login_required
def quote_pdf(request, pk):
    _need(request, VIEW_MONEY)
    quote = _quote(request, pk)
    return downloads.quote_pdf(quote)


# --- job sheets -----------------------------------------------------------------------------


@login_required
def sheet_list(request):
    _need(request, VIEW_MONEY)
    qs = scope_to_client(
        request.user, JobSheet.objects.select_related("job__client"), "job__client"
    )
    page, q, sort = _list(
        request,
        qs,
        search=["job__number", "job__client__name"],
        orderings={"start": "actual_start", "job": "job__number", "net": "net"},
        default="-start",
    )
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
        for x in page
    ]
    return _render_list(
        request,
        title="Job sheets",
        page=page,
        q=q,
        sort=sort,
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
        if can(request.user, CHANGE_MONEY)
        else [],
    )


@login_required
def sheet_new(request):
    """Search for the booking (job, client, production, resource, date), choose it, make
    the sheet. htmx asks for the results alone as the search is typed."""
    _need(request, CHANGE_MONEY)
    source = request.POST if request.method == "POST" else request.GET
    query = (source.get("q") or "").replace("\x00", "").strip()[:200]
    job = _job_filter(source.get("job"))
    form = forms.NewSheetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            sheet = services.create_job_sheet(
                booking=form.cleaned_data["booking"], actor=request.user
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
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
    from postdesk.core.apiutil import MAX_ID
    from postdesk.productions.models import Job

    value = str(value or "")
    if not (value.isascii() and value.isdigit()) or not 1 <= int(value) <= MAX_ID:
        return None
    return Job.objects.select_related("client").filter(pk=int(value)).first()


def _sheet(request, pk):
    return _scoped(
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
            **_caps(request),
        },
        status=status,
    )


@login_required
def sheet_detail(request, pk):
    _need(request, VIEW_MONEY)
    return _sheet_page(request, _sheet(request, pk))


@login_required
@require_POST
def sheet_action(request, pk, action):
    sheet = _sheet(request, pk)
    if action == "sign" and role_of(request.user) == "client":
        _need(request, RESPOND_QUOTES)
    else:
        _need(request, CHANGE_MONEY)
    if action == "times":
        form = forms.SheetTimesForm(request.POST)
        if not form.is_valid():
            return _sheet_page(request, sheet, times_form=form, status=422)
        _act(
            request,
            lambda: services.update_job_sheet(sheet, actor=request.user, **form.cleaned_data),
            "Saved",
        )
    elif action == "add-line":
        form = forms.LineForm(request.POST)
        if not form.is_valid():
            return _sheet_page(request, sheet, line_form=form, status=422)
        _act(
            request,
            lambda: services.add_job_sheet_line(sheet, actor=request.user, **form.line()),
            "Line added",
        )
    elif action == "sign":
        form = forms.SignForm(request.POST)
        if form.is_valid():

            def sign():
                try:
                    services.sign_job_sheet(sheet, actor=request.user, **form.cleaned_data)
                except Forbidden as exc:  # who may sign for whom: a 403, as for any right
                    raise PermissionDenied(exc.message) from exc

            _act(request, sign, "Signed")
        else:
            messages.error(request, "Choose who signs and give a name")
    else:
        raise Http404("Unknown action")
    return redirect("billing:sheet", sheet.pk)


@login_required
def sheet_pdf(request, pk):
    _need(request, VIEW_MONEY)
    sheet = _sheet(request, pk)
    return downloads.job_sheet_pdf(sheet)


# --- invoices -------------------------------------------------------------------------------


@login_required
def invoice_list(request):
    _need(request, VIEW_MONEY)
    qs = queries.hide_drafts_from_clients(request.user, queries.invoices_with_amounts(request.user))
    page, q, sort = _list(
        request,
        qs,
        search=["number", "client__name", "job__number"],
        orderings={
            "number": "number",
            "issued": "issue_date",
            "due": "due_date",
            "gross": "gross",
            "created": "created_at",
        },
        default="-created",
    )
    rows = []
    for x in page:
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
    if can(request.user, CHANGE_MONEY):
        actions = [
            ("New invoice", reverse("billing:invoice_new")),
            ("Export issued (CSV)", reverse("billing:invoice_export")),
        ]
    return _render_list(
        request,
        title="Invoices",
        page=page,
        q=q,
        sort=sort,
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


@login_required
def invoice_export(request):
    _need(request, CHANGE_MONEY)
    return downloads.invoice_export_csv(Invoice.objects.filter(status="issued"))


@login_required
def invoice_new(request):
    _need(request, CHANGE_MONEY)
    form = forms.NewInvoiceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        sheets = list(form.cleaned_data["job_sheets"])
        try:
            invoice = services.create_invoice(job=sheets[0].job, sheets=sheets, actor=request.user)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            return redirect("billing:invoice", invoice.pk)
    return render(request, "billing/form.html", {"title": "New invoice", "form": form})


def _invoice(request, pk):
    qs = queries.hide_drafts_from_clients(request.user, queries.invoices_with_amounts())
    return _scoped(request, qs, pk, "client")


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
            **_caps(request),
        },
        status=status,
    )


@login_required
def invoice_detail(request, pk):
    _need(request, VIEW_MONEY)
    return _invoice_page(request, _invoice(request, pk))


@login_required
@require_POST
def invoice_action(request, pk, action):
    _need(request, CHANGE_MONEY)
    invoice = _invoice(request, pk)
    if action in ("issue", "delete") and request.POST.get("confirm") != "yes":
        return render(
            request,
            "billing/confirm.html",
            {
                "title": f"{action.title()} this invoice?",
                "message": "Issuing gives the invoice the next number. An issued invoice can "
                "never be changed or deleted; only a credit note can correct it."
                if action == "issue"
                else "The draft goes; its job sheets can be invoiced again.",
                "action": request.path,
                "back": reverse("billing:invoice", args=[pk]),
            },
        )
    if action == "issue":
        _act(request, lambda: services.issue_invoice(invoice, actor=request.user), "Issued")
    elif action == "delete":
        if _act(
            request, lambda: services.delete_invoice(invoice, actor=request.user), "Draft deleted"
        ):
            return redirect("billing:invoices")
    elif action == "payment":
        form = forms.PaymentForm(request.POST)
        if not form.is_valid():
            return _invoice_page(request, invoice, payment_form=form, status=422)
        _act(
            request,
            lambda: services.record_payment(invoice, actor=request.user, **form.cleaned_data),
            "Payment recorded",
        )
    elif action == "credit":
        form = forms.CreditForm(request.POST, invoice=invoice)
        if not form.is_valid():
            return _invoice_page(request, invoice, credit_form=form, status=422)
        data = form.cleaned_data
        lines = (
            None if not data["line"] else [{"invoice_line": data["line"], "net": data["amount"]}]
        )
        _act(
            request,
            lambda: services.create_credit_note(
                invoice=invoice, actor=request.user, reason=data["reason"], lines=lines
            ),
            "Credit note issued",
        )
    elif action == "add-line":
        form = forms.LineForm(request.POST)
        if form.is_valid():
            _act(
                request,
                lambda: services.add_invoice_line(invoice, actor=request.user, **form.line()),
                "Line added",
            )
        else:
            messages.error(request, "The line needs a description and a price")
    else:
        raise Http404("Unknown action")
    return redirect("billing:invoice", invoice.pk)


@login_required
def invoice_pdf(request, pk):
    _need(request, VIEW_MONEY)
    invoice = _invoice(request, pk)
    return downloads.invoice_pdf(invoice)


# --- credit notes ---------------------------------------------------------------------------


@login_required
def credit_note_list(request):
    _need(request, VIEW_MONEY)
    qs = scope_to_client(
        request.user, CreditNote.objects.select_related("invoice"), "invoice__client"
    )
    page, q, sort = _list(
        request,
        qs,
        search=["number", "invoice__number", "invoice__client_name"],
        orderings={"number": "number", "issued": "issue_date", "gross": "gross"},
        default="-number",
    )
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
        for x in page
    ]
    return _render_list(
        request,
        title="Credit notes",
        page=page,
        q=q,
        sort=sort,
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
    return _scoped(request, CreditNote.objects.select_related("invoice"), pk, "invoice__client")


@login_required
def credit_note_detail(request, pk):
    _need(request, VIEW_MONEY)
    note = _note(request, pk)
    return render(
        request, "billing/credit_note_detail.html", {"note": note, "lines": note.lines.all()}
    )


@login_required
def credit_note_pdf(request, pk):
    _need(request, VIEW_MONEY)
    note = _note(request, pk)
    return downloads.credit_note_pdf(note)


# --- rate cards -----------------------------------------------------------------------------


@login_required
def rate_card_list(request):
    _staff_only(request)
    page, q, sort = _list(
        request,
        RateCard.objects.all(),
        search=["name"],
        orderings={"name": "name", "valid": "valid_from"},
        default="name",
    )
    rows = [
        {
            "url": reverse("billing:rate_card", args=[x.pk]),
            "cells": [
                x.name,
                ("Standard" if x.is_standard else "Client deal")
                + (" · archived" if x.is_archived else ""),
                x.currency,
                x.valid_from or "always",
            ],
        }
        for x in page
    ]
    return _render_list(
        request,
        title="Rate cards",
        page=page,
        q=q,
        sort=sort,
        rows=rows,
        columns=[("Name", "name"), ("Type", None), ("Currency", None), ("Valid from", "valid")],
        empty="No rate cards. Add the standard card first.",
        actions=[("New rate card", reverse("billing:rate_card_new"))]
        if can(request.user, CHANGE_MONEY)
        else [],
    )


@login_required
def rate_card_new(request):
    _need(request, CHANGE_MONEY)
    form = forms.RateCardForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            card = services.create_rate_card(actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            return redirect("billing:rate_card", card.pk)
    return render(request, "billing/form.html", {"title": "New rate card", "form": form})


@login_required
def rate_card_detail(request, pk):
    _staff_only(request)
    card = RateCard.objects.filter(pk=pk).first()
    if card is None:
        raise Http404("No such card")
    form = forms.RateEntryForm(request.POST or None)
    status = 200
    if request.method == "POST":
        _need(request, CHANGE_MONEY)
        if form.is_valid():
            if _act(
                request,
                lambda: services.create_rate_entry(actor=request.user, card=card, **form.entry()),
                "Entry added",
            ):
                return redirect("billing:rate_card", card.pk)
        else:
            status = 422
    entries = card.entries.select_related("resource", "skill")
    return render(
        request,
        "billing/rate_card_detail.html",
        {
            "card": card,
            "entries": entries,
            "form": form,
            "replaced_by": replaced_by(card),
            **_caps(request),
        },
        status=status,
    )


@login_required
@require_POST
def rate_card_action(request, pk, action):
    _staff_only(request)
    _need(request, CHANGE_MONEY)
    card = RateCard.objects.filter(pk=pk).first()
    if card is None:
        raise Http404("No such card")
    if action != "archive":
        raise Http404("Unknown action")
    if request.POST.get("confirm") != "yes":
        return render(
            request,
            "billing/confirm.html",
            {
                "title": f"Archive {card.name}?",
                "message": "An archived card prices nothing from now on: quotes, job sheets "
                "and invoice lines use the standard card instead. The card and its prices stay "
                "for the documents already priced from them.",
                "action": request.path,
                "back": reverse("billing:rate_card", args=[pk]),
            },
        )
    _act(request, lambda: services.archive_rate_card(card, actor=request.user), "Archived")
    return redirect("billing:rate_card", pk)


# --- cost reports ---------------------------------------------------------------------------


@login_required
def cost_report_list(request):
    from postdesk.productions.models import Production

    _staff_only(request)
    page, q, sort = _list(
        request,
        Production.objects.select_related("client"),
        search=["title", "client__name"],
        orderings={"title": "title", "client": "client__name"},
        default="title",
    )
    rows = [
        {
            "url": reverse("billing:cost_report", args=[x.pk]),
            "cells": [x.title, x.client.name, x.get_status_display()],
        }
        for x in page
    ]
    return _render_list(
        request,
        title="Cost reports",
        page=page,
        q=q,
        sort=sort,
        rows=rows,
        columns=[("Production", "title"), ("Client", "client"), ("Status", None)],
        empty="No productions yet.",
        actions=[
            ("Exchange rates", reverse("billing:exchange_rates")),
            ("Budget categories", reverse("billing:category_rules")),
        ],
    )


@login_required
def cost_report_page(request, pk):
    from postdesk.productions.models import Production

    _staff_only(request)
    production = Production.objects.select_related("client").filter(pk=pk).first()
    if production is None:
        raise Http404("No such production")
    form = forms.BudgetForm(request.POST or None)
    status = 200
    if request.method == "POST":
        _need(request, CHANGE_BUDGETS)
        if form.is_valid():
            if _act(
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
            **_caps(request),
        },
        status=status,
    )


def _rates_on(request):
    """?rates_on=YYYY-MM-DD: the day whose exchange rates convert the report (default
    today); anything else is a bad request."""
    import datetime

    from postdesk.core.timeutil import date_in_window

    value = _param(request, "rates_on").strip()
    if not value:
        return None
    try:
        day = datetime.date.fromisoformat(value)
    except ValueError:
        raise BadRequest("rates_on is a date, YYYY-MM-DD") from None
    if not date_in_window(day):
        raise BadRequest("rates_on is outside the dates this system accepts")
    return day
