"""Rate resolution: most specific first, and the answer says which entry it used."""

import datetime
from decimal import Decimal

import pytest

from postdesk.billing import services
from postdesk.billing.rates import NoRate, resolve_rate
from postdesk.core.audit import SYSTEM

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 3, 2)


def resolve(resource, client):
    return resolve_rate(resource=resource, client=client, on=DAY, currency="GBP")


@pytest.fixture
def deal_card(client_company):
    card = services.create_rate_card(actor=SYSTEM, name="Northlight deal")
    services.set_client_deal(
        actor=SYSTEM, client=client_company, card=card, discount_percent=Decimal("5")
    )
    return card


def entry(card, **fields):
    return services.create_rate_entry(actor=SYSTEM, card=card, day=Decimal("1"), **fields)


def test_standard_kind_entry_prices_a_resource_nothing_else_matches(
    theatre, standard_card, client_company
):
    match = resolve(theatre, client_company)
    assert (match.entry.label, match.source) == ("Room", "standard kind")


def test_standard_skill_beats_standard_kind(theatre, standard_card, baselight, client_company):
    by_skill = entry(standard_card, skill=baselight)
    match = resolve(theatre, client_company)
    assert (match.entry, match.source) == (by_skill, "standard skill")


def test_standard_resource_beats_standard_skill(theatre, standard_card, baselight, client_company):
    entry(standard_card, skill=baselight)
    by_resource = entry(standard_card, resource=theatre)
    match = resolve(theatre, client_company)
    assert (match.entry, match.source) == (by_resource, "standard resource")


def test_client_skill_beats_standard_resource(
    theatre, standard_card, baselight, client_company, deal_card
):
    entry(standard_card, resource=theatre)
    client_skill = entry(deal_card, skill=baselight)
    match = resolve(theatre, client_company)
    assert (match.entry, match.source) == (client_skill, "client skill")


def test_client_resource_beats_everything(
    theatre, standard_card, baselight, client_company, deal_card
):
    entry(standard_card, resource=theatre)
    entry(deal_card, skill=baselight)
    client_resource = entry(deal_card, resource=theatre)
    match = resolve(theatre, client_company)
    assert (match.entry, match.source) == (client_resource, "client resource")
    assert match.describe()["card"] == "Northlight deal"


def test_client_card_is_not_used_for_another_client(
    theatre, standard_card, other_company, deal_card
):
    entry(deal_card, resource=theatre)
    assert resolve(theatre, other_company).source == "standard kind"


def test_client_card_without_a_match_falls_back_to_standard(
    theatre, standard_card, client_company, deal_card, suite
):
    entry(deal_card, resource=suite)
    assert resolve(theatre, client_company).source == "standard kind"


def test_a_card_valid_from_a_later_date_applies_only_from_then(
    theatre, standard_card, client_company
):
    later = services.create_rate_card(
        actor=SYSTEM, name="Standard", is_standard=True, valid_from=datetime.date(2026, 4, 1)
    )
    new_price = services.create_rate_entry(
        actor=SYSTEM, card=later, resource_kind="room", day=Decimal("1200")
    )
    before = resolve_rate(
        resource=theatre, client=client_company, on=datetime.date(2026, 3, 31), currency="GBP"
    )
    after = resolve_rate(
        resource=theatre, client=client_company, on=datetime.date(2026, 4, 1), currency="GBP"
    )
    assert before.entry.card == standard_card
    assert after.entry == new_price


def test_no_matching_entry_is_a_no_rate_error_naming_the_resource(theatre, client_company):
    with pytest.raises(NoRate) as excinfo:
        resolve(theatre, client_company)
    assert "Grading theatre 1" in excinfo.value.message


def test_cards_of_another_currency_do_not_apply(theatre, standard_card, client_company):
    with pytest.raises(NoRate):
        resolve_rate(resource=theatre, client=client_company, on=DAY, currency="EUR")


def test_an_entry_must_price_exactly_one_target(standard_card, theatre, baselight):
    from postdesk.billing.models import RateEntry
    from postdesk.core.errors import InvalidInput

    count = RateEntry.objects.count()
    with pytest.raises(InvalidInput):
        services.create_rate_entry(
            actor=SYSTEM, card=standard_card, resource=theatre, skill=baselight, day=Decimal(1)
        )
    assert RateEntry.objects.count() == count


def test_deal_discount_outside_0_100_is_refused(client_company):
    from postdesk.billing.models import ClientDeal
    from postdesk.core.errors import InvalidInput

    with pytest.raises(InvalidInput, match="Discount must be between 0 and 100"):
        services.set_client_deal(
            actor=SYSTEM, client=client_company, card=None, discount_percent=Decimal("101")
        )
    assert ClientDeal.objects.count() == 0


def test_a_skill_entry_for_one_kind_leaves_other_kinds_alone(
    theatre, colourist, standard_card, baselight, client_company
):
    room_grade = entry(standard_card, skill=baselight, resource_kind="room")
    assert resolve(theatre, client_company).entry == room_grade
    assert resolve(colourist, client_company).source == "standard kind"
