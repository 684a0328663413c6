"""Exchange rates that accounts keep, and converting money with them.

Amounts in different currencies are never added as they are. A cost report converts each
amount into its own currency at the rate in force on the report's date (the latest
`valid_from` on or before it), names every rate it used, and where a pair has no rate
says so and leaves the figure out rather than guess. A rate kept one way also converts
the other way (1 / rate), and the report says it did.
"""

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.db.models import Q

from postdesk.billing.models import ExchangeRate
from postdesk.core import crud
from postdesk.core.errors import InvalidInput
from postdesk.core.money import CURRENCIES, round_money
from postdesk.core.roles import role_of
from postdesk.core.timeutil import require_date_in_window

# Who keeps the rates: accounts, and the administrator. Others read them on the reports.
RATE_KEEPERS = frozenset({"accounts", "admin"})
MAX_RATE = Decimal("1000000")
RATE_PLACES = Decimal("0.000001")


def may_keep_rates(user) -> bool:
    return role_of(user) in RATE_KEEPERS


@dataclass(frozen=True)
class RateUsed:
    """One conversion a report made: 1 `currency` = `rate` `to_currency`."""

    currency: str
    to_currency: str
    rate: Decimal
    valid_from: datetime.date
    source: str
    inverse_of: int | None  # the kept rate (id) this one inverts, if it was inverted
    rate_id: int

    def describe(self) -> str:
        kept = f"from {self.valid_from:%d %b %Y}"
        if self.inverse_of is not None:
            kept = f"the inverse of the {self.to_currency}→{self.currency} rate {kept}"
        source = f", {self.source}" if self.source else ""
        return f"1 {self.currency} = {self.rate.normalize():f} {self.to_currency} ({kept}{source})"

    def out(self) -> dict:
        return {
            "currency": self.currency,
            "to_currency": self.to_currency,
            "rate": self.rate,
            "valid_from": self.valid_from,
            "source": self.source,
            "inverted": self.inverse_of is not None,
            "rate_id": self.rate_id,
            "text": self.describe(),
        }


class Converter:
    """Rates into one currency, in force on one day, loaded in one query."""

    def __init__(self, to_currency: str, on: datetime.date):
        self.to_currency = to_currency
        self.on = on
        self.used: dict[str, RateUsed] = {}
        self.missing: set[str] = set()
        rows = ExchangeRate.objects.filter(
            Q(to_currency=to_currency) | Q(currency=to_currency), valid_from__lte=on
        ).order_by("-valid_from", "-pk")
        self._direct: dict[str, ExchangeRate] = {}
        self._inverse: dict[str, ExchangeRate] = {}
        for row in rows:
            if row.to_currency == to_currency:
                self._direct.setdefault(row.currency, row)
            else:
                self._inverse.setdefault(row.to_currency, row)

    def rate_for(self, currency: str) -> RateUsed | None:
        """The rate from `currency` into the report's currency, or None (and noted)."""
        if currency in self.used:
            return self.used[currency]
        row = self._direct.get(currency)
        if row is not None:
            found = RateUsed(
                currency, self.to_currency, row.rate, row.valid_from, row.source, None, row.pk
            )
        elif currency in self._inverse:
            row = self._inverse[currency]
            rate = (Decimal(1) / row.rate).quantize(RATE_PLACES, rounding=ROUND_HALF_UP)
            found = RateUsed(
                currency, self.to_currency, rate, row.valid_from, row.source, row.pk, row.pk
            )
        else:
            self.missing.add(currency)
            return None
        self.used[currency] = found
        return found

    def convert(self, amount: Decimal, currency: str) -> Decimal | None:
        """`amount` in the report's currency, rounded once; None when no rate is kept."""
        if currency == self.to_currency:
            return amount
        rate = self.rate_for(currency)
        if rate is None:
            return None
        return round_money(amount * rate.rate, self.to_currency)

    def total(self, amounts: dict[str, Decimal]) -> Decimal | None:
        """The sum of {currency: amount} in the report's currency; None if any part cannot
        be converted (a partial sum would read as the whole)."""
        total = Decimal("0.00")
        for currency, amount in sorted(amounts.items()):
            converted = self.convert(amount, currency)
            if converted is None:
                return None
            total += converted
        return total

    def missing_pairs(self) -> list[dict]:
        return [
            {
                "currency": currency,
                "to_currency": self.to_currency,
                "text": f"No {currency}→{self.to_currency} rate in force on "
                f"{self.on:%d %b %Y}: amounts in {currency} are not converted",
            }
            for currency in sorted(self.missing)
        ]


# --- writes -------------------------------------------------------------------------------


def _check(currency: str, to_currency: str, rate: Decimal, valid_from: datetime.date) -> Decimal:
    for name, value in (("currency", currency), ("to_currency", to_currency)):
        if value not in CURRENCIES:
            raise InvalidInput.field(name, f"{value!r} is not a currency this system bills in")
    if currency == to_currency:
        raise InvalidInput.field("to_currency", "A rate converts between two currencies")
    rate = Decimal(rate)
    if not rate.is_finite() or rate <= 0 or rate >= MAX_RATE:
        raise InvalidInput.field("rate", f"A rate is more than 0 and less than {MAX_RATE}")
    if rate != rate.quantize(RATE_PLACES):
        raise InvalidInput.field("rate", "A rate has at most 6 decimal places")
    require_date_in_window(valid_from, "valid_from")
    # As stored (six places), so the audit and the API read the same value as the database.
    return rate.quantize(RATE_PLACES)


@transaction.atomic
def set_exchange_rate(
    *,
    actor,
    currency: str,
    to_currency: str,
    rate: Decimal,
    valid_from: datetime.date,
    source: str = "",
) -> ExchangeRate:
    """The rate of a pair from a day on: a new row, or a correction of that day's row
    (the audit keeps what it was)."""
    rate = _check(currency, to_currency, rate, valid_from)
    existing = (
        ExchangeRate.objects.select_for_update()
        .filter(currency=currency, to_currency=to_currency, valid_from=valid_from)
        .first()
    )
    if existing is not None:
        return crud.update(existing, actor=actor, rate=rate, source=source)
    user = actor if hasattr(actor, "_meta") else None
    return crud.create(
        ExchangeRate,
        actor=actor,
        currency=currency,
        to_currency=to_currency,
        rate=rate,
        valid_from=valid_from,
        source=source,
        created_by=user,
        summary=f"Exchange rate 1 {currency} = {rate} {to_currency} from {valid_from}",
    )


@transaction.atomic
def delete_exchange_rate(rate: ExchangeRate, *, actor) -> None:
    crud.delete(rate, actor=actor, summary=f"Exchange rate {rate} deleted")


def rate_out(rate: ExchangeRate) -> dict:
    return {
        "id": rate.pk,
        "currency": rate.currency,
        "to_currency": rate.to_currency,
        "rate": rate.rate,
        "valid_from": rate.valid_from,
        "source": rate.source,
        "created_by": rate.created_by.get_username() if rate.created_by_id else None,
        "created_at": rate.created_at,
    }
