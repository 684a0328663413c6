"""The cards on each role's home page: the registered cards the user may see, counted, and
for the cards that list their work, the first few rows of it."""

from django.urls import NoReverseMatch, reverse

from postdesk.core.roles import role_of
from postdesk.shell.registry import home_cards
from postdesk.web.access import allowed

# How many rows a card lists: enough for a morning's glance, and the page stays short;
# the card's "see all" link leads to the rest.
CARD_ROWS = 6


def cards_for(user) -> list[dict]:
    role = role_of(user)
    cards = []
    for card in home_cards():
        # `roles` picks the audience of a personal card; the right is the pages' rule.
        if not allowed(user, card.capability) or (card.roles and role not in card.roles):
            continue
        try:
            url = reverse(card.url_name) + card.query
        except NoReverseMatch:
            url = None
        rows = None
        if card.rows is not None:
            rows = list(card.rows(user, CARD_ROWS))[:CARD_ROWS]
        cards.append(
            {
                "title": card.title,
                "count": card.count(user),
                "url": url,
                "hint": card.hint,
                "capability": card.capability,
                "rows": rows,
                "empty": card.empty,
            }
        )
    return cards
