"""Each report as a chart: title, axis labels with units, and its series. The one
description both the browser's chart (Chart.js, static/reports/charts.js) and the PNG
(images.py) draw, and the CSV (tables.py) writes out, so the three always agree."""

from postdesk.core.money import DEFAULT_CURRENCY

COLOURS = {
    "confirmed": "#2563eb",
    "pencilled": "#f59e0b",
    "down": "#dc2626",
    "working": "#111827",
    "invoiced": "#2563eb",
    "credited": "#dc2626",
    "outstanding": "#f59e0b",
    "released": "#9ca3af",
    "accepted": "#16a34a",
    "declined": "#dc2626",
    "expired": "#9ca3af",
    "open": "#f59e0b",
    "fault": "#dc2626",
    "maintenance": "#6b7280",
    "week": "#93c5fd",
    "cumulative": "#2563eb",
    "budget": "#111827",
}


def _series(name, label, data, kind="bar", stack=None):
    return {
        "key": name,
        "label": label,
        "type": kind,
        "data": data,
        "stack": stack,
        "colour": COLOURS[name],
    }


def utilisation_chart(report: dict, period: str) -> dict:
    totals = report["totals"]
    return {
        "title": f"Utilisation by {period}: booked against working hours",
        "x": f"{period.capitalize()} beginning",
        "y": "Hours",
        "labels": report["periods"],
        "stacked": True,
        "series": [
            _series("confirmed", "Confirmed (h)", [c["confirmed"] for c in totals], stack="booked"),
            _series(
                "pencilled",
                "Pencilled, first hold (h)",
                [c["pencilled"] for c in totals],
                stack="booked",
            ),
            _series(
                "down", "Maintenance and leave (h)", [c["down"] for c in totals], stack="booked"
            ),
            _series("working", "Working hours (h)", [c["working"] for c in totals], kind="line"),
        ],
    }


def revenue_chart(report: dict, currency: str = DEFAULT_CURRENCY) -> dict:
    cells = report["totals"].get(currency) or [
        {"invoiced": 0, "credited": 0, "outstanding": 0} for _ in report["periods"]
    ]
    return {
        "title": f"Revenue by month ({currency})",
        "x": "Month",
        "y": f"Amount ({currency}, net of VAT; outstanding gross)",
        "labels": report["periods"],
        "stacked": False,
        "series": [
            _series(f, f"{f.capitalize()} ({currency})", [str(c[f]) for c in cells])
            for f in ("invoiced", "credited", "outstanding")
        ],
    }


def pencil_chart(report: dict) -> dict:
    cells = report["cells"]
    return {
        "title": "Pencils decided by month",
        "x": "Month",
        "y": "Pencils (count)",
        "labels": report["periods"],
        "stacked": True,
        "series": [
            _series("confirmed", "Confirmed", [c["confirmed"] for c in cells], stack="p"),
            _series("released", "Released or cancelled", [c["released"] for c in cells], stack="p"),
        ],
    }


def quote_chart(report: dict) -> dict:
    cells = report["cells"]
    return {
        "title": "Quotes by the month they were sent",
        "x": "Month",
        "y": "Quotes (count)",
        "labels": report["periods"],
        "stacked": True,
        "series": [
            _series(k, k.capitalize(), [c[k] for c in cells], stack="q")
            for k in ("accepted", "declined", "expired", "open")
        ],
    }


def downtime_chart(report: dict, period: str) -> dict:
    totals = report["totals"]
    return {
        "title": f"Rooms down by {period}, all rooms",
        "x": f"{period.capitalize()} beginning",
        "y": "Hours down",
        "labels": report["periods"],
        "stacked": True,
        "series": [
            _series("fault", "Room-down faults (h)", [c["fault"] for c in totals], stack="d"),
            _series(
                "maintenance", "Maintenance (h)", [c["maintenance"] for c in totals], stack="d"
            ),
        ],
    }


def _amount(value) -> str | None:
    return None if value is None else str(value)


def burn_chart(report: dict) -> dict:
    currency = report["currency"] or DEFAULT_CURRENCY
    production = report["production"]
    cells = report["cells"]
    return {
        "title": (
            f"Burn against budget: {production['title']}"
            if production
            else "Burn against budget: no production has a budget"
        ),
        "x": "Week beginning",
        "y": f"Amount ({currency}, net of VAT)",
        "labels": report["periods"],
        "stacked": False,
        "series": [
            _series("week", f"Cost that week ({currency})", [_amount(c["actual"]) for c in cells]),
            _series(
                "cumulative",
                f"Actual cost to date ({currency})",
                [_amount(c["cumulative"]) for c in cells],
                kind="line",
            ),
            _series(
                "budget",
                f"Budget ({currency})",
                [_amount(report["budget"]) for _ in cells],
                kind="line",
            ),
        ],
    }
