"""Cost report: budget vs quoted vs actual vs invoiced per category, to complete from the
booked work, pencils apart, freelancer margin; currencies never added as they are;
categories from the editable mapping."""

import datetime
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from postdesk.billing import categories, exchange, services
from postdesk.billing.reports import cost_report, cost_report_csv, cost_report_xlsx
from postdesk.core.audit import SYSTEM
from postdesk.productions import services as production_services
from postdesk.scheduling.models import Resource
from tests.billing.conftest import at

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def report_data(job, production, theatre, colourist, standard_card, make_booking, users):
    from postdesk.scheduling import services as scheduling

    services.set_budget_line(
        production=production, category="offline", amount=Decimal("5000"), actor=SYSTEM
    )
    services.set_budget_line(
        production=production, category="grade", amount=Decimal("800"), actor=SYSTEM
    )
    # Planned: two 10 h days in the theatre with the freelance colourist (crew rate 450/day).
    first = make_booking(
        job, [theatre, colourist], at("2026-03-02", "09:00"), at("2026-03-02", "19:00")
    )
    make_booking(job, [theatre], at("2026-03-03", "09:00"), at("2026-03-03", "19:00"))
    quote = services.send_quote(services.create_quote(job=job, actor=SYSTEM), actor=SYSTEM)
    services.respond_quote(quote, actor=users["client"], accept=True)
    # Actual: one day signed off and invoiced, then 100 credited.
    first = scheduling.complete_booking(first, actor=SYSTEM, now=first.end)
    sheet = services.create_job_sheet(booking=first, actor=SYSTEM)
    services.sign_job_sheet(sheet, actor=SYSTEM, party="operator", name="Ana")
    sheet = services.sign_job_sheet(sheet, actor=SYSTEM, party="client", name="Hannah")
    invoice = services.issue_invoice(
        services.create_invoice(job=job, sheets=[sheet], actor=SYSTEM),
        actor=SYSTEM,
        issue_date=datetime.date(2026, 3, 10),
    )
    services.create_credit_note(
        invoice=invoice,
        actor=SYSTEM,
        reason="Goodwill",
        lines=[{"invoice_line": invoice.lines.get(resource=theatre).pk, "net": "100"}],
    )
    return production


def test_cost_report_per_category_and_total(report_data):
    report = cost_report(report_data)
    rows = {r["category"]: r for r in report["categories"]}
    # The 3 March day is confirmed but on no job sheet yet: it is still to complete.
    assert rows["offline"] == {
        "category": "offline",
        "label": "Offline",
        "budget": D("5000.00"),
        "quoted": D("2000.00"),
        "actual": D("1000.00"),
        "invoiced": D("900.00"),
        "estimate_to_complete": D("1000.00"),
        "estimate_at_completion": D("2000.00"),
        "variance": D("3000.00"),
        "pencilled": D("0.00"),
    }
    assert rows["other"]["quoted"] == D("450.00")  # the colourist at the crew rate
    assert rows["grade"]["variance"] == D("800.00")
    assert report["total"]["quoted"] == D("2450.00")
    assert report["total"]["estimate_at_completion"] == D("2450.00")
    assert report["currency"] == "GBP"
    assert report["conversion"]["rates"] == []
    assert report["conversion"]["missing"] == []


def test_freelancers_appear_at_their_cost_rate_with_the_margin(report_data):
    report = cost_report(report_data)
    assert report["freelancers"] == [
        {
            "resource": report["freelancers"][0]["resource"],
            "name": "Ana Colourist",
            "category": "other",
            "days": D(1),
            "day_rate": D("400.00"),
            "currency": "GBP",
            "cost": D("400.00"),
            "cost_converted": D("400.00"),
            "agreed": False,  # no crew deal memo agrees another rate
        }
    ]
    assert report["freelance_cost"] == D("400.00")
    assert report["margin"] == D("2050.00")
    assert report["margin_percent"] == D("83.7")


def test_to_complete_prices_future_confirmed_work_and_lists_pencils_apart(
    job, production, theatre, standard_card, make_booking
):
    # Given a future confirmed day, a future pencil, and a released pencil (ignored).
    make_booking(job, [theatre], at("2099-03-02", "09:00"), at("2099-03-02", "19:00"))
    make_booking(job, [theatre], at("2099-03-03", "09:00"), at("2099-03-03", "14:00"), "pencil")
    make_booking(job, [theatre], at("2099-03-04", "09:00"), at("2099-03-04", "19:00"), "released")
    # When the report is made
    report = cost_report(production)
    offline = report["categories"][0]
    # Then the confirmed day (day rate 1000) is to complete, the half-day pencil (600) apart.
    assert (offline["estimate_to_complete"], offline["pencilled"]) == (D("1000.00"), D("600.00"))
    assert offline["estimate_at_completion"] == D("1000.00")
    assert report["total"]["pencilled"] == D("600.00")


def test_a_booking_without_a_rate_is_named_not_counted_as_nothing(
    job, production, theatre, standard_card, make_booking, site
):
    deck = Resource.objects.create(kind="equipment", name="HDCAM SR deck", site=site)
    booking = make_booking(job, [deck], at("2099-03-02", "09:00"), at("2099-03-02", "19:00"))
    report = cost_report(production)
    assert [u["booking"] for u in report["unpriced"]] == [booking.pk]
    assert "No GBP rate for HDCAM SR deck" in report["unpriced"][0]["message"]


# --- currencies ---------------------------------------------------------------------------


@pytest.fixture
def dollar_production(db, site, make_booking):
    """A US client billed in USD, graded by a freelancer paid in GBP (950 a day)."""
    client = production_services.create_client(
        actor=SYSTEM, name="Hollis & Grant", country="US", currency="USD"
    )
    production = production_services.create_production(
        actor=SYSTEM, client=client, title="Signal Fire", kind="feature"
    )
    job = production_services.create_job(actor=SYSTEM, production=production, description="DI")
    card = services.create_rate_card(
        actor=SYSTEM, name="Standard USD", is_standard=True, currency="USD"
    )
    services.create_rate_entry(
        actor=SYSTEM,
        card=card,
        resource_kind="person",
        hourly=D("200"),
        day=D("1900"),
        category="other",
    )
    grader = Resource.objects.create(
        kind="person",
        name="Ben Carter",
        site=site,
        employment="freelance",
        day_rate=D("950.00"),
        currency="GBP",
    )
    make_booking(job, [grader], at("2026-03-02", "09:00"), at("2026-03-02", "19:00"), "completed")
    make_booking(job, [grader], at("2026-03-03", "09:00"), at("2026-03-03", "19:00"), "completed")
    return production


def test_gbp_costs_are_never_subtracted_from_usd_revenue_without_a_rate(dollar_production):
    report = cost_report(dollar_production, rates_on=datetime.date(2026, 6, 1))
    assert report["currency"] == "USD"
    assert report["total"]["estimate_at_completion"] == D("3800.00")
    (freelancer,) = report["freelancers"]
    assert (freelancer["cost"], freelancer["currency"]) == (D("1900.00"), "GBP")
    assert freelancer["cost_converted"] is None
    assert report["freelance_cost"] is None
    assert report["margin"] is None  # not 3800 - 1900
    assert report["conversion"]["missing"] == [
        {
            "currency": "GBP",
            "to_currency": "USD",
            "text": "No GBP→USD rate in force on 01 Jun 2026: amounts in GBP are not converted",
        }
    ]


def test_the_rate_in_force_on_the_report_date_converts_and_is_shown(dollar_production):
    exchange.set_exchange_rate(
        actor=SYSTEM,
        currency="GBP",
        to_currency="USD",
        rate=D("1.20"),
        valid_from=datetime.date(2026, 1, 1),
        source="Bank rate",
    )
    exchange.set_exchange_rate(
        actor=SYSTEM,
        currency="GBP",
        to_currency="USD",
        rate=D("1.25"),
        valid_from=datetime.date(2026, 5, 1),
    )
    exchange.set_exchange_rate(
        actor=SYSTEM,
        currency="GBP",
        to_currency="USD",
        rate=D("9.99"),
        valid_from=datetime.date(2026, 7, 1),
    )
    report = cost_report(dollar_production, rates_on=datetime.date(2026, 6, 1))
    assert report["freelance_cost"] == D("2375.00")  # 1900 GBP × 1.25
    assert report["margin"] == D("1425.00")  # 3800 - 2375, both USD
    assert [r["text"] for r in report["conversion"]["rates"]] == [
        "1 GBP = 1.25 USD (from 01 May 2026)"
    ]
    earlier = cost_report(dollar_production, rates_on=datetime.date(2026, 2, 1))
    assert earlier["freelance_cost"] == D("2280.00")
    assert (
        earlier["conversion"]["rates"][0]["text"] == "1 GBP = 1.2 USD (from 01 Jan 2026, Bank rate)"
    )


def test_a_rate_kept_the_other_way_converts_by_its_inverse_and_says_so(dollar_production):
    exchange.set_exchange_rate(
        actor=SYSTEM,
        currency="USD",
        to_currency="GBP",
        rate=D("0.8"),
        valid_from=datetime.date(2026, 1, 1),
    )
    report = cost_report(dollar_production, rates_on=datetime.date(2026, 6, 1))
    assert report["freelance_cost"] == D("2375.00")  # 1900 × 1.25
    (rate,) = report["conversion"]["rates"]
    assert rate["inverted"] is True
    assert rate["text"] == "1 GBP = 1.25 USD (the inverse of the USD→GBP rate from 01 Jan 2026)"


def test_budget_lines_in_another_currency_are_converted_not_added(dollar_production):
    from postdesk.billing.models import BudgetLine

    line = services.set_budget_line(
        production=dollar_production, category="grade", amount=D("1000"), actor=SYSTEM
    )
    BudgetLine.objects.filter(pk=line.pk).update(currency="GBP")
    report = cost_report(dollar_production, rates_on=datetime.date(2026, 6, 1))
    assert report["total"]["budget"] is None
    exchange.set_exchange_rate(
        actor=SYSTEM,
        currency="GBP",
        to_currency="USD",
        rate=D("1.3"),
        valid_from=datetime.date(2026, 1, 1),
    )
    report = cost_report(dollar_production, rates_on=datetime.date(2026, 6, 1))
    assert report["total"]["budget"] == D("1300.00")


# --- categories ---------------------------------------------------------------------------


def test_a_colourist_lands_in_grade_through_the_mapping(report_data, baselight):
    categories.create_category_rule(
        actor=SYSTEM, skill=baselight, resource_kind="person", category="grade", rank=10
    )
    report = cost_report(report_data)
    rows = {r["category"]: r for r in report["categories"]}
    assert "other" not in rows
    assert (rows["grade"]["quoted"], rows["grade"]["actual"]) == (D("450.00"), D("450.00"))
    assert rows["grade"]["variance"] == D("350.00")  # 800 budget - 450
    assert report["freelancers"][0]["category"] == "grade"
    # The theatre (a room with the same skill) is not a person: it stays in Offline.
    assert rows["offline"]["quoted"] == D("2000.00")


def test_the_resources_own_rule_beats_its_skills_and_ranks_order_skills(
    report_data, baselight, colourist
):
    from postdesk.scheduling.models import Skill

    senior = Skill.objects.create(name="Senior colourist")
    colourist.skills.add(senior)
    categories.create_category_rule(actor=SYSTEM, skill=baselight, category="online", rank=50)
    categories.create_category_rule(actor=SYSTEM, skill=senior, category="grade", rank=10)
    rows = {r["category"]: r for r in cost_report(report_data)["categories"]}
    assert rows["grade"]["quoted"] == D("450.00")
    assert rows["online"]["quoted"] == D("2000.00")  # the theatre has Baselight too
    categories.create_category_rule(actor=SYSTEM, resource=colourist, category="mix")
    rows = {r["category"]: r for r in cost_report(report_data)["categories"]}
    assert rows["mix"]["quoted"] == D("450.00")


def test_a_kind_rule_covers_what_no_skill_rule_does(report_data):
    categories.create_category_rule(actor=SYSTEM, resource_kind="person", category="services")
    rows = {r["category"]: r for r in cost_report(report_data)["categories"]}
    assert rows["services"]["actual"] == D("450.00")


# --- files and bounds ---------------------------------------------------------------------


def test_csv_and_xlsx_carry_the_same_figures(report_data):
    report = cost_report(report_data)
    text = cost_report_csv(report)
    assert "Offline,5000.00,2000.00,1000.00,900.00,1000.00,2000.00,3000.00,0.00" in text
    assert "Ana Colourist,Other,1,400.00,GBP,400.00,400.00" in text
    assert "Margin after freelancers (GBP),,,,,,2050.00" in text
    sheet = load_workbook(io.BytesIO(cost_report_xlsx(report))).active
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert ["Offline", 5000, 2000, 1000, 900, 1000, 2000, 3000, 0] in rows


def test_files_show_the_rates_used_and_missing(dollar_production):
    report = cost_report(dollar_production, rates_on=datetime.date(2026, 6, 1))
    text = cost_report_csv(report)
    assert "No GBP→USD rate in force on 01 Jun 2026" in text
    assert "Freelancers at cost (USD),,,,,,no rate" in text
    exchange.set_exchange_rate(
        actor=SYSTEM,
        currency="GBP",
        to_currency="USD",
        rate=D("1.25"),
        valid_from=datetime.date(2026, 1, 1),
    )
    report = cost_report(dollar_production, rates_on=datetime.date(2026, 6, 1))
    sheet = load_workbook(io.BytesIO(cost_report_xlsx(report))).active
    cells = [c for row in sheet.iter_rows(values_only=True) for c in row if c is not None]
    assert "1 GBP = 1.25 USD (from 01 Jan 2026)" in cells
    assert 2375 in cells


def test_bounded_queries_whatever_the_data(
    report_data, job, theatre, make_booking, django_assert_max_num_queries
):
    for day in range(1, 20):
        make_booking(
            job, [theatre], at(f"2099-04-{day:02d}", "09:00"), at(f"2099-04-{day:02d}", "19:00")
        )
    with django_assert_max_num_queries(20):
        cost_report(report_data)


def test_the_api_report_names_rates_and_refuses_a_bad_date(api_as, dollar_production):
    url = f"productions/{dollar_production.pk}/cost-report"
    report = api_as("supervisor").get(url, rates_on="2026-06-01").json()
    assert report["margin"] is None
    assert report["conversion"]["missing"][0]["currency"] == "GBP"
    exchange.set_exchange_rate(
        actor=SYSTEM,
        currency="GBP",
        to_currency="USD",
        rate=D("1.25"),
        valid_from=datetime.date(2026, 1, 1),
    )
    report = api_as("supervisor").get(url, rates_on="2026-06-01").json()
    assert (report["freelance_cost"], report["margin"]) == ("2375.00", "1425.00")
    assert report["conversion"]["rates"][0]["rate"] == "1.250000"
    assert api_as("supervisor").get(url, rates_on="someday").status_code == 422
    assert api_as("supervisor").get(url, rates_on="1066-10-14").status_code == 422
