"""What the apps show in the shell: their menu entries and home cards.

Each app registers its own from `<app>/shell.py`, imported by its `AppConfig.ready()`, so
the shell never imports an app and a new app adds its pages without editing the shell.
Entries are shown by `order` (ties in the order they were registered); each app keeps to
its own hundred (docs/architecture.md lists them), so the menu reads the same whichever
app loads first.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured

# Where an entry registered without an order goes: after every numbered one.
LAST = 1000


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    capability: str | None  # None: every signed-in user
    # The facility's own pages, which client users never see whatever their capabilities
    # (their pages say 403 "internal to the facility").
    internal: bool = False
    order: int = LAST


@dataclass(frozen=True)
class CardRow:
    """One piece of today's work on a home card: what it is, where it is, and a detail
    (a time, a due date, a state) that says why it is there."""

    label: str
    url: str
    detail: str = ""


@dataclass(frozen=True)
class HomeCard:
    """A count and a link, shown to the roles that hold its capability (and, for personal
    cards, only to the roles it concerns). A card with `rows` also lists the first few
    items of the work it counts, each a link, and says `empty` when there are none; the
    card's own link is then its "see all"."""

    title: str
    capability: str
    count: Callable  # (user) -> int
    url_name: str
    hint: str = ""
    query: str = ""  # appended to the link, e.g. "?mine=1"
    roles: tuple[str, ...] = ()  # empty: every role holding the capability
    order: int = LAST
    # (user, limit) -> list[CardRow], at most `limit` rows in a fixed number of queries
    # whatever the data: the home page's query count is tested.
    rows: Callable | None = None
    empty: str = ""


_nav: dict[str, NavItem] = {}
_cards: dict[str, HomeCard] = {}


def _register(entries: dict, key: str, entry, what: str) -> None:
    known = entries.get(key)
    if known is not None and known != entry:
        # Two apps claiming one label would show two links that read the same.
        raise ImproperlyConfigured(f"Two {what} are called {key!r}: {known!r} and {entry!r}")
    entries[key] = entry


def register_nav(*items: NavItem) -> None:
    """Add menu entries (registering the same entry again changes nothing)."""
    for item in items:
        _register(_nav, item.label, item, "menu entries")


def register_home_card(*cards: HomeCard) -> None:
    """Add home cards (registering the same card again changes nothing)."""
    for card in cards:
        _register(_cards, card.title, card, "home cards")


def nav_items() -> list[NavItem]:
    return sorted(_nav.values(), key=lambda item: item.order)


def home_cards() -> list[HomeCard]:
    return sorted(_cards.values(), key=lambda card: card.order)


# A role whose day is one page (the runner's board) starts there instead of on the cards.
_role_homes: dict[str, str] = {}


def register_role_home(role: str, url_name: str) -> None:
    """Make `url_name` the home page of `role` (registering the same again changes nothing)."""
    _register(_role_homes, role, url_name, "home pages of a role")


def role_home(role: str | None) -> str | None:
    """The URL name of the role's own home page, or None for the cards."""
    return _role_homes.get(role) if role else None
