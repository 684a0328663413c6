"""The reports by name, for the pages, the CSV and PNG downloads and the API alike:
each answers (its data, its chart)."""

import datetime
import math
from dataclasses import dataclass

from django.utils import timezone

from postdesk.core.errors import InvalidInput

from . import burn, charts, downtime, pipeline, revenue, tables, utilisation
from .periods import buckets

REPORTS = ("utilisation", "revenue", "pencils", "quotes", "downtime", "burn")
TITLES = {
    "utilisation": "Utilisation",
    "revenue": "Revenue per client",
    "pencils": "Pencil conversion",
    "quotes": "Quote win rate",
    "downtime": "Downtime per room",
    "burn": "Burn against budget",
}
CSV = {
    "utilisation": tables.utilisation_csv,
    "revenue": tables.revenue_csv,
    "pencils": tables.pencil_csv,
    "quotes": tables.quote_csv,
    "downtime": tables.downtime_csv,
    "burn": tables.burn_csv,
}


@dataclass(frozen=True)
class Params:
    """What a report covers: `months` months from the month of `start`; utilisation by
    `period` (week or month), per `group` (resource or kind), of one `kind` or all;
    downtime by `period` too; the burn of `production` (default: the newest with a
    budget) by week."""

    start: datetime.date
    months: int = 12
    period: str = "month"
    group: str = "kind"
    kind: str | None = None
    production: int | None = None


def default_start(today: datetime.date | None = None) -> datetime.date:
    """The first of the month eleven months back: the last twelve months with this one."""
    today = today or timezone.localdate()
    month = today.month - 11
    year = today.year + (month - 1) // 12
    return datetime.date(year, (month - 1) % 12 + 1, 1)


def month_periods(params: Params):
    return buckets("month", params.start, params.months)


def utilisation_periods(params: Params, period: str | None = None):
    months = month_periods(params)
    if (period or params.period) == "month":
        return months
    monday = params.start.replace(day=1)
    days = (months[-1].next_day - monday).days + monday.weekday()
    return buckets("week", monday, min(math.ceil(days / 7), 106))


def report(name: str, params: Params) -> tuple[dict, dict]:
    """(data, chart) of the report `name`."""
    if name == "utilisation":
        data = utilisation.utilisation(
            utilisation_periods(params), group=params.group, kind=params.kind
        )
        return data, charts.utilisation_chart(data, params.period)
    if name == "revenue":
        data = revenue.revenue(month_periods(params))
        return data, charts.revenue_chart(data)
    if name == "pencils":
        data = pipeline.pencil_conversion(month_periods(params))
        return data, charts.pencil_chart(data)
    if name == "quotes":
        data = pipeline.quote_win_rate(month_periods(params))
        return data, charts.quote_chart(data)
    if name == "downtime":
        data = downtime.downtime(utilisation_periods(params))
        return data, charts.downtime_chart(data, params.period)
    if name == "burn":
        data = burn.burn(utilisation_periods(params, "week"), params.production)
        return data, charts.burn_chart(data)
    raise InvalidInput.field("report", f"report is one of {', '.join(REPORTS)}")


def csv_text(name: str, data: dict) -> str:
    return CSV[name](data)
