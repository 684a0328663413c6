"""What coordination gives billing's cost report: the day rates agreed in crew deal memos,
as the actual cost of each person on the production (billing.crew_rates), and the
deliverables' costs, as a section of their own (billing.cost_sections)."""

from decimal import Decimal

from postdesk.billing import cost_sections, crew_rates
from postdesk.coordination.models import DealMemo, Deliverable

# A memo agrees a rate once accepted; offered or withdrawn ones agree nothing.
AGREED = (DealMemo.Status.ACCEPTED, DealMemo.Status.CONTRACTED)


def agreed_rates(production) -> dict[int, tuple[Decimal, str]]:
    """{person's resource id: (day rate, currency)} for the production, in one query; of
    several memos for one person, the latest start wins."""
    rows = (
        DealMemo.objects.filter(production=production, status__in=AGREED)
        .order_by("start", "id")
        .values_list("person_id", "day_rate", "currency")
    )
    return {person: (rate, currency) for person, rate, currency in rows}


def deliverable_costs(production) -> list[tuple[str, Decimal, str]]:
    """[(item, cost, currency)] of the production's costed deliverables, in list order."""
    return list(
        Deliverable.objects.filter(production=production, cost__isnull=False)
        .order_by("position", "id")
        .values_list("name", "cost", "cost_currency")
    )


def register_with_billing() -> None:
    crew_rates.register(agreed_rates)
    cost_sections.register("Deliverables", deliverable_costs)
