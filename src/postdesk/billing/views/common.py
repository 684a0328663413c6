"""What every billing page shares: the record in the user's scope, the buttons the user
may press, the one list template and a confirmation step. (A button's service call is
web/forms.press.)"""

from django.http import Http404
from django.shortcuts import render

from postdesk.core.money_display import Money
from postdesk.core.roles import (
    APPROVE_QUOTES,
    CHANGE_BUDGETS,
    CHANGE_MONEY,
    RESPOND_QUOTES,
    is_outside,
    scope_to_client,
)
from postdesk.web.access import allowed

# Who may answer a sent quote: the client's people, and the facility's money staff on
# their behalf (a client who accepts by telephone).
RESPONDERS = (RESPOND_QUOTES, CHANGE_MONEY)


def scoped(request, qs, pk, client_field):
    """The record `pk` of `qs` within the user's company scope; 404 outside it."""
    obj = scope_to_client(request.user, qs, client_field).filter(pk=pk).first()
    if obj is None:
        raise Http404("Not found")
    return obj


def caps(request) -> dict:
    """The buttons a billing page offers its user."""
    user = request.user
    return {
        "can_change": allowed(user, CHANGE_MONEY),
        "can_approve": allowed(user, APPROVE_QUOTES),
        "can_respond": allowed(user, any_of=RESPONDERS),
        "can_budget": allowed(user, CHANGE_BUDGETS),
        "is_client": is_outside(user),
    }


def render_list(request, listing: dict, *, title, columns, rows, empty, actions=()):
    """The billing list page: `listing` is `web.listing.list_page`'s context; `columns`
    (label, sort key or None); `rows` {"url", "cells"}, the first cell linking to `url`."""
    # A column of money (Money cells) is right-aligned, its heading too.
    money = {
        i for row in rows[:1] for i, cell in enumerate(row["cells"]) if isinstance(cell, Money)
    }
    return render(
        request,
        "billing/list.html",
        {
            **listing,
            "title": title,
            "columns": [
                (label, listing["sort_links"].get(key), i in money)
                for i, (label, key) in enumerate(columns)
            ],
            "rows": rows,
            "empty": empty,
            "actions": actions,
        },
    )
