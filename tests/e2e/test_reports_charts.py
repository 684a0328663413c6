"""The reports page draws its six charts with Chart.js in a real browser, with no console
error and no failed request (the library is served from node_modules like htmx)."""

import pytest

from tests.reports.test_reports import diary  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_reports_page_draws_its_charts_without_console_errors(
    login,
    live_server,
    users,
    diary,  # noqa: F811 - the fixture imported above
    shot,
):
    page = login(users["bookings"])
    problems = []
    page.on("console", lambda msg: problems.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    page.on("requestfailed", lambda req: problems.append(f"failed {req.url}"))
    page.on(
        "response", lambda r: problems.append(f"{r.status} {r.url}") if r.status >= 400 else None
    )

    page.goto(f"{live_server.url}/reports/")
    page.select_option("select[name=group]", "resource")
    page.fill("input[name=start]", "2026-01-01")
    page.fill("input[name=months]", "4")
    page.click("#report-form button[type=submit]")
    page.wait_for_selector("canvas.report-chart[data-drawn]")
    page.wait_for_function(
        "document.querySelectorAll('canvas.report-chart[data-drawn]').length === 6"
    )

    drawn = page.eval_on_selector_all(
        "canvas.report-chart", "cs => cs.map(c => [c.dataset.chart, c.dataset.drawn, c.width > 0])"
    )
    assert drawn == [
        ["chart-utilisation", "4", True],
        ["chart-revenue", "3", True],
        ["chart-pencils", "2", True],
        ["chart-quotes", "4", True],
        ["chart-downtime", "2", True],
        ["chart-burn", "3", True],
    ]
    # Chart.js holds each chart: the utilisation chart's first bar is Suite A's 39 h etc.
    confirmed = page.evaluate(
        "Chart.getChart(document.querySelector('canvas[data-chart=chart-utilisation]'))"
        ".data.datasets[0].data"
    )
    assert confirmed == [39.0, 43.0, 20.0, 0.0]
    assert problems == []
    shot(page, "reports")
