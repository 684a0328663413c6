"""API of the reports: each report's data and chart description as JSON (the CSV and PNG
are at /reports/<name>.csv and .png, for the same query)."""

import datetime
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field, Query, Router

from postdesk.core.apiutil import Day, Id, OutSchema, QuerySchema, require, shown
from postdesk.core.roles import VIEW_MONEY

from . import queries

router = Router(tags=["reports"])

ReportName = Literal["utilisation", "revenue", "pencils", "quotes", "downtime", "burn"]


class ReportQuery(QuerySchema):
    start: Day | None = Field(None, description="A day of the first month (default: 11 months ago)")
    months: int = Field(12, ge=1, le=36)
    period: Literal["week", "month"] = "month"
    group: Literal["resource", "kind"] = "kind"
    kind: Literal["room", "equipment", "person"] | None = None
    production: Id | None = Field(
        None, description="Burn: the production (default: newest with a budget)"
    )


class ReportOut(OutSchema):
    report: ReportName
    start: datetime.date
    months: int
    data: dict[str, Any]
    chart: dict[str, Any]


@router.get("/reports/{name}", response=ReportOut)
def report(request: HttpRequest, name: ReportName, query: Query[ReportQuery]):
    """One report's figures (amounts as decimal strings) and its chart's description."""
    require(request, VIEW_MONEY, internal="Reports")
    params = queries.Params(
        start=(query.start or queries.default_start()).replace(day=1),
        months=query.months,
        period=query.period,
        group=query.group,
        kind=query.kind,
        production=query.production,
    )
    data, chart = queries.report(name, params)
    payload = {
        "report": name,
        "start": params.start,
        "months": params.months,
        "data": data,
        "chart": chart,
    }
    return shown(ReportOut, payload)
