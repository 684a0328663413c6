"""The response schemas of billing's API: rate cards, quotes, job sheets, invoices,
credit notes, budgets, cost reports, exchange rates and category rules as they go on the
wire (billing/serialise.py builds the dicts; `apiutil.shown` checks them against these).

Every amount is `Money`: a Decimal written as its exact string ("1200.00")."""

from datetime import date, datetime
from typing import Any

from ninja import Field

from postdesk.core.apiutil import Money, OutSchema

# --- rate cards and deals -----------------------------------------------------------------


class CardOut(OutSchema):
    id: int
    name: str
    is_standard: bool
    currency: str
    valid_from: date | None
    notes: str
    archived_at: datetime | None


class EntryOut(OutSchema):
    id: int
    card: int
    resource: int | None
    skill: int | None
    resource_kind: str
    service: str
    label: str
    unit: str
    hourly: Money | None
    half_day: Money | None
    day: Money | None
    unit_price: Money | None
    category: str
    nominal_code: str
    vat_code: str


class CardDetailOut(CardOut):
    entries: list[EntryOut]


class RateMatchOut(OutSchema):
    entry: int
    card: str
    source: str = Field(..., description='Where the rate came from, e.g. "client skill"')
    target: str
    hourly: Money | None
    half_day: Money | None
    day: Money | None


class StandardCardOut(OutSchema):
    currency: str
    on: date
    card: CardOut | None
    until: date | None = Field(..., description="The day the next standard card takes over")
    next: CardOut | None


class DealOut(OutSchema):
    client: int
    card: int | None
    discount_percent: Money
    notes: str


# --- document lines -----------------------------------------------------------------------


class LineOut(OutSchema):
    id: int
    kind: str
    description: str
    resource: int | None
    booking: int | None
    date: date | None
    quantity: Money
    unit_price: Money | None
    breakdown: dict[str, Any] | None = Field(..., description="How the price was reached")
    category: str
    nominal_code: str
    vat_code: str
    vat_rate: Money
    net: Money
    vat: Money
    gross: Money


# --- quotes -------------------------------------------------------------------------------


class QuoteRowOut(OutSchema):
    id: int
    reference: str
    job: int
    job_number: str
    client: int
    client_name: str
    version: int
    status: str
    valid_until: date | None
    notes: str
    terms: str
    currency: str
    net: Money
    vat: Money
    gross: Money
    needs_approval: bool
    approved_by: str | None
    approved_at: datetime | None
    sent_at: datetime | None
    responded_at: datetime | None
    created_at: datetime


class QuoteOut(QuoteRowOut):
    lines: list[LineOut]


# --- job sheets ---------------------------------------------------------------------------


class SheetRowOut(OutSchema):
    id: int
    job: int
    job_number: str
    client: int
    booking: int | None
    status: str
    actual_start: datetime | None
    actual_end: datetime | None
    booked_start: datetime | None
    booked_end: datetime | None
    notes: str
    operator_name: str
    operator_signed_at: datetime | None
    client_name: str
    client_signed_at: datetime | None
    invoice: int | None
    currency: str
    net: Money
    vat: Money
    gross: Money


class SheetOut(SheetRowOut):
    lines: list[LineOut]


class ComparisonRowOut(OutSchema):
    item: str
    quoted: Money
    actual: Money
    difference: Money


class ComparisonOut(OutSchema):
    quote: str | None = Field(..., description="The accepted quote, else the latest sent one")
    rows: list[ComparisonRowOut]
    quoted: Money
    actual: Money


class SheetDetailOut(SheetOut):
    comparison: ComparisonOut


# --- invoices and credit notes ------------------------------------------------------------


class InvoiceRowOut(OutSchema):
    id: int
    number: str | None
    status: str
    job: int
    job_number: str
    client: int
    client_name: str
    client_address: str
    client_vat_number: str
    reverse_charge: bool
    vat_treatment: str | None = Field(..., description="Decided at issue; none on a draft")
    issue_date: date | None
    due_date: date | None
    notes: str
    currency: str
    net: Money
    vat: Money
    gross: Money
    paid: Money
    credited: Money
    outstanding: Money
    payment_status: str
    created_at: datetime


class PaymentOut(OutSchema):
    id: int
    amount: Money
    received_on: date
    reference: str


class CreditNoteRefOut(OutSchema):
    id: int
    number: str
    gross: Money


class InvoiceOut(InvoiceRowOut):
    lines: list[LineOut]
    payments: list[PaymentOut]
    credit_notes: list[CreditNoteRefOut]


class CreditNoteRowOut(OutSchema):
    id: int
    number: str
    invoice: int
    invoice_number: str | None
    issue_date: date
    reason: str
    currency: str
    net: Money
    vat: Money
    gross: Money


class CreditLineOut(OutSchema):
    id: int
    invoice_line: int | None
    description: str
    vat_code: str
    net: Money
    vat: Money
    gross: Money


class CreditNoteOut(CreditNoteRowOut):
    lines: list[CreditLineOut]


class InvoiceJobOut(OutSchema):
    job: int
    job_number: str
    message: str
    prepared_job_sheets: list[SheetRowOut]
    awaiting_sign_off: list[int] = Field(..., description="Job sheets waiting to be signed")
    invoice: InvoiceOut | None
    invoiced_job_sheets: list[int]


# --- budgets, cost reports, exchange rates, category rules ----------------------------------


class BudgetLineOut(OutSchema):
    id: int
    category: str
    amount: Money
    currency: str
    notes: str


EMPTY = "Empty where an amount in another currency has no exchange rate"


class CostRowOut(OutSchema):
    category: str
    label: str
    budget: Money | None = Field(..., description=EMPTY)
    quoted: Money | None
    actual: Money | None
    invoiced: Money | None
    estimate_to_complete: Money | None
    pencilled: Money | None
    estimate_at_completion: Money | None
    variance: Money | None


class FreelancerOut(OutSchema):
    resource: int
    name: str
    days: Money
    day_rate: Money | None
    currency: str
    cost: Money | None
    category: str
    cost_converted: Money | None
    # The day rate is the one agreed for this production (a crew deal memo).
    agreed: bool


class ReportProductionOut(OutSchema):
    id: int
    title: str
    client: str


class ConversionOut(OutSchema):
    text: str
    rates: list[dict[str, Any]] = Field(..., description="The exchange rates used")
    missing: list[Any] = Field(..., description="Currency pairs without a rate")


class CostLineOut(OutSchema):
    label: str
    amount: Money
    currency: str
    converted: Money | None


class CostSectionOut(OutSchema):
    title: str
    lines: list[CostLineOut]
    total: Money | None


class CostReportOut(OutSchema):
    production: ReportProductionOut
    currency: str
    rates_on: date
    categories: list[CostRowOut]
    total: CostRowOut
    freelancers: list[FreelancerOut]
    freelance_cost: Money | None
    margin: Money | None
    margin_percent: Money | None
    # Costs other apps add (billing.cost_sections): coordination's deliverables.
    sections: list[CostSectionOut]
    conversion: ConversionOut
    unpriced: list[dict[str, Any]]
    notes: dict[str, str]


class ExchangeRateOut(OutSchema):
    id: int
    currency: str
    to_currency: str
    rate: Money
    valid_from: date
    source: str
    created_by: str | None
    created_at: datetime


class CategoryRuleOut(OutSchema):
    id: int
    resource: int | None
    skill: int | None
    resource_kind: str
    target: str
    category: str
    rank: int
