"""Rate cards, their entries and client deals: what billing prices work from."""

from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from postdesk.billing.models import (
    ClientDeal,
    InvoiceLine,
    JobSheetLine,
    QuoteLine,
    RateCard,
    RateEntry,
)
from postdesk.billing.services.records import _insert_entries, _transition
from postdesk.core import audit, crud
from postdesk.core.errors import Conflict, InvalidInput, InvalidTransition
from postdesk.core.models import AuditEntry
from postdesk.core.money import DEFAULT_CURRENCY
from postdesk.core.timeutil import require_date_in_window


@transaction.atomic
def create_rate_card(*, actor, **fields) -> RateCard:
    if fields.get("valid_from") is not None:
        require_date_in_window(fields["valid_from"], "valid_from")
    _require_one_standard_per_date(
        is_standard=fields.get("is_standard", False),
        currency=fields.get("currency", DEFAULT_CURRENCY),
        valid_from=fields.get("valid_from"),
    )
    return crud.create(RateCard, actor=actor, **fields)


@transaction.atomic
def update_rate_card(card: RateCard, *, actor, **changes) -> RateCard:
    card = _live_card(card)
    if changes.get("valid_from") is not None:
        require_date_in_window(changes["valid_from"], "valid_from")
    merged = {k: changes.get(k, getattr(card, k)) for k in ("is_standard", "valid_from")}
    _require_one_standard_per_date(currency=card.currency, exclude=card.pk, **merged)
    return crud.update(card, actor=actor, **changes)


def _require_one_standard_per_date(
    *, is_standard: bool, currency: str, valid_from, exclude: int | None = None
) -> None:
    """A second standard card from the same date (or a second without one) would replace
    the whole standard price list unseen: refuse it, naming the card in force."""
    if not is_standard:
        return
    clash = (
        RateCard.objects.select_for_update()
        .filter(is_standard=True, currency=currency, archived_at__isnull=True)
        .filter(valid_from=valid_from)
        .exclude(pk=exclude)
        .first()
    )
    if clash is None:
        return
    since = f"from {valid_from:%d %b %Y}" if valid_from else "without a start date"
    raise InvalidInput(
        f"{clash.name} is already the standard {currency} card {since}. Give this card the "
        "date it takes over (valid_from), or archive the other card first",
        details={
            "fields": {"valid_from": [f"A standard {currency} card {since} exists already"]},
            "card": clash.pk,
        },
        code="standard_card_exists",
    )


def _live_card(card: RateCard) -> RateCard:
    card = RateCard.objects.select_for_update().get(pk=card.pk)
    if card.is_archived:
        raise InvalidTransition(f"Rate card {card.name} is archived and can no longer change")
    return card


def _entry_values(card: RateCard) -> list[dict]:
    """What the audit keeps of a card's prices when the card goes or stops applying."""
    return [audit.snapshot(entry) for entry in card.entries.order_by("pk")]


def rate_card_uses(card: RateCard) -> list[str]:
    """Why a card may not be deleted (empty: nothing depends on it)."""
    reasons = []
    if card.is_standard:
        reasons.append("it is a standard card")
    deals = ClientDeal.objects.filter(card=card).count()
    if deals:
        reasons.append(f"{deals} client deal{'s name' if deals != 1 else ' names'} it")
    entry_ids = list(card.entries.values_list("pk", flat=True))
    if entry_ids:
        for model, what in (
            (QuoteLine, "quote"),
            (JobSheetLine, "job sheet"),
            (InvoiceLine, "invoice"),
        ):
            # Lines keep the entry that priced them in their breakdown (lines.booking_lines).
            if model.objects.filter(breakdown__rate__entry__in=entry_ids).exists():
                reasons.append(f"{what} lines were priced from it")
    return reasons


@transaction.atomic
def delete_rate_card(card: RateCard, *, actor) -> None:
    """Only a card nothing depends on can go; the others are archived instead."""
    card = RateCard.objects.select_for_update().get(pk=card.pk)
    reasons = rate_card_uses(card)
    if reasons:
        raise Conflict(
            f"Rate card {card.name} cannot be deleted: {'; '.join(reasons)}. Archive it instead",
            details={"reasons": reasons},
            code="rate_card_in_use",
        )
    before = audit.snapshot(card)
    entries = list(card.entries.order_by("pk"))
    values = [audit.snapshot(entry) for entry in entries]
    card.delete()
    audit.record(
        actor,
        card,
        AuditEntry.Action.DELETE,
        {**audit.diff(before, {}), "entries": [values, None]},
        f"Rate card {before['name']} deleted with its {len(values)} entries",
        object_id=before["id"],
    )
    _insert_entries(
        [
            audit.entry(
                actor, entry, AuditEntry.Action.DELETE, audit.diff(value, {}), object_id=value["id"]
            )
            for entry, value in zip(entries, values, strict=True)
        ]
    )


@transaction.atomic
def archive_rate_card(card: RateCard, *, actor) -> RateCard:
    """The card stops pricing (quotes, job sheets and free lines fall back to the standard
    card); its entries stay, for the documents priced from them."""
    card = _live_card(card)
    values = _entry_values(card)
    before = audit.snapshot(card, ["archived_at"])
    card.archived_at = timezone.now()
    card.save(update_fields=["archived_at"])
    _transition(actor, card, "archive", {"entries": [values, values]}, before=before)
    return card


@transaction.atomic
def create_rate_entry(*, actor, card: RateCard, **fields) -> RateEntry:
    card = _live_card(card)
    _check_entry(fields)
    return crud.create(RateEntry, actor=actor, card=card, **fields)


@transaction.atomic
def update_rate_entry(entry: RateEntry, *, actor, **changes) -> RateEntry:
    _live_card(entry.card)
    merged = {k: getattr(entry, k) for k in ("resource", "skill", "resource_kind", "service")}
    merged.update({k: v for k, v in changes.items() if k in merged})
    _check_entry(merged)
    return crud.update(entry, actor=actor, **changes)


@transaction.atomic
def delete_rate_entry(entry: RateEntry, *, actor) -> None:
    _live_card(entry.card)
    crud.delete(entry, actor=actor)


def _check_entry(fields: dict) -> None:
    targets = [k for k in ("resource", "skill", "resource_kind", "service") if fields.get(k)]
    if targets == ["skill", "resource_kind"]:
        return  # a skill on one kind of resource: "Baselight" rooms, not Baselight people
    if len(targets) != 1:
        raise InvalidInput.field(
            "resource",
            "An entry prices exactly one of: a resource, a skill (optionally of "
            "one kind), a kind, a service",
        )


@transaction.atomic
def set_client_deal(
    *, actor, client, card: RateCard | None, discount_percent: Decimal, notes: str = ""
) -> ClientDeal:
    if not Decimal(0) <= Decimal(discount_percent) <= Decimal(100):
        raise InvalidInput.field("discount_percent", "Discount must be between 0 and 100")
    if card is not None:
        card = RateCard.objects.select_for_update().get(pk=card.pk)
    if card is not None and card.is_archived:
        raise InvalidInput.field("card", f"Rate card {card.name} is archived")
    if card is not None and card.currency != client.currency:
        raise InvalidInput.field("card", f"{client.name} is billed in {client.currency}")
    deal = ClientDeal.objects.filter(client=client).first()
    if deal is None:
        return crud.create(
            ClientDeal,
            actor=actor,
            client=client,
            card=card,
            discount_percent=discount_percent,
            notes=notes,
        )
    return crud.update(deal, actor=actor, card=card, discount_percent=discount_percent, notes=notes)
