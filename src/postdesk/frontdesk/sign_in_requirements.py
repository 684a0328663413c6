"""What apps above the front desk require of a visitor signing in.

Coordination's preview screenings may require a signed NDA: the front desk (floor 5)
cannot import coordination (floor 6), so coordination registers a provider here from its
AppConfig.ready, and `sign_in` asks every provider once per sign-in. A provider is
`(booking, production id, now) -> [NdaRequirement, ...]`, read in one query; `booking`
and the production id are what the visitor signs in for (either may be None).
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class NdaRequirement:
    """An NDA the visitor must sign (their name typed, the box ticked) to come in."""

    reason: str  # why, to the visitor: "The screening of ... requires a signed NDA"
    text: str  # what they sign


Provider = Callable[[object | None, int | None, datetime.datetime], list[NdaRequirement]]

_providers: list[Provider] = []


def register(provider: Provider) -> None:
    """Add a provider (registering the same one again changes nothing)."""
    if provider not in _providers:
        _providers.append(provider)


def ndas_for(*, booking, production_id: int | None, now: datetime.datetime) -> list[NdaRequirement]:
    """Every registered provider's NDAs for this sign-in."""
    if booking is None and production_id is None:
        return []
    found: list[NdaRequirement] = []
    for provider in _providers:
        found.extend(provider(booking, production_id, now))
    return found
