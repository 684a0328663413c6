"""Notices that apps above scheduling pin to a resource's row on the board.

Engineering's "room down" banner is one: scheduling cannot import engineering (it is on a
higher floor), so engineering registers a provider here, from its AppConfig.ready, and the
board asks every provider for the resources it draws, once per request.
"""

from collections.abc import Callable, Iterable

# (resource ids) -> {resource id: [notice text, ...]}
Provider = Callable[[list[int]], dict[int, list[str]]]

_providers: list[Provider] = []


def register(provider: Provider) -> None:
    if provider not in _providers:
        _providers.append(provider)


def notices(resource_ids: Iterable[int]) -> dict[int, list[str]]:
    """Every registered provider's notices for these resources, merged."""
    ids = list(resource_ids)
    merged: dict[int, list[str]] = {}
    if not ids:
        return merged
    for provider in _providers:
        for pk, texts in provider(ids).items():
            merged.setdefault(pk, []).extend(texts)
    return merged
