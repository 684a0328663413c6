"""The day rates agreed in crew deal memos, given to billing's cost report as the actual
cost of each person on the production (billing.crew_rates)."""

from decimal import Decimal

from postdesk.billing import crew_rates
from postdesk.coordination.models import DealMemo

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


def register_with_billing() -> None:
    crew_rates.register(agreed_rates)
