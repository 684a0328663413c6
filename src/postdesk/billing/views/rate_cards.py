"""Rate card pages (internal to the facility): the list, a new card, the card with its
entries and the form that adds one, and archiving a card."""

from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from postdesk.billing import forms, lists, services
from postdesk.billing.models import RateCard
from postdesk.billing.rates import replaced_by
from postdesk.billing.views.common import caps, render_list
from postdesk.core.roles import CHANGE_MONEY, VIEW_MONEY
from postdesk.web.access import allowed, capability_required, require
from postdesk.web.confirm import confirm_page, confirmed
from postdesk.web.forms import form_page, press
from postdesk.web.listing import for_page, list_page

# The API's rate card list (billing/lists.py), sortable by the day a card applies from.
CARD_LIST = for_page(lists.RATE_CARDS, sorts={"valid": "valid_from"})


@capability_required(VIEW_MONEY, internal=True)
def rate_card_list(request):
    listing = list_page(request, RateCard.objects.all(), CARD_LIST)
    rows = [
        {
            "url": reverse("billing:rate_card", args=[x.pk]),
            "cells": [
                x.name,
                ("Standard" if x.is_standard else "Client deal")
                + (" · archived" if x.is_archived else ""),
                x.currency,
                x.valid_from or "always",
            ],
        }
        for x in listing["page_obj"]
    ]
    return render_list(
        request,
        listing,
        title="Rate cards",
        rows=rows,
        columns=[("Name", "name"), ("Type", None), ("Currency", None), ("Valid from", "valid")],
        empty="No rate cards. Add the standard card first.",
        actions=[("New rate card", reverse("billing:rate_card_new"))]
        if allowed(request.user, CHANGE_MONEY)
        else [],
    )


@capability_required(CHANGE_MONEY)
def rate_card_new(request):
    return form_page(
        request,
        forms.RateCardForm(request.POST or None),
        services.create_rate_card,
        actor=request.user,
        done=lambda card: (
            f"Rate card {card.name} made",
            reverse("billing:rate_card", args=[card.pk]),
        ),
        title="New rate card",
        cancel_url=reverse("billing:rate_cards"),
    )


@capability_required(VIEW_MONEY, internal=True)
def rate_card_detail(request, pk):
    """The card and its entries; its form's POST adds an entry (change_money)."""
    card = get_object_or_404(RateCard, pk=pk)
    form = forms.RateEntryForm(request.POST or None)
    status = 200
    if request.method == "POST":
        require(request, CHANGE_MONEY)
        if form.is_valid():
            if press(
                request,
                lambda: services.create_rate_entry(actor=request.user, card=card, **form.entry()),
                "Entry added",
            ):
                return redirect("billing:rate_card", card.pk)
        else:
            status = 422
    return render(
        request,
        "billing/rate_card_detail.html",
        {
            "card": card,
            "entries": card.entries.select_related("resource", "skill"),
            "form": form,
            "replaced_by": replaced_by(card),
            **caps(request),
        },
        status=status,
    )


@capability_required(VIEW_MONEY, CHANGE_MONEY, internal=True)
@require_POST
def rate_card_archive(request, pk):
    card = get_object_or_404(RateCard, pk=pk)
    if not confirmed(request):
        return confirm_page(
            request,
            title=f"Archive {card.name}?",
            explain="An archived card prices nothing from now on: quotes, job sheets and "
            "invoice lines use the standard card instead. The card and its prices stay for "
            "the documents already priced from them.",
            button="Archive the card",
            action=request.path,
            cancel_url=reverse("billing:rate_card", args=[pk]),
        )
    press(request, lambda: services.archive_rate_card(card, actor=request.user), "Archived")
    return redirect("billing:rate_card", pk)
