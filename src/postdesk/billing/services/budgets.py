"""Production budgets: one line per cost category, set all or none."""

from decimal import Decimal

from django.db import transaction

from postdesk.billing.models import BudgetLine, Category
from postdesk.core import crud
from postdesk.core.errors import InvalidInput
from postdesk.core.money import require_fits_column


def _budget_values(line: dict) -> dict:
    """One budget line's values, or a 422 before anything is written."""
    category, notes = line.get("category"), line.get("notes", "")
    if category not in Category.values:
        raise InvalidInput.field(
            "category", f"category must be one of {', '.join(Category.values)}"
        )
    try:
        amount = Decimal(line.get("amount"))
    except (TypeError, ArithmeticError, ValueError):
        raise InvalidInput.field("amount", "amount is a decimal number") from None
    if amount < 0:
        raise InvalidInput.field("amount", "A budget may not be negative")
    require_fits_column(amount, BudgetLine, "amount")
    if not isinstance(notes, str):
        raise InvalidInput.field("notes", "notes must be text")
    return {"category": category, "amount": amount, "notes": notes}


@transaction.atomic
def set_budget(*, production, lines: list[dict], actor) -> list[BudgetLine]:
    """Set the production's budget for each category in `lines` ({category, amount,
    notes}), all or none: every line is checked before the first is written, and the
    writes share one transaction, so a refusal leaves the budget as it was."""
    if len(lines) > len(Category.choices):
        raise InvalidInput.field(
            "budget", f"A budget has one line per category: at most {len(Category.choices)}"
        )
    values = [_budget_values(line) for line in lines]
    existing = {
        b.category: b
        for b in BudgetLine.objects.select_for_update().filter(
            production=production, category__in=[v["category"] for v in values]
        )
    }
    written = []
    for v in values:
        line = existing.get(v["category"])
        if line is None:
            line = crud.create(
                BudgetLine,
                actor=actor,
                production=production,
                currency=production.client.currency,
                **v,
            )
        else:
            line = crud.update(line, actor=actor, amount=v["amount"], notes=v["notes"])
        existing[v["category"]] = line
        written.append(line)
    return written


def set_budget_line(
    *, production, category: str, amount: Decimal, actor, notes: str = ""
) -> BudgetLine:
    """One category's budget (see set_budget)."""
    lines = [{"category": category, "amount": amount, "notes": notes}]
    return set_budget(production=production, lines=lines, actor=actor)[0]


def delete_budget_line(line: BudgetLine, *, actor) -> None:
    crud.delete(line, actor=actor)
