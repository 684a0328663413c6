"""API of invoices: from job sheets, lines, issue, payments, PDF, accounting export."""

from decimal import Decimal
from typing import Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Status

from postdesk.billing import downloads, lists, queries, services
from postdesk.billing.models import (
    Invoice,
    JobSheet,
)
from postdesk.billing.responses_api import (
    InvoiceOut,
    InvoiceRowOut,
)
from postdesk.billing.serialise import (
    invoice_out,
)
from postdesk.billing.shared_api import (
    MAX_LINES,
    LineIn,
    job_for_input,
    line_fields,
)
from postdesk.core.apiutil import (
    FILE_TYPES,
    Day,
    Id,
    InputSchema,
    ListQuery,
    Page,
    QuerySchema,
    file_responses,
    get_scoped,
    paged,
    require,
    shown,
)
from postdesk.core.errors import InvalidInput
from postdesk.core.roles import (
    CHANGE_MONEY,
    VIEW_MONEY,
    scope_to_client,
)

router = Router(tags=["billing"])


# --- invoices -----------------------------------------------------------------------------


class InvoiceQuery(ListQuery):
    job: Id | None = None
    client: Id | None = None
    status: Invoice.Status | None = None
    payment_status: Literal["unpaid", "part_paid", "paid", "overdue", "draft"] | None = None


class InvoiceIn(InputSchema):
    job: Id
    job_sheets: list[Id] = Field(..., min_length=1, max_length=MAX_LINES)
    notes: str = ""


class InvoicePatch(InputSchema):
    notes: str


class IssueIn(InputSchema):
    issue_date: Day | None = None
    # Needed (with the admin role) for a date more than INVOICE_BACKDATE_DAYS back.
    reason: str = Field("", max_length=300)


class PaymentIn(InputSchema):
    amount: Decimal = Field(..., gt=0, max_digits=14, decimal_places=2)
    received_on: Day
    reference: str = Field("", max_length=100)


def _invoices(request):
    return queries.hide_drafts_from_clients(request.user, queries.invoices_with_amounts())


def _invoice(request, pk) -> Invoice:
    return get_scoped(request, _invoices(request), pk, "client", "invoice")


@router.get("/invoices", response=Page[InvoiceRowOut])
def list_invoices(request: HttpRequest, query: Query[InvoiceQuery]):
    require(request, VIEW_MONEY)
    qs = scope_to_client(request.user, _invoices(request), "client")
    return shown(
        Page[InvoiceRowOut],
        paged(lists.INVOICES, qs, query, serialise=lambda i: invoice_out(i, lines=False)),
    )


class ExportQuery(QuerySchema):
    issued_from: Day | None = None
    issued_to: Day | None = None


@router.get("/invoices/export.csv", openapi_extra=file_responses(FILE_TYPES["csv"]))
def export_invoices(request: HttpRequest, query: Query[ExportQuery]):
    """Issued invoices, one row per line, for the accounting package."""
    require(request, CHANGE_MONEY)
    qs = Invoice.objects.filter(status=Invoice.Status.ISSUED)
    if query.issued_from:
        qs = qs.filter(issue_date__gte=query.issued_from)
    if query.issued_to:
        qs = qs.filter(issue_date__lte=query.issued_to)
    return downloads.invoice_export_csv(qs)


@router.post("/invoices", response={201: InvoiceOut})
def create_invoice(request: HttpRequest, payload: InvoiceIn):
    require(request, CHANGE_MONEY)
    job = job_for_input(request, payload.job)
    sheets = list(JobSheet.objects.filter(pk__in=payload.job_sheets))
    if len(sheets) != len(set(payload.job_sheets)):
        raise InvalidInput.field("job_sheets", "Unknown job sheet")
    invoice = services.create_invoice(
        job=job, sheets=sheets, actor=request.user, notes=payload.notes
    )
    return shown(InvoiceOut, invoice_out(_invoice(request, invoice.pk)), 201)


@router.get("/invoices/{invoice_id}", response=InvoiceOut)
def get_invoice(request: HttpRequest, invoice_id: Id):
    require(request, VIEW_MONEY)
    return shown(InvoiceOut, invoice_out(_invoice(request, invoice_id)))


@router.patch("/invoices/{invoice_id}", response=InvoiceOut)
def update_invoice(request: HttpRequest, invoice_id: Id, payload: InvoicePatch):
    require(request, CHANGE_MONEY)
    services.update_invoice(_invoice(request, invoice_id), actor=request.user, notes=payload.notes)
    return shown(InvoiceOut, invoice_out(_invoice(request, invoice_id)))


@router.put("/invoices/{invoice_id}", response=InvoiceOut)
def replace_invoice(request: HttpRequest, invoice_id: Id, payload: InvoicePatch):
    return update_invoice(request, invoice_id, payload)


@router.delete("/invoices/{invoice_id}", response={204: None})
def delete_invoice(request: HttpRequest, invoice_id: Id):
    require(request, CHANGE_MONEY)
    services.delete_invoice(_invoice(request, invoice_id), actor=request.user)
    return Status(204, None)


@router.post("/invoices/{invoice_id}/lines", response={201: InvoiceOut})
def add_invoice_line(request: HttpRequest, invoice_id: Id, payload: LineIn):
    require(request, CHANGE_MONEY)
    services.add_invoice_line(
        _invoice(request, invoice_id), actor=request.user, **line_fields(payload)
    )
    return shown(InvoiceOut, invoice_out(_invoice(request, invoice_id)), 201)


@router.post("/invoices/{invoice_id}/issue", response=InvoiceOut)
def issue_invoice(request: HttpRequest, invoice_id: Id, payload: IssueIn | None = None):
    require(request, CHANGE_MONEY)
    services.issue_invoice(
        _invoice(request, invoice_id),
        actor=request.user,
        issue_date=payload.issue_date if payload else None,
        reason=payload.reason if payload else "",
    )
    return shown(InvoiceOut, invoice_out(_invoice(request, invoice_id)))


@router.post("/invoices/{invoice_id}/payments", response={201: InvoiceOut})
def record_payment(request: HttpRequest, invoice_id: Id, payload: PaymentIn):
    require(request, CHANGE_MONEY)
    services.record_payment(
        _invoice(request, invoice_id), actor=request.user, **payload.model_dump()
    )
    return shown(InvoiceOut, invoice_out(_invoice(request, invoice_id)), 201)


@router.get("/invoices/{invoice_id}/pdf", openapi_extra=file_responses(FILE_TYPES["pdf"]))
def invoice_pdf(request: HttpRequest, invoice_id: Id):
    require(request, VIEW_MONEY)
    invoice = _invoice(request, invoice_id)
    return downloads.invoice_pdf(invoice)
