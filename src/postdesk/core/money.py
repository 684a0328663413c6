"""Money: Decimal amounts with a currency, and the one rounding rule (DOMAIN rule 5)."""

from decimal import ROUND_HALF_UP, Decimal

# Minor units per ISO 4217 for the currencies a facility is likely to bill in.
MINOR_UNITS = {"GBP": 2, "EUR": 2, "USD": 2, "CAD": 2, "AUD": 2, "CHF": 2, "JPY": 0}
CURRENCIES = tuple(MINOR_UNITS)
DEFAULT_CURRENCY = "GBP"


def quantum(currency: str) -> Decimal:
    return Decimal(1).scaleb(-MINOR_UNITS.get(currency, 2))


def round_money(amount: Decimal, currency: str) -> Decimal:
    """Round half-up to the currency's minor unit. Called once per line, never on sums."""
    if not isinstance(amount, Decimal):
        raise TypeError("money must be Decimal, never float")
    return amount.quantize(quantum(currency), rounding=ROUND_HALF_UP)
