"""The reports page, its query form submitted through the page, each report as CSV and
PNG, the JSON API, and who may open them."""

import csv
import io

import pytest
from django.urls import reverse
from PIL import Image

from tests.reports.test_downtime_burn import downtime_diary  # noqa: F401 - fixture
from tests.reports.test_reports import diary  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db

QUERY = {"start": "2026-01-01", "months": "4", "period": "month", "group": "resource", "kind": ""}


def test_the_page_draws_a_chart_per_report_for_the_submitted_query(page_as, diary):  # noqa: F811
    http = page_as("bookings")
    blank = http.get(reverse("reports:index"))
    assert blank.status_code == 200
    assert b'id="report-form"' in blank.content

    page = http.get(reverse("reports:index"), QUERY)

    assert page.status_code == 200
    names = [s["name"] for s in page.context["sections"]]
    assert names == ["utilisation", "revenue", "pencils", "quotes", "downtime", "burn"]
    for name in names:
        assert f'id="chart-{name}"'.encode() in page.content
        assert f'data-chart="chart-{name}"'.encode() in page.content
    assert b"vendor/chartjs/chart.umd.min.js" in page.content
    utilisation = page.context["sections"][0]["data"]
    assert [r["label"] for r in utilisation["rows"]] == ["Ana Editor", "Suite A", "Suite B"]


def test_a_bad_query_is_a_400_with_the_reason(page_as):
    page = page_as("bookings").get(reverse("reports:index"), {**QUERY, "months": "99"})
    assert page.status_code == 400
    assert b"Ensure this value is less than or equal to 36" in page.content
    csv_answer = page_as("bookings").get(
        reverse("reports:csv", args=["revenue"]), {"start": "1066-10-14"}
    )
    assert csv_answer.status_code == 400
    assert b"start" in csv_answer.content


def test_each_report_downloads_as_csv(page_as, diary):  # noqa: F811
    http = page_as("accounts")
    answer = http.get(reverse("reports:csv", args=["utilisation"]), QUERY)
    assert answer.status_code == 200
    assert answer["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(answer.content.decode())))
    assert rows[0] == [
        "name",
        "kind",
        "period",
        "working_hours",
        "confirmed_hours",
        "pencilled_hours",
        "down_hours",
        "utilisation",
    ]
    assert [
        "Suite A",
        "room",
        "2026-01-01",
        "220.0",
        "39.0",
        "0.0",
        "0.0",
        str(round(39 / 220, 4)),
    ] in rows
    assert len(rows) == 1 + 3 * 4
    for name in ("revenue", "pencils", "quotes", "downtime", "burn"):
        other = http.get(reverse("reports:csv", args=[name]), QUERY)
        assert other.status_code == 200
        assert len(list(csv.reader(io.StringIO(other.content.decode())))) >= 1


def test_each_report_draws_as_a_png(page_as, diary):  # noqa: F811
    http = page_as("supervisor")
    for name in ("utilisation", "revenue", "pencils", "quotes", "downtime", "burn"):
        answer = http.get(reverse("reports:png", args=[name]), QUERY)
        assert (answer.status_code, answer["Content-Type"]) == (200, "image/png")
        image = Image.open(io.BytesIO(answer.content))
        assert image.size == (1000, 500)


@pytest.mark.parametrize(
    "role", ["coordinator", "engineer", "runner", "reception", "library", "client"]
)
def test_roles_without_money_or_outside_may_not_open_reports(page_as, api_as, role):
    assert page_as(role).get(reverse("reports:index")).status_code == 403
    assert page_as(role).get(reverse("reports:csv", args=["revenue"])).status_code == 403
    assert api_as(role).get("reports/revenue").status_code == 403


def test_the_api_answers_each_report_as_json(api_as, diary):  # noqa: F811
    api = api_as("admin")
    answer = api.get("reports/utilisation", start="2026-01-01", months=4, group="kind")
    assert answer.status_code == 200
    body = answer.json()
    assert (body["report"], body["start"], body["months"]) == ("utilisation", "2026-01-01", 4)
    assert [r["key"] for r in body["data"]["rows"]] == ["person", "room"]
    assert body["chart"]["y"] == "Hours"
    assert api.get("reports/revenue", months=99).status_code == 422
    assert api.get("reports/planets").status_code == 422


def test_downtime_and_burn_submit_through_the_page_and_download(
    page_as,
    production,
    downtime_diary,  # noqa: F811
):
    http = page_as("accounts")
    query = {**QUERY, "months": "5", "production": str(production.pk)}

    page = http.get(reverse("reports:index"), query)

    assert page.status_code == 200
    sections = {s["name"]: s for s in page.context["sections"]}
    suite_b = sections["downtime"]["data"]["rows"][1]
    assert (suite_b["label"], suite_b["cells"][1]["maintenance"]) == ("Suite B", 28.0)
    assert sections["burn"]["data"]["production"]["title"] == production.title
    assert b'id="table-downtime"' in page.content and b'id="table-burn"' in page.content
    rows = list(
        csv.reader(
            io.StringIO(http.get(reverse("reports:csv", args=["downtime"]), query).content.decode())
        )
    )
    assert rows[0] == ["room", "period", "fault_hours", "maintenance_hours", "down_hours"]
    assert ["Suite B", "2026-02-01", "0.0", "28.0", "28.0"] in rows
    burn_rows = list(
        csv.reader(
            io.StringIO(http.get(reverse("reports:csv", args=["burn"]), query).content.decode())
        )
    )
    assert burn_rows[0][:3] == ["production", "currency", "week"]
    assert burn_rows[1][0] == production.title
    unknown = http.get(reverse("reports:index"), {**query, "production": "987654"})
    assert unknown.status_code == 400
    assert b"production" in unknown.content


def test_the_api_answers_downtime_and_burn(api_as, downtime_diary):  # noqa: F811
    api = api_as("admin")
    answer = api.get("reports/downtime", start="2026-01-01", months=5)
    assert answer.status_code == 200
    body = answer.json()
    assert body["chart"]["y"] == "Hours down"
    assert [r["label"] for r in body["data"]["rows"]] == ["Suite A", "Suite B"]
    burn = api.get("reports/burn", start="2026-02-01", months=1)
    assert burn.status_code == 200
    assert burn.json()["chart"]["x"] == "Week beginning"
    assert api.get("reports/burn", production=987654).status_code == 404
    assert api.get("reports/burn", production="x").status_code == 422
