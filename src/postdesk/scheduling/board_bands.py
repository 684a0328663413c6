"""Bands that apps above scheduling draw across the top of the board, above its rows.

Coordination's milestones are one: scheduling cannot import coordination (it is on a
higher floor), so coordination registers a provider here, from its AppConfig.ready, and
the board asks every provider once per request (the full read and the poll alike, so
the ETag changes when a band does).

A provider is `(productions, first day, last day) -> [item, ...]`, read in one query:
`productions` is a subquery of the ids of the productions whose bookings the board
shows, the days are the window's in the facility's zone (both included). An item is a
plain dict for the JSON: "key" (unique on the board), "kind", "production",
"production_title", "label", "date" (ISO), "flag" ("" or a word such as "slipped") and
"detail" (a sentence for the tooltip).
"""

import datetime
from collections.abc import Callable

Provider = Callable[[object, datetime.date, datetime.date], list[dict]]

_providers: list[Provider] = []


def register(provider: Provider) -> None:
    if provider not in _providers:
        _providers.append(provider)


def bands(productions, first: datetime.date, last: datetime.date) -> list[dict]:
    """Every registered provider's items for the window, by date."""
    items: list[dict] = []
    for provider in _providers:
        items.extend(provider(productions, first, last))
    items.sort(key=lambda item: (item["date"], item["key"]))
    return items


def fingerprint(items: list[dict]) -> tuple:
    """What of the band the board's ETag covers: every item's whole content."""
    return tuple(tuple(sorted(item.items())) for item in items)
