"""A production's budget is set in one service call: every line is checked before the first
is written and the writes share one transaction, so a refusal half-way changes nothing."""

from decimal import Decimal

import pytest
from django.urls import reverse

from postdesk.billing import services
from postdesk.billing.models import BudgetLine, Category
from postdesk.core import crud
from postdesk.core.audit import SYSTEM
from postdesk.core.errors import InvalidInput
from postdesk.core.models import AuditEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def offline_budget(production):
    return services.set_budget_line(
        production=production, category="offline", amount=Decimal("5000"), actor=SYSTEM
    )


def _budget(production) -> dict:
    return {
        b.category: (b.amount, b.notes) for b in BudgetLine.objects.filter(production=production)
    }


def _budget_audit_count() -> int:
    return AuditEntry.objects.filter(object_type__endswith="budgetline").count()


def test_set_budget_writes_every_line_with_audit(production, offline_budget):
    audited = _budget_audit_count()
    written = services.set_budget(
        production=production,
        lines=[
            {"category": "offline", "amount": "6000", "notes": "two more weeks"},
            {"category": "grade", "amount": "800"},
        ],
        actor=SYSTEM,
    )
    assert [b.category for b in written] == ["offline", "grade"]
    assert _budget(production) == {
        "offline": (Decimal("6000.00"), "two more weeks"),
        "grade": (Decimal("800.00"), ""),
    }
    assert _budget_audit_count() == audited + 2


def test_an_invalid_third_line_leaves_the_budget_unchanged(production, offline_budget):
    before, audited = _budget(production), _budget_audit_count()
    with pytest.raises(InvalidInput) as caught:
        services.set_budget(
            production=production,
            lines=[
                {"category": "offline", "amount": "9999"},
                {"category": "grade", "amount": "800"},
                {"category": "mix", "amount": "-1"},
            ],
            actor=SYSTEM,
        )
    assert caught.value.details == {"fields": {"amount": ["A budget may not be negative"]}}
    assert _budget(production) == before
    assert _budget_audit_count() == audited


def test_a_write_failing_on_the_third_line_rolls_back_the_first_two(
    production, offline_budget, monkeypatch
):
    before, audited = _budget(production), _budget_audit_count()
    real_create, calls = crud.create, []

    def create_failing_third(*args, **kwargs):
        calls.append(kwargs["category"])
        if len(calls) == 2:  # the third line: the first is an update of "offline"
            raise InvalidInput.field("notes", "refused half-way")
        return real_create(*args, **kwargs)

    monkeypatch.setattr(crud, "create", create_failing_third)
    with pytest.raises(InvalidInput):
        services.set_budget(
            production=production,
            lines=[
                {"category": "offline", "amount": "9999"},
                {"category": "grade", "amount": "800"},
                {"category": "mix", "amount": "300"},
            ],
            actor=SYSTEM,
        )
    assert calls == ["grade", "mix"]
    assert _budget(production) == before
    assert _budget_audit_count() == audited


def test_api_put_of_more_lines_than_categories_changes_nothing(api_as, production, offline_budget):
    before = _budget(production)
    lines = [{"category": c, "amount": "1"} for c in Category.values]
    response = api_as("supervisor").put(
        f"productions/{production.pk}/budget", [*lines, {"category": "offline", "amount": "2"}]
    )
    assert response.status_code == 422
    assert list(response.json()["details"]["fields"]) == ["budget"]
    assert _budget(production) == before


def test_api_put_sets_every_line(api_as, production, offline_budget):
    response = api_as("supervisor").put(
        f"productions/{production.pk}/budget",
        [{"category": "offline", "amount": "9999"}, {"category": "grade", "amount": "800"}],
    )
    assert response.status_code == 200
    assert _budget(production) == {
        "offline": (Decimal("9999.00"), ""),
        "grade": (Decimal("800.00"), ""),
    }


def test_budget_page_form_goes_through_set_budget(page_as, production, offline_budget):
    url = reverse("billing:cost_report", args=[production.pk])
    response = page_as("supervisor").post(url, {"category": "offline", "amount": "7000"})
    assert response.status_code == 302
    assert _budget(production) == {"offline": (Decimal("7000.00"), "")}
