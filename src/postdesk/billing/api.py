"""API of billing: rate cards, quotes, job sheets, invoices, credit notes, cost reports."""

import datetime
from decimal import Decimal
from typing import Literal

from django.conf import settings
from django.http import HttpRequest
from ninja import Field, Query, Router, Status

from postdesk.billing import downloads, lists, queries, reports, services
from postdesk.billing.models import (
    BudgetLine,
    Category,
    CreditNote,
    Invoice,
    JobSheet,
    LineKind,
    Quote,
    RateCard,
    RateEntry,
    VatCode,
)
from postdesk.billing.rates import RateBook
from postdesk.billing.rates import standard_card_on as standard_card_on_date
from postdesk.billing.responses_api import (
    BudgetLineOut,
    CardDetailOut,
    CardOut,
    CostReportOut,
    CreditNoteOut,
    CreditNoteRowOut,
    DealOut,
    EntryOut,
    InvoiceOut,
    InvoiceRowOut,
    QuoteOut,
    QuoteRowOut,
    RateMatchOut,
    SheetDetailOut,
    SheetOut,
    SheetRowOut,
    StandardCardOut,
)
from postdesk.billing.serialise import (
    budget_out,
    card_out,
    credit_note_out,
    entry_out,
    invoice_out,
    job_sheet_out,
    quote_out,
)
from postdesk.core.apiutil import (
    FILE_TYPES,
    MAX_ID,
    Day,
    Id,
    InputSchema,
    Instant,
    ListQuery,
    Page,
    QuerySchema,
    changed_fields,
    file_responses,
    get_scoped,
    paged,
    require,
    shown,
)
from postdesk.core.errors import Forbidden, InvalidInput, NotFound
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

router = Router(tags=["billing"])

Money = Field(..., ge=0, max_digits=12, decimal_places=2)
OptMoney = Field(None, ge=0, max_digits=12, decimal_places=2)
Currency = Literal["GBP", "EUR", "USD", "CAD", "AUD", "CHF", "JPY"]


# Lists in a body are bounded before any work is done per item (issue 10); the services
# check the same bound (settings MAX_DOCUMENT_LINES) for the pages and any other caller.
MAX_LINES = settings.POSTDESK["MAX_DOCUMENT_LINES"]


def _is_client(request) -> bool:
    return role_of(request.user) == "client"


def _staff_money(request) -> None:
    """Internal prices (rate cards, cost reports) are for the facility's staff only."""
    require(request, VIEW_MONEY)
    if _is_client(request):
        raise Forbidden("Rate cards and cost reports are internal to the facility")


# --- rate cards ---------------------------------------------------------------------------


class CardIn(InputSchema):
    name: str = Field(..., min_length=1, max_length=120)
    is_standard: bool = False
    currency: Currency = "GBP"
    valid_from: Day | None = None
    notes: str = ""


class CardPatch(InputSchema):
    name: str | None = Field(None, min_length=1, max_length=120)
    is_standard: bool | None = None
    valid_from: Day | None = None
    notes: str | None = None


class EntryIn(InputSchema):
    resource: Id | None = None
    skill: Id | None = None
    resource_kind: Literal["", "room", "equipment", "person"] = ""
    service: str = Field("", max_length=120)
    label: str = Field("", max_length=120)
    unit: RateEntry.Unit = RateEntry.Unit.TIME
    hourly: Decimal | None = OptMoney
    half_day: Decimal | None = OptMoney
    day: Decimal | None = OptMoney
    unit_price: Decimal | None = OptMoney
    category: Category = Category.OTHER
    nominal_code: str = Field("", max_length=20)
    vat_code: VatCode = VatCode.STANDARD


class EntryPatch(InputSchema):
    label: str | None = Field(None, max_length=120)
    hourly: Decimal | None = OptMoney
    half_day: Decimal | None = OptMoney
    day: Decimal | None = OptMoney
    unit_price: Decimal | None = OptMoney
    category: Category | None = None
    nominal_code: str | None = Field(None, max_length=20)
    vat_code: VatCode | None = None


def _card(request, pk) -> RateCard:
    return get_scoped(request, RateCard.objects.all(), pk, None, "rate card")


def _entry_targets(data: dict) -> dict:
    from postdesk.scheduling.models import Resource, Skill

    if data.get("resource") is not None:
        data["resource"] = Resource.objects.filter(pk=data["resource"]).first() or _bad(
            "resource", data["resource"]
        )
    if data.get("skill") is not None:
        data["skill"] = Skill.objects.filter(pk=data["skill"]).first() or _bad(
            "skill", data["skill"]
        )
    return data


def _bad(field: str, pk):
    raise InvalidInput.field(field, f"No {field} with id {pk}")


@router.get("/rate-cards", response=Page[CardOut])
def list_rate_cards(request: HttpRequest, query: Query[ListQuery]):
    _staff_money(request)
    return shown(
        Page[CardOut], paged(lists.RATE_CARDS, RateCard.objects.all(), query, serialise=card_out)
    )


@router.post("/rate-cards", response={201: CardOut})
def create_rate_card(request: HttpRequest, payload: CardIn):
    require(request, CHANGE_MONEY)
    card = services.create_rate_card(actor=request.user, **payload.model_dump())
    return shown(CardOut, card_out(card), 201)


class ResolveQuery(QuerySchema):
    resource: Id
    client: Id | None = None
    on: Day | None = None
    currency: Currency = "GBP"


@router.get("/rate-cards/resolve", response=RateMatchOut)
def resolve_rate(request: HttpRequest, query: Query[ResolveQuery]):
    """Which entry prices `resource` for `client` on `on`, and from which level."""
    from postdesk.productions.models import Client
    from postdesk.scheduling.models import Resource

    _staff_money(request)
    res = Resource.objects.filter(pk=query.resource).first() or _bad("resource", query.resource)
    cli, currency = None, query.currency
    if query.client is not None:
        cli = Client.objects.filter(pk=query.client).first() or _bad("client", query.client)
        currency = cli.currency
    match = RateBook(client=cli, currency=currency).resolve(res, query.on or _today())
    return shown(RateMatchOut, match.describe())


class StandardQuery(QuerySchema):
    currency: Currency = "GBP"
    on: Day | None = None


@router.get("/rate-cards/standard", response=StandardCardOut)
def standard_card_on(request: HttpRequest, query: Query[StandardQuery]):
    """Which standard card applies on a date (default today), and which one replaces it."""
    _staff_money(request)
    on = query.on or _today()
    card, following = standard_card_on_date(query.currency, on)
    return shown(
        StandardCardOut,
        {
            "currency": query.currency,
            "on": on,
            "card": card_out(card) if card else None,
            "until": following.valid_from if following else None,
            "next": card_out(following) if following else None,
        },
    )


def _today() -> datetime.date:
    from django.utils import timezone

    return timezone.localdate()


@router.get("/rate-cards/{card_id}", response=CardDetailOut)
def get_rate_card(request: HttpRequest, card_id: Id):
    _staff_money(request)
    card = _card(request, card_id)
    return shown(
        CardDetailOut, {**card_out(card), "entries": [entry_out(e) for e in card.entries.all()]}
    )


@router.patch("/rate-cards/{card_id}", response=CardOut)
def update_rate_card(request: HttpRequest, card_id: Id, payload: CardPatch):
    require(request, CHANGE_MONEY)
    card = services.update_rate_card(
        _card(request, card_id), actor=request.user, **changed_fields(payload)
    )
    return shown(CardOut, card_out(card))


@router.delete("/rate-cards/{card_id}", response={204: None})
def delete_rate_card(request: HttpRequest, card_id: Id):
    """Only a card nothing depends on; a standard card, one a deal names or one that priced
    a document answers 409 with the reasons, and can be archived instead."""
    require(request, CHANGE_MONEY)
    services.delete_rate_card(_card(request, card_id), actor=request.user)
    return Status(204, None)


@router.post("/rate-cards/{card_id}/archive", response=CardOut)
def archive_rate_card(request: HttpRequest, card_id: Id):
    """The card stops pricing; it stays, with its entries, for the documents it priced."""
    require(request, CHANGE_MONEY)
    card = services.archive_rate_card(_card(request, card_id), actor=request.user)
    return shown(CardOut, card_out(card))


@router.post("/rate-cards/{card_id}/entries", response={201: EntryOut})
def create_rate_entry(request: HttpRequest, card_id: Id, payload: EntryIn):
    require(request, CHANGE_MONEY)
    card = _card(request, card_id)
    data = _entry_targets(payload.model_dump())
    return shown(
        EntryOut, entry_out(services.create_rate_entry(actor=request.user, card=card, **data)), 201
    )


@router.patch("/rate-entries/{entry_id}", response=EntryOut)
def update_rate_entry(request: HttpRequest, entry_id: Id, payload: EntryPatch):
    require(request, CHANGE_MONEY)
    entry = get_scoped(request, RateEntry.objects.all(), entry_id, None, "rate entry")
    entry = services.update_rate_entry(entry, actor=request.user, **changed_fields(payload))
    return shown(EntryOut, entry_out(entry))


@router.delete("/rate-entries/{entry_id}", response={204: None})
def delete_rate_entry(request: HttpRequest, entry_id: Id):
    require(request, CHANGE_MONEY)
    entry = get_scoped(request, RateEntry.objects.all(), entry_id, None, "rate entry")
    services.delete_rate_entry(entry, actor=request.user)
    return Status(204, None)


class DealIn(InputSchema):
    card: Id | None = None
    discount_percent: Decimal = Field(Decimal(0), ge=0, le=100, decimal_places=2)
    notes: str = ""


def _deal_out(client, deal) -> dict:
    return {
        "client": client.pk,
        "card": deal.card_id if deal else None,
        "discount_percent": Decimal(deal.discount_percent if deal else 0).quantize(Decimal("0.01")),
        "notes": deal.notes if deal else "",
    }


@router.get("/clients/{client_id}/deal", response=DealOut)
def get_client_deal(request: HttpRequest, client_id: Id):
    from postdesk.billing.models import ClientDeal
    from postdesk.productions.models import Client

    _staff_money(request)
    client = get_scoped(request, Client.objects.all(), client_id, "pk", "client")
    return shown(DealOut, _deal_out(client, ClientDeal.objects.filter(client=client).first()))


@router.put("/clients/{client_id}/deal", response=DealOut)
def set_client_deal(request: HttpRequest, client_id: Id, payload: DealIn):
    from postdesk.productions.models import Client

    require(request, CHANGE_MONEY)
    client = get_scoped(request, Client.objects.all(), client_id, "pk", "client")
    card = _card(request, payload.card) if payload.card is not None else None
    deal = services.set_client_deal(
        actor=request.user,
        client=client,
        card=card,
        discount_percent=payload.discount_percent,
        notes=payload.notes,
    )
    return shown(DealOut, _deal_out(client, deal))


# --- free lines, shared by quotes, job sheets and invoices --------------------------------


class LineIn(InputSchema):
    kind: LineKind = LineKind.OTHER
    description: str = Field("", max_length=300)
    quantity: Decimal = Field(Decimal(1), gt=0, max_digits=12, decimal_places=4)
    unit_price: Decimal | None = OptMoney
    service: str = Field("", max_length=120)
    category: Category | Literal[""] = ""
    nominal_code: str = Field("", max_length=20)
    vat_code: VatCode | Literal[""] = ""


# --- quotes -------------------------------------------------------------------------------


class QuoteQuery(ListQuery):
    job: Id | None = None
    status: Quote.Status | None = None


class QuoteIn(InputSchema):
    job: Id
    valid_until: Day | None = None
    notes: str = ""
    terms: str | None = None
    include_bookings: bool = True
    lines: list[LineIn] = Field([], max_length=MAX_LINES)


class QuotePatch(InputSchema):
    valid_until: Day | None = None
    notes: str | None = None
    terms: str | None = None


def _quotes(request):
    qs = Quote.objects.select_related("job__client", "job__production", "approved_by")
    return queries.hide_drafts_from_clients(request.user, qs)


def _quote(request, pk) -> Quote:
    return get_scoped(request, _quotes(request), pk, "job__client", "quote")


def _job_for_input(request, pk: int):
    from postdesk.productions.models import Job

    job = (
        scope_to_client(request.user, Job.objects.select_related("client"), "client")
        .filter(pk=pk)
        .first()
    )
    return job or _bad("job", pk)


@router.get("/quotes", response=Page[QuoteRowOut])
def list_quotes(request: HttpRequest, query: Query[QuoteQuery]):
    require(request, VIEW_MONEY)
    qs = scope_to_client(request.user, _quotes(request), "job__client")
    return shown(
        Page[QuoteRowOut],
        paged(lists.QUOTES, qs, query, serialise=lambda q: quote_out(q, lines=False)),
    )


@router.post("/quotes", response={201: QuoteOut})
def create_quote(request: HttpRequest, payload: QuoteIn):
    require(request, CHANGE_MONEY)
    job = _job_for_input(request, payload.job)
    data = payload.model_dump(exclude={"job", "lines"})
    quote = services.create_quote(
        job=job, actor=request.user, free_lines=[_line(x) for x in payload.lines], **data
    )
    return shown(QuoteOut, quote_out(_quote(request, quote.pk)), 201)


def _line_on(document, line_id: Id, what: str):
    # An id past a bigint is no line; the database would answer it with an error (a 500).
    line = document.lines.filter(pk=line_id).first() if 1 <= line_id <= MAX_ID else None
    if line is None:
        raise NotFound(f"No line {line_id} on this {what}")
    return line


def _line(line: LineIn) -> dict:
    data = line.model_dump()
    return {k: v for k, v in data.items() if v not in ("", None) or k == "description"}


@router.get("/quotes/{quote_id}", response=QuoteOut)
def get_quote(request: HttpRequest, quote_id: Id):
    require(request, VIEW_MONEY)
    return shown(QuoteOut, quote_out(_quote(request, quote_id)))


@router.patch("/quotes/{quote_id}", response=QuoteOut)
def update_quote(request: HttpRequest, quote_id: Id, payload: QuotePatch):
    require(request, CHANGE_MONEY)
    services.update_quote(_quote(request, quote_id), actor=request.user, **changed_fields(payload))
    return shown(QuoteOut, quote_out(_quote(request, quote_id)))


@router.post("/quotes/{quote_id}/lines", response={201: QuoteOut})
def add_quote_line(request: HttpRequest, quote_id: Id, payload: LineIn):
    require(request, CHANGE_MONEY)
    services.add_quote_line(_quote(request, quote_id), actor=request.user, **_line(payload))
    return shown(QuoteOut, quote_out(_quote(request, quote_id)), 201)


@router.delete("/quotes/{quote_id}/lines/{line_id}", response=QuoteOut)
def delete_quote_line(request: HttpRequest, quote_id: Id, line_id: Id):
    require(request, CHANGE_MONEY)
    line = _line_on(_quote(request, quote_id), line_id, "quote")
    services.delete_quote_line(line, actor=request.user)
    return shown(QuoteOut, quote_out(_quote(request, quote_id)))


@router.post("/quotes/{quote_id}/approve", response=QuoteOut)
def approve_quote(request: HttpRequest, quote_id: Id):
    require(request, APPROVE_QUOTES)
    services.approve_quote(_quote(request, quote_id), actor=request.user)
    return shown(QuoteOut, quote_out(_quote(request, quote_id)))


@router.post("/quotes/{quote_id}/send", response=QuoteOut)
def send_quote(request: HttpRequest, quote_id: Id):
    require(request, CHANGE_MONEY)
    services.send_quote(_quote(request, quote_id), actor=request.user)
    return shown(QuoteOut, quote_out(_quote(request, quote_id)))


def _respond(request, quote_id: Id, accept: bool):
    # The client answers; bookings staff may record an answer given by phone or mail.
    if not (can(request.user, RESPOND_QUOTES) or can(request.user, CHANGE_MONEY)):
        require(request, RESPOND_QUOTES)
    services.respond_quote(_quote(request, quote_id), actor=request.user, accept=accept)
    return shown(QuoteOut, quote_out(_quote(request, quote_id)))


@router.post("/quotes/{quote_id}/accept", response=QuoteOut)
def accept_quote(request: HttpRequest, quote_id: Id):
    return _respond(request, quote_id, True)


@router.post("/quotes/{quote_id}/decline", response=QuoteOut)
def decline_quote(request: HttpRequest, quote_id: Id):
    return _respond(request, quote_id, False)


@router.get("/quotes/{quote_id}/pdf", openapi_extra=file_responses(FILE_TYPES["pdf"]))
def quote_pdf(request: HttpRequest, quote_id: Id):
    require(request, VIEW_MONEY)
    quote = _quote(request, quote_id)
    return downloads.quote_pdf(quote)


# --- job sheets ---------------------------------------------------------------------------


class SheetQuery(ListQuery):
    job: Id | None = None
    status: JobSheet.Status | None = None


class SheetIn(InputSchema):
    booking: Id
    notes: str = ""


class SheetPatch(InputSchema):
    actual_start: Instant | None = None
    actual_end: Instant | None = None
    notes: str | None = None


class SignIn(InputSchema):
    party: Literal["operator", "client"]
    name: str = Field(..., min_length=1, max_length=150)


def _sheets():
    return JobSheet.objects.select_related("job__client", "booking")


def _sheet(request, pk) -> JobSheet:
    return get_scoped(request, _sheets(), pk, "job__client", "job sheet")


@router.get("/job-sheets", response=Page[SheetRowOut])
def list_job_sheets(request: HttpRequest, query: Query[SheetQuery]):
    require(request, VIEW_MONEY)
    qs = scope_to_client(request.user, _sheets(), "job__client")
    return shown(
        Page[SheetRowOut],
        paged(lists.JOB_SHEETS, qs, query, serialise=lambda s: job_sheet_out(s, lines=False)),
    )


@router.post("/job-sheets", response={201: SheetOut})
def create_job_sheet(request: HttpRequest, payload: SheetIn):
    from postdesk.scheduling.models import Booking

    require(request, CHANGE_MONEY)
    booking = Booking.objects.select_related("job__client").filter(pk=payload.booking).first()
    if booking is None:
        _bad("booking", payload.booking)
    sheet = services.create_job_sheet(booking=booking, actor=request.user, notes=payload.notes)
    return shown(SheetOut, job_sheet_out(_sheet(request, sheet.pk)), 201)


class SheetsForJobIn(InputSchema):
    job: Id


@router.post("/job-sheets/from-job", response={201: list[SheetRowOut]})
def create_job_sheets_for_job(request: HttpRequest, payload: SheetsForJobIn):
    """Job sheets for every completed booking of a job that has none yet."""
    require(request, CHANGE_MONEY)
    job = _job_for_input(request, payload.job)
    sheets = services.create_job_sheets_for_job(job=job, actor=request.user)
    return shown(
        list[SheetRowOut], [job_sheet_out(_sheet(request, s.pk), lines=False) for s in sheets], 201
    )


@router.get("/job-sheets/{sheet_id}", response=SheetDetailOut)
def get_job_sheet(request: HttpRequest, sheet_id: Id):
    require(request, VIEW_MONEY)
    sheet = _sheet(request, sheet_id)
    return shown(
        SheetDetailOut, {**job_sheet_out(sheet), "comparison": queries.quote_comparison(sheet)}
    )


@router.patch("/job-sheets/{sheet_id}", response=SheetOut)
def update_job_sheet(request: HttpRequest, sheet_id: Id, payload: SheetPatch):
    require(request, CHANGE_MONEY)
    changes = changed_fields(payload)
    services.update_job_sheet(_sheet(request, sheet_id), actor=request.user, **changes)
    return shown(SheetOut, job_sheet_out(_sheet(request, sheet_id)))


@router.post("/job-sheets/{sheet_id}/lines", response={201: SheetOut})
def add_job_sheet_line(request: HttpRequest, sheet_id: Id, payload: LineIn):
    require(request, CHANGE_MONEY)
    services.add_job_sheet_line(_sheet(request, sheet_id), actor=request.user, **_line(payload))
    return shown(SheetOut, job_sheet_out(_sheet(request, sheet_id)), 201)


@router.delete("/job-sheets/{sheet_id}/lines/{line_id}", response=SheetOut)
def delete_job_sheet_line(request: HttpRequest, sheet_id: Id, line_id: Id):
    require(request, CHANGE_MONEY)
    line = _line_on(_sheet(request, sheet_id), line_id, "job sheet")
    services.delete_job_sheet_line(line, actor=request.user)
    return shown(SheetOut, job_sheet_out(_sheet(request, sheet_id)))


@router.post("/job-sheets/{sheet_id}/sign", response=SheetOut)
def sign_job_sheet(request: HttpRequest, sheet_id: Id, payload: SignIn):
    # Which party a client user may sign for is the service's rule.
    require(request, RESPOND_QUOTES if _is_client(request) else CHANGE_MONEY)
    services.sign_job_sheet(
        _sheet(request, sheet_id), actor=request.user, party=payload.party, name=payload.name
    )
    return shown(SheetOut, job_sheet_out(_sheet(request, sheet_id)))


@router.get("/job-sheets/{sheet_id}/pdf", openapi_extra=file_responses(FILE_TYPES["pdf"]))
def job_sheet_pdf(request: HttpRequest, sheet_id: Id):
    require(request, VIEW_MONEY)
    sheet = _sheet(request, sheet_id)
    return downloads.job_sheet_pdf(sheet)


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
    job = _job_for_input(request, payload.job)
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
    services.add_invoice_line(_invoice(request, invoice_id), actor=request.user, **_line(payload))
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
    invoice = Invoice.objects.filter(pk=payload.invoice).first() or _bad("invoice", payload.invoice)
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


# --- budgets and cost reports -------------------------------------------------------------


class BudgetIn(InputSchema):
    category: Category
    amount: Decimal = Money
    notes: str = Field("", max_length=300)


def _production(request, pk):
    from postdesk.productions.models import Production

    return get_scoped(
        request, Production.objects.select_related("client"), pk, "client", "production"
    )


@router.get("/productions/{production_id}/budget", response=list[BudgetLineOut])
def get_budget(request: HttpRequest, production_id: Id):
    _staff_money(request)
    production = _production(request, production_id)
    return shown(
        list[BudgetLineOut],
        [budget_out(b) for b in BudgetLine.objects.filter(production=production)],
    )


@router.put("/productions/{production_id}/budget", response=list[BudgetLineOut])
def set_budget(request: HttpRequest, production_id: Id, payload: list[BudgetIn]):
    require(request, CHANGE_BUDGETS)
    production = _production(request, production_id)
    services.set_budget(
        production=production, lines=[line.model_dump() for line in payload], actor=request.user
    )
    return shown(
        list[BudgetLineOut],
        [budget_out(b) for b in BudgetLine.objects.filter(production=production)],
    )


@router.get(
    "/productions/{production_id}/cost-report",
    response=CostReportOut,
    openapi_extra=file_responses(FILE_TYPES["csv"], FILE_TYPES["xlsx"]),
)
def cost_report(
    request: HttpRequest,
    production_id: Id,
    format: Literal["json", "csv", "xlsx"] = "json",
    rates_on: Day | None = None,
):
    """Budget, quoted, actual, invoiced, to complete, at completion, variance and pencils
    per category, all in the client's currency; amounts in other currencies converted at
    the exchange rates in force on `rates_on` (default today), each rate named."""
    _staff_money(request)
    production = _production(request, production_id)
    report = reports.cost_report(production, rates_on=rates_on)
    return downloads.cost_report_file(report, production.pk, format) or shown(CostReportOut, report)


# "Invoice this job", exchange rates and budget category rules (billing.costing_api).
from postdesk.billing.costing_api import router as costing_router  # noqa: E402

router.add_router("", costing_router)
