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


def largest_amount(max_digits: int, decimal_places: int) -> Decimal:
    """The largest value a DecimalField(max_digits, decimal_places) holds: 999...9.99."""
    return Decimal(10) ** (max_digits - decimal_places) - Decimal(1).scaleb(-decimal_places)


def require_fits_column(value: Decimal, model, column: str, *, field: str | None = None):
    """`value` if it fits `model.column` (a DecimalField), else a 422 naming `field`.

    A result that does not fit is refused by PostgreSQL (a numeric overflow) and silently
    stored by SQLite; either way it is not a price anyone meant. Every money write checks
    its results here, after computing them and before saving them.
    """
    from postdesk.core.errors import InvalidInput

    target = model._meta.get_field(column)
    largest = largest_amount(target.max_digits, target.decimal_places)
    if not value.is_finite() or abs(value) > largest:
        name = field or column
        raise InvalidInput.field(
            name,
            f"{name} comes to {value}, more than the largest amount this system holds "
            f"({largest}); split it into smaller lines",
        )
    return value
