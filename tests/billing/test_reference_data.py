"""What cost reports read, kept through services, pages and the API: exchange rates (by
accounts and the administrator) and the budget category mapping."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from postdesk.billing import categories, exchange
from postdesk.billing.models import CategoryRule, ExchangeRate
from postdesk.core.audit import SYSTEM
from postdesk.core.errors import InvalidInput
from postdesk.core.models import AuditEntry
from postdesk.productions import services as production_services
from postdesk.scheduling.models import Resource, Skill
from tests.billing.conftest import at

pytestmark = pytest.mark.django_db
D = Decimal
DAY = datetime.date(2026, 11, 1)


def _rate(**overrides):
    values = {
        "currency": "GBP",
        "to_currency": "USD",
        "rate": D("1.27"),
        "valid_from": DAY,
        "source": "Bank rate",
    }
    return {**values, **overrides}


# --- exchange rates: the service ----------------------------------------------------------


def test_a_rate_is_kept_and_audited_and_the_same_day_again_corrects_it(users):
    first = exchange.set_exchange_rate(actor=users["accounts"], **_rate())
    again = exchange.set_exchange_rate(actor=users["accounts"], **_rate(rate=D("1.2712")))
    assert first.pk == again.pk
    assert ExchangeRate.objects.get().rate == D("1.271200")
    actions = list(
        AuditEntry.objects.filter(object_type="billing.exchangerate")
        .order_by("at", "id")
        .values_list("action", flat=True)
    )
    assert actions == ["create", "update"]
    update = AuditEntry.objects.get(object_type="billing.exchangerate", action="update")
    assert update.changes["rate"] == ["1.270000", "1.271200"]


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"to_currency": "GBP"}, "to_currency"),
        ({"currency": "XXX"}, "currency"),
        ({"rate": D("0")}, "rate"),
        ({"rate": D("-1.2")}, "rate"),
        ({"rate": D("1.0000001")}, "rate"),
        ({"rate": D("1000000")}, "rate"),
        ({"rate": D("NaN")}, "rate"),
        ({"valid_from": datetime.date(1900, 1, 1)}, "valid_from"),
    ],
    ids=str,
)
def test_a_bad_rate_is_refused_naming_the_field_and_nothing_is_kept(overrides, field):
    with pytest.raises(InvalidInput) as refused:
        exchange.set_exchange_rate(actor=SYSTEM, **_rate(**overrides))
    assert list(refused.value.details["fields"]) == [field]
    assert ExchangeRate.objects.count() == 0
    assert not AuditEntry.objects.filter(object_type="billing.exchangerate").exists()


# --- exchange rates: pages ----------------------------------------------------------------


def test_accounts_add_a_rate_from_the_page(page_as):
    http = page_as("accounts")
    response = http.post(
        reverse("billing:exchange_rate_new"),
        {"currency": "GBP", "to_currency": "USD", "rate": "1.27", "valid_from": "2026-11-01"},
    )
    assert response.status_code == 302
    rate = ExchangeRate.objects.get()
    assert (rate.rate, rate.created_by.username) == (D("1.27"), "accounts-user")
    page = http.get(reverse("billing:exchange_rates")).content.decode()
    assert "1 GBP" in page and "1.27" in page and "1 Nov 2026" in page


def test_a_bad_rate_on_the_page_shows_the_form_again_and_keeps_nothing(page_as):
    response = page_as("admin").post(
        reverse("billing:exchange_rate_new"),
        {"currency": "GBP", "to_currency": "GBP", "rate": "1.27", "valid_from": "2026-11-01"},
    )
    assert response.status_code == 200
    assert "Choose two different currencies" in response.content.decode()
    assert ExchangeRate.objects.count() == 0


@pytest.mark.parametrize("role", ["bookings", "supervisor"])
def test_only_accounts_and_admin_keep_rates_others_read_them(page_as, role):
    exchange.set_exchange_rate(actor=SYSTEM, **_rate())
    http = page_as(role)
    assert http.get(reverse("billing:exchange_rates")).status_code == 200
    assert http.get(reverse("billing:exchange_rate_new")).status_code == 403
    rate = ExchangeRate.objects.get()
    url = reverse("billing:exchange_rate_delete", args=[rate.pk])
    assert http.post(url, {"confirm": "yes"}).status_code == 403
    assert ExchangeRate.objects.count() == 1


@pytest.mark.parametrize("role", ["client", "runner", "reception"])
def test_rates_are_internal_to_the_facilitys_money_staff(page_as, role):
    assert page_as(role).get(reverse("billing:exchange_rates")).status_code == 403


def test_deleting_a_rate_asks_first(page_as):
    rate = exchange.set_exchange_rate(actor=SYSTEM, **_rate())
    http = page_as("accounts")
    url = reverse("billing:exchange_rate_delete", args=[rate.pk])
    assert "Delete the rate" in http.post(url).content.decode()
    assert ExchangeRate.objects.count() == 1
    assert http.post(url, {"confirm": "yes"}).status_code == 302
    assert ExchangeRate.objects.count() == 0
    assert AuditEntry.objects.filter(object_type="billing.exchangerate", action="delete").exists()


# --- exchange rates: API ------------------------------------------------------------------


def test_rates_through_the_api(api_as):
    body = {"currency": "GBP", "to_currency": "USD", "rate": "1.27", "valid_from": "2026-11-01"}
    created = api_as("accounts").post("exchange-rates", body)
    assert created.status_code == 201
    assert created.json()["rate"] == "1.270000"
    assert api_as("bookings").post("exchange-rates", body).status_code == 403
    listed = api_as("supervisor").get("exchange-rates", currency="GBP").json()
    assert [r["id"] for r in listed] == [created.json()["id"]]
    assert api_as("client").get("exchange-rates").status_code == 403
    bad = api_as("admin").post("exchange-rates", {**body, "rate": "0"})
    assert bad.status_code == 422
    assert api_as("bookings").delete(f"exchange-rates/{created.json()['id']}").status_code == 403
    assert api_as("admin").delete(f"exchange-rates/{created.json()['id']}").status_code == 204
    assert api_as("admin").delete("exchange-rates/999999").status_code == 404
    assert ExchangeRate.objects.count() == 0


# --- the cost report page says which rates it used ----------------------------------------


def test_the_cost_report_page_names_the_missing_rate_then_the_rate_used(
    page_as, site, make_booking
):
    from postdesk.billing import services

    client = production_services.create_client(
        actor=SYSTEM, name="Hollis & Grant", country="US", currency="USD"
    )
    production = production_services.create_production(
        actor=SYSTEM, client=client, title="Signal Fire", kind="feature"
    )
    job = production_services.create_job(actor=SYSTEM, production=production, description="DI")
    card = services.create_rate_card(
        actor=SYSTEM, name="Standard USD", is_standard=True, currency="USD"
    )
    services.create_rate_entry(
        actor=SYSTEM, card=card, resource_kind="person", day=D("1900"), category="grade"
    )
    grader = Resource.objects.create(
        kind="person", name="Ben Carter", site=site, employment="freelance", day_rate=D("950")
    )
    make_booking(job, [grader], at("2026-03-02", "09:00"), at("2026-03-02", "19:00"), "completed")
    url = reverse("billing:cost_report", args=[production.pk])
    http = page_as("supervisor")

    page = http.get(url, {"rates_on": "2026-11-15"}).content.decode()
    assert "No GBP→USD rate in force on 15 Nov 2026" in page
    assert "not worked out: a rate is missing" in page

    exchange.set_exchange_rate(actor=SYSTEM, **_rate(rate=D("1.25")))
    page = http.get(url, {"rates_on": "2026-11-15"}).content.decode()
    assert "1 GBP = 1.25 USD (from 01 Nov 2026, Bank rate)" in page
    assert "<strong>US$712.50</strong>" in page  # 1900 - 950 × 1.25
    assert http.get(url, {"rates_on": "someday"}).status_code == 400


# --- budget categories --------------------------------------------------------------------


@pytest.fixture
def colourist_skill(db):
    return Skill.objects.create(name="Colourist")


def test_rules_are_made_changed_and_deleted_through_audited_services(colourist_skill):
    rule = categories.create_category_rule(
        actor=SYSTEM, skill=colourist_skill, resource_kind="person", category="grade", rank=10
    )
    rule = categories.update_category_rule(rule, actor=SYSTEM, category="online", rank=5)
    assert (rule.category, rule.rank) == ("online", 5)
    categories.delete_category_rule(rule, actor=SYSTEM)
    actions = list(
        AuditEntry.objects.filter(object_type="billing.categoryrule")
        .order_by("at", "id")
        .values_list("action", flat=True)
    )
    assert actions == ["create", "update", "delete"]


@pytest.mark.parametrize(
    "fields, field",
    [
        ({}, "resource_kind"),
        ({"resource_kind": "spaceship"}, "resource_kind"),
        ({"resource_kind": "room", "category": "nonsense"}, "category"),
        ({"resource_kind": "room", "rank": 10001}, "rank"),
    ],
    ids=str,
)
def test_bad_rules_are_refused_and_nothing_is_kept(fields, field):
    with pytest.raises(InvalidInput) as refused:
        categories.create_category_rule(actor=SYSTEM, **{"category": "grade", **fields})
    assert list(refused.value.details["fields"]) == [field]
    assert CategoryRule.objects.count() == 0


def test_a_second_rule_for_the_same_target_is_refused(colourist_skill):
    categories.create_category_rule(actor=SYSTEM, skill=colourist_skill, category="grade")
    with pytest.raises(InvalidInput, match="skill Colourist already maps to Grade"):
        categories.create_category_rule(actor=SYSTEM, skill=colourist_skill, category="mix")
    assert CategoryRule.objects.count() == 1


@pytest.mark.parametrize("role", ["supervisor", "accounts", "bookings"])
def test_roles_that_budget_or_change_money_map_categories_from_the_page(
    page_as, role, colourist_skill
):
    http = page_as(role)
    response = http.post(
        reverse("billing:category_rule_new"),
        {
            "target": "skill",
            "skill": colourist_skill.pk,
            "resource_kind": "person",
            "category": "grade",
            "rank": "10",
        },
    )
    assert response.status_code == 302
    rule = CategoryRule.objects.get()
    assert (rule.skill, rule.resource_kind, rule.category) == (colourist_skill, "person", "grade")
    http.post(
        reverse("billing:category_rule_change", args=[rule.pk]),
        {"category": "online", "rank": "3"},
    )
    rule.refresh_from_db()
    assert (rule.category, rule.rank) == ("online", 3)
    page = http.get(reverse("billing:category_rules")).content.decode()
    assert "skill Colourist (person)" in page
    http.post(reverse("billing:category_rule_delete", args=[rule.pk]))
    assert CategoryRule.objects.count() == 0


def test_a_rule_form_without_its_target_shows_the_error(page_as):
    response = page_as("supervisor").post(
        reverse("billing:category_rule_new"), {"target": "skill", "category": "grade", "rank": "1"}
    )
    assert response.status_code == 200
    assert "Choose what this rule maps" in response.content.decode()
    assert CategoryRule.objects.count() == 0


@pytest.mark.parametrize("role", ["reception", "client", "engineer"])
def test_other_roles_cannot_map_categories(page_as, role, colourist_skill):
    rule = categories.create_category_rule(actor=SYSTEM, skill=colourist_skill, category="grade")
    http = page_as(role)
    assert http.get(reverse("billing:category_rule_new")).status_code == 403
    delete = reverse("billing:category_rule_delete", args=[rule.pk])
    assert http.post(delete).status_code == 403
    assert CategoryRule.objects.count() == 1


def test_rules_through_the_api(api_as, colourist_skill, site):
    api = api_as("supervisor")
    created = api.post(
        "category-rules",
        {"skill": colourist_skill.pk, "resource_kind": "person", "category": "grade"},
    )
    assert created.status_code == 201
    assert created.json()["target"] == "skill Colourist (person)"
    rule_id = created.json()["id"]
    assert api.patch(f"category-rules/{rule_id}", {"rank": 7}).json()["rank"] == 7
    assert api.get("category-rules").json()[0]["category"] == "grade"
    assert api.post("category-rules", {"skill": 999999, "category": "grade"}).status_code == 422
    assert api.post("category-rules", {"category": "grade"}).status_code == 422
    assert (
        api_as("reception")
        .post("category-rules", {"resource_kind": "room", "category": "grade"})
        .status_code
        == 403
    )
    assert api_as("client").get("category-rules").status_code == 403
    assert api.delete(f"category-rules/{rule_id}").status_code == 204
    assert CategoryRule.objects.count() == 0
