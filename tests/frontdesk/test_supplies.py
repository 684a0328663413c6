"""Supplies: stock with quantity, unit, reorder level and supplier; use is a quick
decrement (never below nothing, even when two take the last at once); receiving adds;
the shopping list is what is at or below its reorder level."""

import threading

import pytest
from django.db import connection

from postdesk.core.errors import Conflict
from postdesk.frontdesk import supplies
from postdesk.frontdesk.models import StockItem

pytestmark = pytest.mark.django_db


@pytest.fixture
def milk(users):
    return supplies.add_stock_item(
        actor=users["reception"],
        name="Oat milk",
        unit="carton",
        quantity=3,
        reorder_level=2,
        supplier="Brakes",
    )


def test_use_decrements_and_receiving_adds(api_as, milk):
    used = api_as("runner").post(f"frontdesk/supplies/{milk.pk}/use", {"amount": 2})
    assert used.status_code == 200 and used.json()["quantity"] == 1
    assert used.json()["to_buy"] is True
    received = api_as("reception").post(f"frontdesk/supplies/{milk.pk}/receive", {"amount": 6})
    assert received.status_code == 200 and received.json()["quantity"] == 7


def test_using_more_than_is_left_is_a_409_saying_how_many(api_as, milk):
    res = api_as("runner").post(f"frontdesk/supplies/{milk.pk}/use", {"amount": 4})
    assert res.status_code == 409
    assert res.json()["message"] == "Only 3 carton of Oat milk left"
    assert StockItem.objects.get(pk=milk.pk).quantity == 3


def test_the_shopping_list_is_what_is_at_or_below_reorder_level(api_as, users, milk):
    supplies.add_stock_item(
        actor=users["reception"], name="Coffee beans", unit="kg", quantity=10, reorder_level=3
    )
    supplies.add_stock_item(
        actor=users["reception"], name="A4 paper", unit="ream", quantity=1, reorder_level=5
    )
    supplies.use_stock(milk.pk, actor=users["runner"])  # 2 left: at its level
    names = [
        r["name"]
        for r in api_as("reception").get("frontdesk/supplies", to_buy="true").json()["results"]
    ]
    assert names == ["A4 paper", "Oat milk"]
    assert [i.name for i in supplies.shopping_list()] == ["A4 paper", "Oat milk"]


def test_only_the_front_office_adds_and_receives(api_as, milk):
    assert (
        api_as("runner").post(f"frontdesk/supplies/{milk.pk}/receive", {"amount": 1}).status_code
        == 403
    )
    assert api_as("engineer").post("frontdesk/supplies", {"name": "Tea"}).status_code == 403
    assert (
        api_as("client").post(f"frontdesk/supplies/{milk.pk}/use", {"amount": 1}).status_code == 403
    )
    assert api_as("reception").post("frontdesk/supplies", {"name": "Oat milk"}).status_code == 409
    assert (
        api_as("reception").post(f"frontdesk/supplies/{milk.pk}/use", {"amount": 0}).status_code
        == 422
    )


@pytest.mark.django_db(transaction=True)
def test_two_taking_the_last_one_at_once_take_it_once(users):
    item = supplies.add_stock_item(actor=users["reception"], name="Last biscuit", quantity=1)
    results, barrier = [], threading.Barrier(2)

    def take(user):
        try:
            barrier.wait()
            supplies.use_stock(item.pk, actor=user)
            results.append("ok")
        except Conflict:
            results.append("conflict")
        finally:
            connection.close()

    threads = [threading.Thread(target=take, args=(users[r],)) for r in ("runner", "engineer")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == ["conflict", "ok"]
    assert StockItem.objects.get(pk=item.pk).quantity == 0


def test_the_pages_add_use_and_receive(page_as, milk):
    page = page_as("reception")
    res = page.post(
        "/frontdesk/supplies/new/",
        {
            "name": "Tea bags",
            "unit": "box",
            "quantity": 1,
            "reorder_level": 2,
            "supplier": "Brakes",
        },
    )
    assert res.status_code == 302
    tea = StockItem.objects.get(name="Tea bags")
    assert page_as("runner").post(f"/frontdesk/supplies/{tea.pk}/use/").status_code == 302
    assert page.post(f"/frontdesk/supplies/{tea.pk}/receive/", {"amount": 5}).status_code == 302
    assert StockItem.objects.get(pk=tea.pk).quantity == 5
    shopping = page.get("/frontdesk/supplies/", {"to_buy": "1"}).content.decode()
    assert "<h1>Shopping list</h1>" in shopping and "<td>Tea bags</td>" not in shopping
    assert "Nothing to buy." in shopping
    assert page_as("runner").get("/frontdesk/supplies/new/").status_code == 403
