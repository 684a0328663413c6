"""Each report as CSV: one row per thing and period, the figures as the report has them."""

import csv
import io


def _csv(header: list[str], rows) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def utilisation_csv(report: dict) -> str:
    fields = ("working", "confirmed", "pencilled", "down", "utilisation")
    rows = (
        [
            row["label"],
            row["kind"],
            period,
            *(cell[f] if cell[f] is not None else "" for f in fields),
        ]
        for row in report["rows"]
        for period, cell in zip(report["periods"], row["cells"], strict=True)
    )
    header = [
        "name",
        "kind",
        "period",
        "working_hours",
        "confirmed_hours",
        "pencilled_hours",
        "down_hours",
        "utilisation",
    ]
    return _csv(header, rows)


def revenue_csv(report: dict) -> str:
    rows = (
        [
            row["label"],
            row["currency"],
            period,
            cell["invoiced"],
            cell["credited"],
            cell["outstanding"],
        ]
        for row in report["rows"]
        for period, cell in zip(report["periods"], row["cells"], strict=True)
    )
    return _csv(
        ["client", "currency", "month", "invoiced_net", "credited_net", "outstanding_gross"], rows
    )


def pencil_csv(report: dict) -> str:
    fields = ("confirmed", "released", "conversion", "median_hours_held", "mean_hours_held")
    rows = (
        [period, *("" if cell[f] is None else cell[f] for f in fields)]
        for period, cell in zip(report["periods"], report["cells"], strict=True)
    )
    return _csv(["month", *fields], rows)


def quote_csv(report: dict) -> str:
    fields = ("sent", "accepted", "declined", "expired", "open", "win_rate")
    rows = (
        [period, *("" if cell[f] is None else cell[f] for f in fields)]
        for period, cell in zip(report["periods"], report["cells"], strict=True)
    )
    return _csv(["month", *fields], rows)


def downtime_csv(report: dict) -> str:
    rows = (
        [row["label"], period, cell["fault"], cell["maintenance"], cell["total"]]
        for row in report["rows"]
        for period, cell in zip(report["periods"], row["cells"], strict=True)
    )
    return _csv(["room", "period", "fault_hours", "maintenance_hours", "down_hours"], rows)


def burn_csv(report: dict) -> str:
    production = report["production"] or {}
    rows = (
        [
            production.get("title", ""),
            report["currency"] or "",
            period,
            "" if cell["actual"] is None else cell["actual"],
            "" if cell["cumulative"] is None else cell["cumulative"],
            "" if report["budget"] is None else report["budget"],
            "" if cell["remaining"] is None else cell["remaining"],
        ]
        for period, cell in zip(report["periods"], report["cells"], strict=True)
    )
    header = [
        "production",
        "currency",
        "week",
        "actual_net",
        "cumulative_net",
        "budget",
        "remaining",
    ]
    return _csv(header, rows)
