"""API of "Invoice this job" and of what cost reports read: exchange rates and budget
category rules. Mounted on the billing router (billing.api)."""

from decimal import Decimal
from typing import Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Status

from postdesk.billing import categories, exchange, invoicing, lists
from postdesk.billing.models import Category, CategoryRule, ExchangeRate, Invoice, JobSheet
from postdesk.billing.responses_api import CategoryRuleOut, ExchangeRateOut, InvoiceJobOut
from postdesk.billing.serialise import invoice_out, job_sheet_out
from postdesk.core.apiutil import (
    Day,
    Id,
    InputSchema,
    QuerySchema,
    changed_fields,
    get_scoped,
    require,
    shown,
)
from postdesk.core.errors import Forbidden, InvalidInput
from postdesk.core.roles import CHANGE_BUDGETS, CHANGE_MONEY, VIEW_MONEY, can

router = Router(tags=["billing"])

Currency = Literal["GBP", "EUR", "USD", "CAD", "AUD", "CHF", "JPY"]


# --- invoice this job ---------------------------------------------------------------------


@router.post("/jobs/{job_id}/invoice", response=InvoiceJobOut)
def invoice_job(request: HttpRequest, job_id: Id):
    """Prepare job sheets for the job's finished bookings that have none (for sign-off),
    then raise a draft invoice from its signed-off sheets. Safe to repeat: nothing is made
    twice. 200 with what was done and what still waits, also when nothing was to do."""
    from postdesk.productions.models import Job

    require(request, CHANGE_MONEY)
    job = get_scoped(request, Job.objects.select_related("client"), job_id, "client", "job")
    result = invoicing.invoice_job(job, actor=request.user)
    sheets = {
        s.pk: s
        for s in JobSheet.objects.select_related("job__client", "booking").filter(
            pk__in=[s.pk for s in result.prepared + result.awaiting + result.invoiced]
        )
    }
    invoice = None
    if result.invoice is not None:
        invoice = invoice_out(
            Invoice.objects.select_related("job", "client").get(pk=result.invoice.pk)
        )
    return shown(
        InvoiceJobOut,
        {
            "job": job.pk,
            "job_number": job.number,
            "message": result.message,
            "prepared_job_sheets": [
                job_sheet_out(sheets[s.pk], lines=False) for s in result.prepared
            ],
            "awaiting_sign_off": [s.pk for s in result.awaiting],
            "invoice": invoice,
            "invoiced_job_sheets": [s.pk for s in result.invoiced],
        },
    )


# --- exchange rates -----------------------------------------------------------------------


class RateQuery(QuerySchema):
    currency: Currency | None = None
    to_currency: Currency | None = None


class RateIn(InputSchema):
    currency: Currency
    to_currency: Currency
    rate: Decimal = Field(..., gt=0, max_digits=16, decimal_places=6)
    valid_from: Day
    source: str = Field("", max_length=120)


def _keeper(request) -> None:
    require(request, VIEW_MONEY)
    if not exchange.may_keep_rates(request.user):
        raise Forbidden(
            "Exchange rates are kept by accounts and the administrator",
            details={"needs": "accounts or admin"},
        )


@router.get("/exchange-rates", response=list[ExchangeRateOut])
def list_exchange_rates(request: HttpRequest, query: Query[RateQuery]):
    require(request, VIEW_MONEY, internal="Exchange rates and budget categories")
    # Every rate, not a page of them: a handful per currency pair (a JSON list, as ever).
    qs = lists.EXCHANGE_RATES.strict(
        ExchangeRate.objects.select_related("created_by"),
        filters={"currency": query.currency, "to_currency": query.to_currency},
    )
    return shown(list[ExchangeRateOut], [exchange.rate_out(r) for r in qs])


@router.post("/exchange-rates", response={201: ExchangeRateOut})
def set_exchange_rate(request: HttpRequest, payload: RateIn):
    """The rate of a pair from a day on; posting the same pair and day again corrects it."""
    _keeper(request)
    rate = exchange.set_exchange_rate(actor=request.user, **payload.model_dump())
    return shown(ExchangeRateOut, exchange.rate_out(rate), 201)


@router.delete("/exchange-rates/{rate_id}", response={204: None})
def delete_exchange_rate(request: HttpRequest, rate_id: Id):
    _keeper(request)
    rate = get_scoped(request, ExchangeRate.objects.all(), rate_id, None, "exchange rate")
    exchange.delete_exchange_rate(rate, actor=request.user)
    return Status(204, None)


# --- budget category rules ----------------------------------------------------------------


class RuleIn(InputSchema):
    resource: Id | None = None
    skill: Id | None = None
    resource_kind: Literal["", "room", "equipment", "person"] = ""
    category: Category
    rank: int = Field(100, ge=0, le=10000)


class RulePatch(InputSchema):
    category: Category | None = None
    rank: int | None = Field(None, ge=0, le=10000)


def _mapper(request) -> None:
    require(request, VIEW_MONEY, internal="Exchange rates and budget categories")
    if not (can(request.user, CHANGE_MONEY) or can(request.user, CHANGE_BUDGETS)):
        raise Forbidden(
            "Your role may not change the budget categories",
            details={"needs": "change money or change budgets"},
        )


def _rule(request, pk) -> CategoryRule:
    return get_scoped(request, CategoryRule.objects.all(), pk, None, "category rule")


@router.get("/category-rules", response=list[CategoryRuleOut])
def list_category_rules(request: HttpRequest):
    require(request, VIEW_MONEY, internal="Exchange rates and budget categories")
    rules = CategoryRule.objects.select_related("resource", "skill")
    return shown(list[CategoryRuleOut], [categories.rule_out(r) for r in rules])


@router.post("/category-rules", response={201: CategoryRuleOut})
def create_category_rule(request: HttpRequest, payload: RuleIn):
    from postdesk.scheduling.models import Resource, Skill

    _mapper(request)
    data = payload.model_dump()
    for name, model in (("resource", Resource), ("skill", Skill)):
        if data[name] is not None:
            found = model.objects.filter(pk=data[name]).first()
            if found is None:
                raise InvalidInput.field(name, f"No {name} with id {data[name]}")
            data[name] = found
    rule = categories.create_category_rule(actor=request.user, **data)
    return shown(CategoryRuleOut, categories.rule_out(_rule(request, rule.pk)), 201)


@router.patch("/category-rules/{rule_id}", response=CategoryRuleOut)
def update_category_rule(request: HttpRequest, rule_id: Id, payload: RulePatch):
    _mapper(request)
    changes = {k: v for k, v in changed_fields(payload).items() if v is not None}
    rule = categories.update_category_rule(_rule(request, rule_id), actor=request.user, **changes)
    return shown(CategoryRuleOut, categories.rule_out(_rule(request, rule.pk)))


@router.delete("/category-rules/{rule_id}", response={204: None})
def delete_category_rule(request: HttpRequest, rule_id: Id):
    _mapper(request)
    categories.delete_category_rule(_rule(request, rule_id), actor=request.user)
    return Status(204, None)
