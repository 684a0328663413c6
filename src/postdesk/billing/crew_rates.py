"""Agreed crew rates that replace a freelancer's default day rate in the cost report.

Billing sits below the apps that agree those rates (coordination's deal memos), so it
cannot ask them: they register a provider here at start-up instead, and the cost report
asks every provider. A provider is `(production) -> {resource id: (day rate, currency)}`,
read in one query.
"""

from collections.abc import Callable
from decimal import Decimal

Provider = Callable[[object], dict[int, tuple[Decimal, str]]]

_providers: list[Provider] = []


def register(provider: Provider) -> None:
    """Add a provider (registering the same one again changes nothing)."""
    if provider not in _providers:
        _providers.append(provider)


def agreed_rates(production) -> dict[int, tuple[Decimal, str]]:
    """{resource id: (day rate, currency)} agreed for the production; later providers win."""
    rates: dict[int, tuple[Decimal, str]] = {}
    for provider in _providers:
        rates.update(provider(production))
    return rates
