"""Money as people read it ("£9,500.00"): the one helper every page, PDF and list cell uses.

Amounts are formatted with Babel for the facility's locale (FacilitySettings.locale) and the
amount's own currency. Files for machines (CSV, XLSX, the API) keep plain decimals.
"""

from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from babel.core import Locale, UnknownLocaleError
from babel.numbers import format_currency

FALLBACK_LOCALE = "en_GB"

# Inside a request or a PDF the locale is read once and kept; outside, each call reads it.
_scope: ContextVar[dict | None] = ContextVar("money_locale_scope", default=None)


@contextmanager
def locale_scope(locale: str | None = None):
    """Read the facility's locale at most once for everything formatted inside (or use
    `locale`, when the caller has just read it)."""
    token = _scope.set({} if locale is None else {"locale": locale})
    try:
        yield
    finally:
        _scope.reset(token)


def facility_locale() -> str:
    scope = _scope.get()
    if scope is not None and "locale" in scope:
        return scope["locale"]
    from postdesk.core.facility import current

    locale = current().locale or FALLBACK_LOCALE
    if scope is not None:
        scope["locale"] = locale
    return locale


def is_known_locale(name: str) -> bool:
    try:
        Locale.parse(name)
    except (UnknownLocaleError, ValueError, TypeError):
        return False
    return True


def format_money(amount, currency: str, locale: str | None = None) -> str:
    """`amount` (a Decimal, or its string) in `currency`, as the locale writes money.
    Blank for no amount; anything that is not a number is shown as it is."""
    if amount is None or amount == "":
        return ""
    try:
        value = amount if isinstance(amount, Decimal) else Decimal(str(amount))
    except InvalidOperation:
        return str(amount)
    locale = locale or facility_locale()
    try:
        return format_currency(value, currency, locale=locale)
    except (UnknownLocaleError, ValueError):
        return format_currency(value, currency, locale=FALLBACK_LOCALE)


@dataclass(frozen=True)
class Money:
    """An amount for a table cell: shows formatted, and tells the table to right-align it."""

    amount: Decimal
    currency: str
    is_money = True

    def __str__(self) -> str:
        return format_money(self.amount, self.currency)
