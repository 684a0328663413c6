"""API of credit notes against issued invoices."""

from decimal import Decimal

from django.http import HttpRequest
from ninja import Field, Query, Router

from postdesk.billing import downloads, lists, services
from postdesk.billing.models import (
    CreditNote,
    Invoice,
)
from postdesk.billing.responses_api import (
    CreditNoteOut,
    CreditNoteRowOut,
)
from postdesk.billing.serialise import (
    credit_note_out,
)
from postdesk.billing.shared_api import (
    MAX_LINES,
    bad,
)
from postdesk.core.apiutil import (
    FILE_TYPES,
    Id,
    InputSchema,
    ListQuery,
    Page,
    file_responses,
    get_scoped,
    paged,
    require,
    shown,
)
from postdesk.core.roles import (
    CHANGE_MONEY,
    VIEW_MONEY,
    scope_to_client,
)

router = Router(tags=["billing"])


# --- credit notes -------------------------------------------------------------------------


class CreditLineIn(InputSchema):
    invoice_line: Id
    net: Decimal = Field(..., gt=0, max_digits=14, decimal_places=2)


class CreditNoteIn(InputSchema):
    invoice: Id
    reason: str = Field(..., min_length=1, max_length=300)
    lines: list[CreditLineIn] | None = Field(None, max_length=MAX_LINES)


class CreditNoteQuery(ListQuery):
    invoice: Id | None = None


def _notes():
    return CreditNote.objects.select_related("invoice")


@router.get("/credit-notes", response=Page[CreditNoteRowOut])
def list_credit_notes(request: HttpRequest, query: Query[CreditNoteQuery]):
    require(request, VIEW_MONEY)
    qs = scope_to_client(request.user, _notes(), "invoice__client")
    return shown(
        Page[CreditNoteRowOut],
        paged(lists.CREDIT_NOTES, qs, query, serialise=lambda n: credit_note_out(n, lines=False)),
    )


@router.post("/credit-notes", response={201: CreditNoteOut})
def create_credit_note(request: HttpRequest, payload: CreditNoteIn):
    require(request, CHANGE_MONEY)
    invoice = Invoice.objects.filter(pk=payload.invoice).first() or bad("invoice", payload.invoice)
    lines = None if payload.lines is None else [x.model_dump() for x in payload.lines]
    note = services.create_credit_note(
        invoice=invoice, actor=request.user, reason=payload.reason, lines=lines
    )
    return shown(CreditNoteOut, credit_note_out(note), 201)


@router.get("/credit-notes/{note_id}", response=CreditNoteOut)
def get_credit_note(request: HttpRequest, note_id: Id):
    require(request, VIEW_MONEY)
    note = get_scoped(request, _notes(), note_id, "invoice__client", "credit note")
    return shown(CreditNoteOut, credit_note_out(note))


@router.get("/credit-notes/{note_id}/pdf", openapi_extra=file_responses(FILE_TYPES["pdf"]))
def credit_note_pdf(request: HttpRequest, note_id: Id):
    require(request, VIEW_MONEY)
    note = get_scoped(request, _notes(), note_id, "invoice__client", "credit note")
    return downloads.credit_note_pdf(note)
