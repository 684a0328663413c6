"""Rate cards (issue 10): one DELETE may no longer wipe the price list. Cards that matter are
archived instead, the audit keeps their prices, and a second standard card must say from
when it applies."""

import datetime
from decimal import Decimal

import pytest

from postdesk.billing import services
from postdesk.billing.models import RateCard, RateEntry
from postdesk.billing.rates import NoRate, resolve_rate
from postdesk.core.audit import SYSTEM
from postdesk.core.errors import Conflict, InvalidInput, InvalidTransition
from postdesk.core.models import AuditEntry
from tests.billing.conftest import at

pytestmark = pytest.mark.django_db


@pytest.fixture
def deal_card(db):
    card = services.create_rate_card(actor=SYSTEM, name="Northlight deal")
    services.create_rate_entry(actor=SYSTEM, card=card, resource_kind="room", day=Decimal("800"))
    return card


def entries_of(card) -> list[dict]:
    return list(RateEntry.objects.filter(card=card).order_by("pk").values())


# --- deleting ---------------------------------------------------------------------------


def test_deleting_the_standard_card_is_409_and_keeps_every_price(api_as, standard_card):
    prices = entries_of(standard_card)

    response = api_as("bookings").delete(f"rate-cards/{standard_card.pk}")

    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "rate_card_in_use"
    assert body["details"]["reasons"] == ["it is a standard card"]
    assert "Archive it instead" in body["message"]
    assert entries_of(standard_card) == prices
    assert not AuditEntry.objects.filter(action="delete", object_type="billing.ratecard").exists()


def test_a_card_a_client_deal_names_cannot_be_deleted(client_company, deal_card):
    services.set_client_deal(
        actor=SYSTEM, client=client_company, card=deal_card, discount_percent=Decimal(0)
    )

    with pytest.raises(Conflict) as refused:
        services.delete_rate_card(deal_card, actor=SYSTEM)

    assert refused.value.details["reasons"] == ["1 client deal names it"]
    assert RateCard.objects.filter(pk=deal_card.pk).exists()


def test_a_card_that_priced_quote_job_sheet_or_invoice_lines_cannot_be_deleted(
    job, theatre, deal_card, client_company, make_booking
):
    services.set_client_deal(
        actor=SYSTEM, client=client_company, card=deal_card, discount_percent=Decimal(0)
    )
    make_booking(job, [theatre], at("2026-03-02", "09:00"), at("2026-03-02", "19:00"))
    services.create_quote(job=job, actor=SYSTEM)
    done = make_booking(
        job, [theatre], at("2026-03-03", "09:00"), at("2026-03-03", "19:00"), "completed"
    )
    sheet = services.create_job_sheet(booking=done, actor=SYSTEM)
    services.sign_job_sheet(sheet, actor=SYSTEM, party="operator", name="Ana")
    services.sign_job_sheet(sheet, actor=SYSTEM, party="client", name="Hannah")
    services.create_invoice(job=job, sheets=[sheet], actor=SYSTEM)
    # The deal ends; the documents it priced remain.
    services.set_client_deal(
        actor=SYSTEM, client=client_company, card=None, discount_percent=Decimal(0)
    )

    with pytest.raises(Conflict) as refused:
        services.delete_rate_card(deal_card, actor=SYSTEM)

    assert refused.value.details["reasons"] == [
        "quote lines were priced from it",
        "job sheet lines were priced from it",
        "invoice lines were priced from it",
    ]
    assert entries_of(deal_card) != []


def test_an_unused_card_is_deleted_and_the_audit_keeps_its_prices(api_as, deal_card):
    prices = entries_of(deal_card)
    entry_id = prices[0]["id"]

    response = api_as("bookings").delete(f"rate-cards/{deal_card.pk}")

    assert response.status_code == 204
    assert not RateCard.objects.filter(pk=deal_card.pk).exists()
    card_entry = AuditEntry.objects.get(
        action="delete", object_type="billing.ratecard", object_id=str(deal_card.pk)
    )
    recorded, after = card_entry.changes["entries"]
    assert after is None
    assert [(e["id"], e["day"], e["resource_kind"]) for e in recorded] == [
        (entry_id, "800.00", "room")
    ]
    entry_record = AuditEntry.objects.get(
        action="delete", object_type="billing.rateentry", object_id=str(entry_id)
    )
    assert entry_record.changes["day"] == ["800.00", None]


# --- archiving --------------------------------------------------------------------------


def test_archiving_the_standard_card_stops_it_pricing_and_audits_its_prices(
    api_as, standard_card, theatre, client_company
):
    response = api_as("bookings").post(f"rate-cards/{standard_card.pk}/archive")

    assert response.status_code == 200
    assert response.json()["archived_at"] is not None
    assert RateEntry.objects.filter(card=standard_card).count() == 3
    with pytest.raises(NoRate):
        resolve_rate(
            resource=theatre, client=client_company, on=datetime.date(2026, 3, 2), currency="GBP"
        )
    record = AuditEntry.objects.get(action="transition", object_type="billing.ratecard")
    assert record.summary == "archive"
    assert record.changes["archived_at"][0] is None
    before, after = record.changes["entries"]
    assert before == after
    assert sorted(e["day"] or e["unit_price"] for e in before) == ["1000.00", "35.00", "450.00"]


def test_an_archived_deal_card_falls_back_to_the_standard_card(
    standard_card, deal_card, theatre, client_company
):
    services.set_client_deal(
        actor=SYSTEM, client=client_company, card=deal_card, discount_percent=Decimal(0)
    )
    on = datetime.date(2026, 3, 2)
    assert resolve_rate(resource=theatre, client=client_company, on=on, currency="GBP").source == (
        "client kind"
    )

    services.archive_rate_card(deal_card, actor=SYSTEM)

    match = resolve_rate(resource=theatre, client=client_company, on=on, currency="GBP")
    assert (match.source, match.entry.card_id) == ("standard kind", standard_card.pk)


def test_an_archived_card_refuses_changes_and_a_second_archive(api_as, deal_card):
    services.archive_rate_card(deal_card, actor=SYSTEM)
    api = api_as("bookings")
    entry = deal_card.entries.get()
    before = entries_of(deal_card)

    responses = [
        api.post(f"rate-cards/{deal_card.pk}/archive"),
        api.patch(f"rate-cards/{deal_card.pk}", {"notes": "x"}),
        api.post(f"rate-cards/{deal_card.pk}/entries", {"service": "Tape", "unit_price": "1"}),
        api.patch(f"rate-entries/{entry.pk}", {"day": "1"}),
        api.delete(f"rate-entries/{entry.pk}"),
    ]

    assert [r.status_code for r in responses] == [409] * 5
    assert entries_of(deal_card) == before


def test_a_deal_cannot_name_an_archived_card(deal_card, other_company):
    services.archive_rate_card(deal_card, actor=SYSTEM)

    with pytest.raises(InvalidInput) as refused:
        services.set_client_deal(
            actor=SYSTEM, client=other_company, card=deal_card, discount_percent=Decimal(0)
        )

    assert list(refused.value.details["fields"]) == ["card"]
    assert not deal_card.deals.exists()


def test_archiving_needs_change_money(api_as, standard_card):
    assert api_as("supervisor").post(f"rate-cards/{standard_card.pk}/archive").status_code == 403
    assert RateCard.objects.get(pk=standard_card.pk).archived_at is None


def test_the_rate_card_page_archives_after_confirming_and_shows_it(page_as, standard_card):
    http = page_as("bookings")
    url = f"/billing/rate-cards/{standard_card.pk}/archive/"
    detail = f"/billing/rate-cards/{standard_card.pk}/"
    assert "Archive…" in http.get(detail).content.decode()

    asked = http.post(url)
    assert asked.status_code == 200
    assert b"Archive the card" in asked.content
    assert RateCard.objects.get(pk=standard_card.pk).archived_at is None

    done = http.post(url, {"confirm": "yes"})

    assert done.status_code == 302
    assert RateCard.objects.get(pk=standard_card.pk).archived_at is not None
    page = http.get(detail).content.decode()
    assert "Archived" in page
    assert "prices nothing" in page
    assert "Archive…" not in page
    assert "Standard · archived" in http.get("/billing/rate-cards/").content.decode()


def test_the_page_archive_action_needs_change_money(page_as, standard_card):
    response = page_as("supervisor").post(
        f"/billing/rate-cards/{standard_card.pk}/archive/", {"confirm": "yes"}
    )

    assert response.status_code == 403
    assert RateCard.objects.get(pk=standard_card.pk).archived_at is None


# --- one standard card per date ---------------------------------------------------------


def test_a_second_standard_card_without_a_start_date_is_refused(api_as, standard_card):
    before = list(RateCard.objects.values())

    response = api_as("bookings").post("rate-cards", {"name": "Standard 2027", "is_standard": True})

    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "standard_card_exists"
    assert list(body["details"]["fields"]) == ["valid_from"]
    assert body["details"]["card"] == standard_card.pk
    assert list(RateCard.objects.values()) == before


def test_a_second_standard_card_from_the_same_date_is_refused(standard_card):
    services.create_rate_card(
        actor=SYSTEM, name="2027", is_standard=True, valid_from=datetime.date(2027, 1, 1)
    )

    with pytest.raises(InvalidInput) as refused:
        services.create_rate_card(
            actor=SYSTEM, name="2027b", is_standard=True, valid_from=datetime.date(2027, 1, 1)
        )

    assert refused.value.code == "standard_card_exists"
    assert RateCard.objects.filter(is_standard=True).count() == 2


def test_making_a_deal_card_standard_is_refused_while_one_applies(api_as, standard_card, deal_card):
    response = api_as("bookings").patch(f"rate-cards/{deal_card.pk}", {"is_standard": True})

    assert response.status_code == 422
    assert RateCard.objects.get(pk=deal_card.pk).is_standard is False


def test_after_archiving_the_old_standard_card_a_new_one_may_start_undated(standard_card):
    services.archive_rate_card(standard_card, actor=SYSTEM)

    card = services.create_rate_card(actor=SYSTEM, name="Standard 2", is_standard=True)

    assert card.valid_from is None


def test_the_database_holds_one_undated_standard_card_per_currency(standard_card):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        RateCard.objects.create(name="Sneaky", is_standard=True)

    RateCard.objects.create(name="Euro", is_standard=True, currency="EUR")


def test_which_standard_card_applies_on_a_date(api_as, standard_card):
    later = services.create_rate_card(
        actor=SYSTEM, name="Standard 2027", is_standard=True, valid_from=datetime.date(2027, 1, 1)
    )
    api = api_as("accounts")

    before = api.get("rate-cards/standard", on="2026-12-31").json()
    after = api.get("rate-cards/standard", on="2027-01-01").json()

    assert (before["card"]["id"], before["until"], before["next"]["id"]) == (
        standard_card.pk,
        "2027-01-01",
        later.pk,
    )
    assert (after["card"]["id"], after["until"], after["next"]) == (later.pk, None, None)
    assert api.get("rate-cards/standard", currency="EUR").json()["card"] is None
    assert api_as("client").get("rate-cards/standard").status_code == 403


def test_the_rate_card_page_shows_until_when_a_card_applies(page_as, standard_card):
    later = services.create_rate_card(
        actor=SYSTEM, name="Standard 2027", is_standard=True, valid_from=datetime.date(2027, 1, 1)
    )

    page = page_as("accounts").get(f"/billing/rate-cards/{standard_card.pk}/").content.decode()

    assert "valid always until 1 Jan 2027, then" in page
    assert f'href="/billing/rate-cards/{later.pk}/"' in page


def test_quotes_of_a_job_priced_after_archiving_say_no_rate(
    job, theatre, standard_card, make_booking
):
    make_booking(job, [theatre], at("2026-03-02", "09:00"), at("2026-03-02", "19:00"), "pencil")
    services.archive_rate_card(standard_card, actor=SYSTEM)

    with pytest.raises(InvalidInput) as refused:
        services.create_quote(job=job, actor=SYSTEM)

    assert refused.value.code == "no_rate"


def test_an_archived_card_cannot_be_archived_twice_by_the_service(standard_card):
    services.archive_rate_card(standard_card, actor=SYSTEM)

    with pytest.raises(InvalidTransition):
        services.archive_rate_card(standard_card, actor=SYSTEM)


def test_a_card_without_entries_is_deleted(api_as):
    card = services.create_rate_card(actor=SYSTEM, name="Empty")

    response = api_as("bookings").delete(f"rate-cards/{card.pk}")

    assert response.status_code == 204
    record = AuditEntry.objects.get(action="delete", object_type="billing.ratecard")
    assert record.changes["entries"] == [[], None]
