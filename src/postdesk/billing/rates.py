"""Which price applies: resolved in ONE place, most specific first.

  1. the client's card, entry for the resource itself
  2. the client's card, entry for one of its skills, else for its kind
  3. the standard card, entry for the resource
  4. the standard card, entry for one of its skills, else for its kind

The answer names the entry and the level it came from. A card applies on a date when its
`valid_from` is empty or not after that date; among several, the latest start wins.
Archived cards never apply.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q

from postdesk.billing.models import ClientDeal, RateCard, RateEntry
from postdesk.billing.pricing import TimeRate
from postdesk.core.errors import InvalidInput


class NoRate(InvalidInput):
    code = "no_rate"


@dataclass(frozen=True)
class RateMatch:
    entry: RateEntry
    source: str  # "client resource", "client skill", "client kind", "standard resource", ...

    @property
    def time_rate(self) -> TimeRate:
        return TimeRate(hourly=self.entry.hourly, half_day=self.entry.half_day, day=self.entry.day)

    def describe(self) -> dict:
        return {
            "entry": self.entry.pk,
            "card": self.entry.card.name,
            "source": self.source,
            "target": self.entry.target,
            "hourly": _str(self.entry.hourly),
            "half_day": _str(self.entry.half_day),
            "day": _str(self.entry.day),
        }


def _str(value):
    return None if value is None else str(value)


def _valid_card(cards, on: datetime.date):
    valid = [c for c in cards if c.valid_from is None or c.valid_from <= on]
    valid.sort(key=lambda c: (c.valid_from or datetime.date.min, c.pk), reverse=True)
    return valid[0] if valid else None


def _pick(entries: list[RateEntry], resource, skill_ids: set[int]):
    """(entry, level) on one card for a resource: itself, then a skill, then its kind."""
    for entry in entries:
        if entry.resource_id == resource.pk:
            return entry, "resource"
    by_skill = [
        e
        for e in entries
        if e.skill_id is not None
        and e.skill_id in skill_ids
        and e.resource_kind in ("", resource.kind)
    ]
    if by_skill:
        # Several skills priced: the resource sells at its most valuable one.
        return max(by_skill, key=lambda e: (e.day or e.hourly or Decimal(0), -e.pk)), "skill"
    for entry in entries:
        if entry.skill_id is None and entry.resource_kind == resource.kind:
            return entry, "kind"
    return None, ""


class RateBook:
    """Cards, entries and the client's deal loaded once, for pricing many lines."""

    def __init__(self, *, client, currency: str):
        self.client = client
        self.currency = currency
        self.deal = (
            ClientDeal.objects.select_related("card").filter(client=client).first()
            if client is not None
            else None
        )
        # Archived cards price nothing: a deal naming one falls back to the standard card.
        cards = list(
            RateCard.objects.filter(
                Q(is_standard=True) | Q(pk=getattr(self.deal, "card_id", None)),
                currency=currency,
                archived_at__isnull=True,
            )
        )
        self.standard_cards = [c for c in cards if c.is_standard]
        self.client_cards = [c for c in cards if self.deal and c.pk == self.deal.card_id]
        entries = (
            RateEntry.objects.filter(card__in=cards)
            .select_related("card")
            .order_by("card_id", "pk")
        )
        self.entries: dict[int, list[RateEntry]] = {}
        for entry in entries:
            self.entries.setdefault(entry.card_id, []).append(entry)
        self._skills: dict[int, set[int]] = {}

    @property
    def discount_percent(self) -> Decimal:
        return self.deal.discount_percent if self.deal else Decimal(0)

    def skills_of(self, resource) -> set[int]:
        if resource.pk not in self._skills:
            self._skills[resource.pk] = set(resource.skills.values_list("pk", flat=True))
        return self._skills[resource.pk]

    def preload_skills(self, resources) -> None:
        from postdesk.scheduling.models import Resource

        pairs = Resource.skills.through.objects.filter(
            resource_id__in=[r.pk for r in resources]
        ).values_list("resource_id", "skill_id")
        for resource in resources:
            self._skills.setdefault(resource.pk, set())
        for resource_id, skill_id in pairs:
            self._skills[resource_id].add(skill_id)

    def resolve(self, resource, on: datetime.date) -> RateMatch:
        """THE rate resolution: see the module docstring for the order."""
        skill_ids = self.skills_of(resource)
        for label, cards in (("client", self.client_cards), ("standard", self.standard_cards)):
            card = _valid_card(cards, on)
            if card is None:
                continue
            entry, level = _pick(self.entries.get(card.pk, []), resource, skill_ids)
            if entry is not None:
                return RateMatch(entry=entry, source=f"{label} {level}")
        raise NoRate(
            f"No {self.currency} rate for {resource.name} on {on:%d %b %Y}: add an entry for "
            f"it, one of its skills or its kind ({resource.kind}) to the standard card",
            details={"resource": resource.pk, "currency": self.currency},
        )

    def resolve_service(self, service: str, on: datetime.date) -> RateMatch:
        """A priced service or consumable (stock, courier): the client's card, then standard."""
        for label, cards in (("client", self.client_cards), ("standard", self.standard_cards)):
            card = _valid_card(cards, on)
            if card is None:
                continue
            for entry in self.entries.get(card.pk, []):
                if entry.service and entry.service.lower() == service.lower():
                    return RateMatch(entry=entry, source=f"{label} service")
        raise NoRate(f"No {self.currency} price for {service!r}", details={"service": service})


def standard_card_on(currency: str, on: datetime.date) -> tuple[RateCard | None, RateCard | None]:
    """(the standard card that applies on `on`, the one that replaces it next, if any)."""
    cards = list(
        RateCard.objects.filter(is_standard=True, currency=currency, archived_at__isnull=True)
    )
    current = _valid_card(cards, on)
    later = [c for c in cards if c.valid_from is not None and c.valid_from > on]
    return current, min(later, key=lambda c: c.valid_from, default=None)


def replaced_by(card: RateCard) -> RateCard | None:
    """The standard card that takes over from `card` (its validity ends the day before)."""
    if not card.is_standard or card.is_archived:
        return None
    later = RateCard.objects.filter(
        is_standard=True, currency=card.currency, archived_at__isnull=True
    ).exclude(pk=card.pk)
    if card.valid_from is not None:
        later = later.filter(valid_from__gt=card.valid_from)
    else:
        later = later.filter(valid_from__isnull=False)
    return later.order_by("valid_from").first()


def resolve_rate(*, resource, client, on: datetime.date, currency: str) -> RateMatch:
    """The entry that prices `resource` for `client` on `on`, and which level it came from."""
    return RateBook(client=client, currency=currency).resolve(resource, on)
