"""The shell's registry: the apps' entries, in their declared order, one per label."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from postdesk.shell import registry
from postdesk.shell.registry import HomeCard, NavItem, register_home_card, register_nav


@pytest.fixture
def empty(monkeypatch):
    monkeypatch.setattr(registry, "_nav", {})
    monkeypatch.setattr(registry, "_cards", {})


def test_entries_show_by_order_whoever_registers_first(empty):
    register_nav(NavItem("Invoices", "billing:invoices", "view_money", order=320))
    register_nav(NavItem("Board", "scheduling:board", "view_board", order=100))

    assert [i.label for i in registry.nav_items()] == ["Board", "Invoices"]


def test_an_entry_without_an_order_goes_last_as_appended(empty):
    # The NavItem of old, (label, url_name, capability, internal), still works.
    register_nav(NavItem("Settings", "facility", "manage_users", True))
    register_nav(NavItem("Rota", "rota", None))
    register_nav(NavItem("Today", "home", None, order=0))

    assert [i.label for i in registry.nav_items()] == ["Today", "Settings", "Rota"]


def test_registering_the_same_entry_again_changes_nothing(empty):
    board = NavItem("Board", "scheduling:board", "view_board", order=100)

    register_nav(board)
    register_nav(board)

    assert registry.nav_items() == [board]


def test_two_entries_with_one_label_are_refused(empty):
    register_nav(NavItem("Board", "scheduling:board", "view_board", order=100))

    with pytest.raises(ImproperlyConfigured, match="Two menu entries are called 'Board'"):
        register_nav(NavItem("Board", "library:board", "view_board", order=500))

    assert [i.url_name for i in registry.nav_items()] == ["scheduling:board"]


def test_two_cards_with_one_title_are_refused(empty):
    def count(user):
        return 0

    register_home_card(HomeCard("Clients", "view_clients", count, "clients", order=240))

    with pytest.raises(ImproperlyConfigured, match="Two home cards are called 'Clients'"):
        register_home_card(HomeCard("Clients", "view_clients", count, "library:clients"))

    assert [c.url_name for c in registry.home_cards()] == ["clients"]
