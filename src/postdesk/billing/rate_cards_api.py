"""API of rate cards, their entries, rate resolution and client deals."""

from decimal import Decimal
from typing import Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Status

from postdesk.billing import lists, services
from postdesk.billing.models import (
    Category,
    RateCard,
    RateEntry,
    VatCode,
)
from postdesk.billing.rates import RateBook
from postdesk.billing.rates import standard_card_on as standard_card_on_date
from postdesk.billing.responses_api import (
    CardDetailOut,
    CardOut,
    DealOut,
    EntryOut,
    RateMatchOut,
    StandardCardOut,
)
from postdesk.billing.serialise import (
    card_out,
    entry_out,
)
from postdesk.billing.shared_api import (
    Currency,
    OptMoney,
    bad,
    staff_money,
    today,
)
from postdesk.core.apiutil import (
    Day,
    Id,
    InputSchema,
    ListQuery,
    Page,
    QuerySchema,
    changed_fields,
    get_scoped,
    paged,
    require,
    shown,
)
from postdesk.core.roles import (
    CHANGE_MONEY,
)

router = Router(tags=["billing"])


# --- rate cards ---------------------------------------------------------------------------


class CardIn(InputSchema):
    name: str = Field(..., min_length=1, max_length=120)
    is_standard: bool = False
    currency: Currency = "GBP"
    valid_from: Day | None = None
    notes: str = ""


class CardPatch(InputSchema):
    name: str | None = Field(None, min_length=1, max_length=120)
    is_standard: bool | None = None
    valid_from: Day | None = None
    notes: str | None = None


class EntryIn(InputSchema):
    resource: Id | None = None
    skill: Id | None = None
    resource_kind: Literal["", "room", "equipment", "person"] = ""
    service: str = Field("", max_length=120)
    label: str = Field("", max_length=120)
    unit: RateEntry.Unit = RateEntry.Unit.TIME
    hourly: Decimal | None = OptMoney
    half_day: Decimal | None = OptMoney
    day: Decimal | None = OptMoney
    unit_price: Decimal | None = OptMoney
    category: Category = Category.OTHER
    nominal_code: str = Field("", max_length=20)
    vat_code: VatCode = VatCode.STANDARD


class EntryPatch(InputSchema):
    label: str | None = Field(None, max_length=120)
    hourly: Decimal | None = OptMoney
    half_day: Decimal | None = OptMoney
    day: Decimal | None = OptMoney
    unit_price: Decimal | None = OptMoney
    category: Category | None = None
    nominal_code: str | None = Field(None, max_length=20)
    vat_code: VatCode | None = None


def _card(request, pk) -> RateCard:
    return get_scoped(request, RateCard.objects.all(), pk, None, "rate card")


def _entry_targets(data: dict) -> dict:
    from postdesk.scheduling.models import Resource, Skill

    if data.get("resource") is not None:
        data["resource"] = Resource.objects.filter(pk=data["resource"]).first() or bad(
            "resource", data["resource"]
        )
    if data.get("skill") is not None:
        data["skill"] = Skill.objects.filter(pk=data["skill"]).first() or bad(
            "skill", data["skill"]
        )
    return data


@router.get("/rate-cards", response=Page[CardOut])
def list_rate_cards(request: HttpRequest, query: Query[ListQuery]):
    staff_money(request)
    return shown(
        Page[CardOut], paged(lists.RATE_CARDS, RateCard.objects.all(), query, serialise=card_out)
    )


@router.post("/rate-cards", response={201: CardOut})
def create_rate_card(request: HttpRequest, payload: CardIn):
    require(request, CHANGE_MONEY)
    card = services.create_rate_card(actor=request.user, **payload.model_dump())
    return shown(CardOut, card_out(card), 201)


class ResolveQuery(QuerySchema):
    resource: Id
    client: Id | None = None
    on: Day | None = None
    currency: Currency = "GBP"


@router.get("/rate-cards/resolve", response=RateMatchOut)
def resolve_rate(request: HttpRequest, query: Query[ResolveQuery]):
    """Which entry prices `resource` for `client` on `on`, and from which level."""
    from postdesk.productions.models import Client
    from postdesk.scheduling.models import Resource

    staff_money(request)
    res = Resource.objects.filter(pk=query.resource).first() or bad("resource", query.resource)
    cli, currency = None, query.currency
    if query.client is not None:
        cli = Client.objects.filter(pk=query.client).first() or bad("client", query.client)
        currency = cli.currency
    match = RateBook(client=cli, currency=currency).resolve(res, query.on or today())
    return shown(RateMatchOut, match.describe())


class StandardQuery(QuerySchema):
    currency: Currency = "GBP"
    on: Day | None = None


@router.get("/rate-cards/standard", response=StandardCardOut)
def standard_card_on(request: HttpRequest, query: Query[StandardQuery]):
    """Which standard card applies on a date (default today), and which one replaces it."""
    staff_money(request)
    on = query.on or today()
    card, following = standard_card_on_date(query.currency, on)
    return shown(
        StandardCardOut,
        {
            "currency": query.currency,
            "on": on,
            "card": card_out(card) if card else None,
            "until": following.valid_from if following else None,
            "next": card_out(following) if following else None,
        },
    )


@router.get("/rate-cards/{card_id}", response=CardDetailOut)
def get_rate_card(request: HttpRequest, card_id: Id):
    staff_money(request)
    card = _card(request, card_id)
    return shown(
        CardDetailOut, {**card_out(card), "entries": [entry_out(e) for e in card.entries.all()]}
    )


@router.patch("/rate-cards/{card_id}", response=CardOut)
def update_rate_card(request: HttpRequest, card_id: Id, payload: CardPatch):
    require(request, CHANGE_MONEY)
    card = services.update_rate_card(
        _card(request, card_id), actor=request.user, **changed_fields(payload)
    )
    return shown(CardOut, card_out(card))


@router.delete("/rate-cards/{card_id}", response={204: None})
def delete_rate_card(request: HttpRequest, card_id: Id):
    """Only a card nothing depends on; a standard card, one a deal names or one that priced
    a document answers 409 with the reasons, and can be archived instead."""
    require(request, CHANGE_MONEY)
    services.delete_rate_card(_card(request, card_id), actor=request.user)
    return Status(204, None)


@router.post("/rate-cards/{card_id}/archive", response=CardOut)
def archive_rate_card(request: HttpRequest, card_id: Id):
    """The card stops pricing; it stays, with its entries, for the documents it priced."""
    require(request, CHANGE_MONEY)
    card = services.archive_rate_card(_card(request, card_id), actor=request.user)
    return shown(CardOut, card_out(card))


@router.post("/rate-cards/{card_id}/entries", response={201: EntryOut})
def create_rate_entry(request: HttpRequest, card_id: Id, payload: EntryIn):
    require(request, CHANGE_MONEY)
    card = _card(request, card_id)
    data = _entry_targets(payload.model_dump())
    return shown(
        EntryOut, entry_out(services.create_rate_entry(actor=request.user, card=card, **data)), 201
    )


@router.patch("/rate-entries/{entry_id}", response=EntryOut)
def update_rate_entry(request: HttpRequest, entry_id: Id, payload: EntryPatch):
    require(request, CHANGE_MONEY)
    entry = get_scoped(request, RateEntry.objects.all(), entry_id, None, "rate entry")
    entry = services.update_rate_entry(entry, actor=request.user, **changed_fields(payload))
    return shown(EntryOut, entry_out(entry))


@router.delete("/rate-entries/{entry_id}", response={204: None})
def delete_rate_entry(request: HttpRequest, entry_id: Id):
    require(request, CHANGE_MONEY)
    entry = get_scoped(request, RateEntry.objects.all(), entry_id, None, "rate entry")
    services.delete_rate_entry(entry, actor=request.user)
    return Status(204, None)


class DealIn(InputSchema):
    card: Id | None = None
    discount_percent: Decimal = Field(Decimal(0), ge=0, le=100, decimal_places=2)
    notes: str = ""


def _deal_out(client, deal) -> dict:
    return {
        "client": client.pk,
        "card": deal.card_id if deal else None,
        "discount_percent": Decimal(deal.discount_percent if deal else 0).quantize(Decimal("0.01")),
        "notes": deal.notes if deal else "",
    }


@router.get("/clients/{client_id}/deal", response=DealOut)
def get_client_deal(request: HttpRequest, client_id: Id):
    from postdesk.billing.models import ClientDeal
    from postdesk.productions.models import Client

    staff_money(request)
    client = get_scoped(request, Client.objects.all(), client_id, "pk", "client")
    return shown(DealOut, _deal_out(client, ClientDeal.objects.filter(client=client).first()))


@router.put("/clients/{client_id}/deal", response=DealOut)
def set_client_deal(request: HttpRequest, client_id: Id, payload: DealIn):
    from postdesk.productions.models import Client

    require(request, CHANGE_MONEY)
    client = get_scoped(request, Client.objects.all(), client_id, "pk", "client")
    card = _card(request, payload.card) if payload.card is not None else None
    deal = services.set_client_deal(
        actor=request.user,
        client=client,
        card=card,
        discount_percent=payload.discount_percent,
        notes=payload.notes,
    )
    return shown(DealOut, _deal_out(client, deal))
