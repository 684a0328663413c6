"""Costs that apps above billing add to a production's cost report, each as a section of
its own (coordination's deliverables).

Billing sits below those apps, so it cannot ask them: each registers a provider here at
start-up under its section's title, as crew_rates.py's providers do, and the cost report
asks every one. A provider is `(production) -> [(label, amount, currency)]`, read in one
query; the report converts each amount to the client's currency.
"""

from collections.abc import Callable
from decimal import Decimal

Line = tuple[str, Decimal, str]
Provider = Callable[[object], list[Line]]

_providers: dict[str, Provider] = {}


def register(title: str, provider: Provider) -> None:
    """Add the section `title` (registering the same provider again changes nothing; a
    second provider under one title is a programming error)."""
    known = _providers.get(title)
    if known is not None and known is not provider:
        raise ValueError(f"The cost report already has a section called {title!r}")
    _providers[title] = provider


def sections(production) -> list[tuple[str, list[Line]]]:
    """[(title, lines)] of every registered section, in title order."""
    return [(title, _providers[title](production)) for title in sorted(_providers)]
