"""API of production budgets and their cost reports (JSON, CSV, XLSX)."""

from decimal import Decimal
from typing import Literal

from django.http import HttpRequest
from ninja import Field, Router

from postdesk.billing import downloads, reports, services
from postdesk.billing.models import (
    BudgetLine,
    Category,
)
from postdesk.billing.responses_api import (
    BudgetLineOut,
    CostReportOut,
)
from postdesk.billing.serialise import (
    budget_out,
)
from postdesk.billing.shared_api import (
    Money,
    staff_money,
)
from postdesk.core.apiutil import (
    FILE_TYPES,
    Day,
    Id,
    InputSchema,
    file_responses,
    get_scoped,
    require,
    shown,
)
from postdesk.core.roles import (
    CHANGE_BUDGETS,
)

router = Router(tags=["billing"])


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
    staff_money(request)
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
    staff_money(request)
    production = _production(request, production_id)
    report = reports.cost_report(production, rates_on=rates_on)
    return downloads.cost_report_file(report, production.pk, format) or shown(CostReportOut, report)
