"""Cost report: budget vs quoted vs actual vs invoiced per category, and freelancer margin."""

import datetime
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from postdesk.billing import services
from postdesk.billing.reports import cost_report, cost_report_csv, cost_report_xlsx
from tests.billing.conftest import at

pytestmark = pytest.mark.django_db


@pytest.fixture
def report_data(job, production, theatre, colourist, standard_card, make_booking):
    from postdesk.scheduling import services as scheduling

    services.set_budget_line(
        production=production, category="offline", amount=Decimal("5000"), actor="test"
    )
    services.set_budget_line(
        production=production, category="grade", amount=Decimal("800"), actor="test"
    )
    # Planned: two 10 h days in the theatre with the freelance colourist (crew rate 450/day).
    first = make_booking(
        job, [theatre, colourist], at("2026-03-02", "09:00"), at("2026-03-02", "19:00")
    )
    make_booking(job, [theatre], at("2026-03-03", "09:00"), at("2026-03-03", "19:00"))
    quote = services.send_quote(services.create_quote(job=job, actor="test"), actor="test")
    services.respond_quote(quote, actor="client", accept=True)
    # Actual: one day signed off and invoiced, then 100 credited.
    first = scheduling.complete_booking(first, actor="test", now=first.end)
    sheet = services.create_job_sheet(booking=first, actor="test")
    services.sign_job_sheet(sheet, actor="test", party="operator", name="Ana")
    sheet = services.sign_job_sheet(sheet, actor="test", party="client", name="Hannah")
    invoice = services.issue_invoice(
        services.create_invoice(job=job, sheets=[sheet], actor="test"),
        actor="test",
        issue_date=datetime.date(2026, 3, 10),
    )
    services.create_credit_note(
        invoice=invoice,
        actor="test",
        reason="Goodwill",
        lines=[{"invoice_line": invoice.lines.get(resource=theatre).pk, "net": "100"}],
    )
    return production


def test_cost_report_per_category_and_total(report_data):
    report = cost_report(report_data)
    rows = {r["category"]: r for r in report["categories"]}
    assert rows["offline"] == {
        "category": "offline",
        "label": "Offline",
        "budget": Decimal("5000.00"),
        "quoted": Decimal("2000.00"),
        "actual": Decimal("1000.00"),
        "invoiced": Decimal("900.00"),
        "estimate_to_complete": Decimal("1000.00"),
        "estimate_at_completion": Decimal("2000.00"),
        "variance": Decimal("3000.00"),
    }
    assert rows["other"]["quoted"] == Decimal("450.00")  # the colourist at the crew rate
    assert rows["grade"]["variance"] == Decimal("800.00")
    assert report["total"]["quoted"] == Decimal("2450.00")
    assert report["total"]["estimate_at_completion"] == Decimal("2450.00")


def test_freelancers_appear_at_their_cost_rate_with_the_margin(report_data):
    report = cost_report(report_data)
    assert report["freelancers"] == [
        {
            "resource": report["freelancers"][0]["resource"],
            "name": "Ana Colourist",
            "days": Decimal(1),
            "day_rate": Decimal("400.00"),
            "currency": "GBP",
            "cost": Decimal("400.00"),
        }
    ]
    assert report["margin"] == Decimal("2050.00")


def test_csv_and_xlsx_carry_the_same_figures(report_data):
    report = cost_report(report_data)
    text = cost_report_csv(report)
    assert "Offline,5000.00,2000.00,1000.00,900.00,1000.00,2000.00,3000.00" in text
    assert "Ana Colourist,1,400.00,400.00" in text
    sheet = load_workbook(io.BytesIO(cost_report_xlsx(report))).active
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert ["Offline", 5000, 2000, 1000, 900, 1000, 2000, 3000] in rows


def test_bounded_queries_whatever_the_data(report_data, django_assert_max_num_queries):
    with django_assert_max_num_queries(10):
        cost_report(report_data)
