"""The billing demo loads on top of the earlier demos, with or without bookings."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from postdesk.billing import demo
from postdesk.billing.models import (
    BudgetLine,
    ClientDeal,
    CreditNote,
    Invoice,
    JobSheet,
    Payment,
    Quote,
    RateCard,
)
from postdesk.core import demo_data
from postdesk.core.audit import SYSTEM
from postdesk.productions import demo as productions_demo
from postdesk.scheduling.models import Resource, Skill

pytestmark = pytest.mark.django_db


@pytest.fixture
def facility(db):
    demo_data.load()
    productions_demo.load()


def _book(job, resources, start, hours, status):
    from postdesk.scheduling import services as scheduling

    end = start + datetime.timedelta(hours=hours)
    booking = scheduling.create_booking(
        job=job,
        resources=resources,
        start=start,
        end=end,
        status="confirmed" if status == "completed" else status,
        actor=SYSTEM,
    )
    if status == "completed":
        scheduling.complete_booking(booking, actor=SYSTEM)


@pytest.fixture
def bookings(facility):
    from postdesk.core.models import Site
    from postdesk.productions.models import Job

    site = Site.objects.get(code="soho")
    baselight = Skill.objects.create(name="Baselight")
    grade = Resource.objects.create(kind="room", name="Grading Theatre 1", site=site)
    grade.skills.add(baselight)
    screening = Resource.objects.create(kind="room", name="Screening Room", site=site)
    colourist = Resource.objects.create(
        kind="person", name="Freelance colourist", site=site, employment="freelance", day_rate=400
    )
    jobs = list(Job.objects.filter(client__currency="GBP").order_by("number"))
    monday = timezone.localdate() - datetime.timedelta(days=14)
    for i, job in enumerate(jobs[:5]):
        start = datetime.datetime.combine(
            monday + datetime.timedelta(days=i), datetime.time(9), tzinfo=datetime.UTC
        )
        _book(job, [grade, colourist], start, 10, "completed")
        _book(job, [screening], start + datetime.timedelta(days=21), 4, "confirmed")
        _book(job, [grade], start + datetime.timedelta(days=28), 10, "pencil")


def test_demo_with_bookings_fills_every_billing_page(bookings):
    summary = demo.load()
    assert RateCard.objects.filter(is_standard=True, currency="GBP").count() == 1
    assert ClientDeal.objects.get().client.name == "Northlight Pictures"
    assert Quote.objects.filter(status="accepted", version=2).count() == 1
    assert Quote.objects.filter(status="declined", version=1).count() == 1
    awaiting = Quote.objects.filter(status="draft", approved_at__isnull=True)
    assert any(q.needs_approval for q in awaiting)
    assert JobSheet.objects.filter(status__in=["signed_off", "invoiced"]).count() == 5
    assert Invoice.objects.filter(status="issued").count() == 4
    assert Payment.objects.count() == 2
    assert CreditNote.objects.count() == 1
    assert BudgetLine.objects.exists()
    assert "4 invoices issued" in summary


def test_demo_without_bookings_still_makes_cards_budgets_and_quotes(facility):
    from postdesk.productions.models import Production

    demo.load()
    assert RateCard.objects.filter(is_standard=True).exists()
    # Each production's first job is estimated and accepted; the budget is sized to it.
    productions = Production.objects.count()
    assert Quote.objects.filter(status="accepted").count() == productions
    assert Quote.objects.filter(status="accepted", version=2).count() == 1
    assert set(BudgetLine.objects.values_list("production", flat=True)) == set(
        Production.objects.values_list("pk", flat=True)
    )
    assert Invoice.objects.count() == 0


def test_the_whole_demo_has_money_a_supervisor_would_recognise(db):
    """Every production: quoted, a budget sized to its work (not one figure for all), and a
    positive margin after freelancers, in its client's currency with the rates shown."""
    from postdesk.billing.reports import cost_report
    from postdesk.core.demo import load_demo
    from postdesk.productions.models import Production

    load_demo()

    budgets = set()
    for production in Production.objects.select_related("client"):
        report = cost_report(production)
        total = report["total"]
        assert total["quoted"] > 0, production.title
        assert Decimal("1.0") <= total["budget"] / total["quoted"] <= Decimal("1.5"), (
            production.title
        )
        assert report["margin"] > 0, production.title
        assert Decimal("50") <= report["margin_percent"] <= Decimal("95"), production.title
        assert report["conversion"]["missing"] == [], production.title
        assert report["unpriced"] == [], production.title
        for freelancer in report["freelancers"]:
            assert freelancer["cost_converted"] is not None
        budgets.add(total["budget"])
    assert len(budgets) == Production.objects.count()  # each sized to its own work
    signal_fire = Production.objects.get(title="Signal Fire")
    report = cost_report(signal_fire)
    assert report["currency"] == "USD"
    assert [r["currency"] for r in report["conversion"]["rates"]] == ["GBP"]
    # Its freelance colourists land in Grade, not Other.
    graders = [f for f in report["freelancers"] if f["name"] in ("Marcus Webb", "Ben Carter")]
    assert all(f["category"] == "grade" for f in graders)
    assert "demo:postdesk.billing: already loaded" in load_demo()
