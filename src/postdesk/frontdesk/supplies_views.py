"""The supplies pages: the stock (searchable; `?to_buy=1` is the shopping list) with its
one-tap "Use one" and "Received" buttons, and a new stock item."""

from django import forms
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from postdesk.core.roles import RUN_FRONT_OFFICE, USE_RUNNER_BOARD
from postdesk.frontdesk import lists, supplies
from postdesk.frontdesk.models import StockItem
from postdesk.web.access import allowed, capability_required
from postdesk.web.forms import form_page, press
from postdesk.web.listing import list_page


class StockItemForm(forms.Form):
    name = forms.CharField(max_length=120)
    unit = forms.CharField(max_length=20, initial="each")
    quantity = forms.IntegerField(min_value=0, max_value=supplies.MAX_QUANTITY, initial=0)
    reorder_level = forms.IntegerField(min_value=0, max_value=supplies.MAX_QUANTITY, initial=0)
    supplier = forms.CharField(max_length=200, required=False)


class AmountForm(forms.Form):
    amount = forms.IntegerField(min_value=1, max_value=supplies.MAX_QUANTITY)


@capability_required(USE_RUNNER_BOARD, internal=True)
def supply_list(request):
    context = list_page(request, StockItem.objects.all(), lists.SUPPLIES)
    context["can_keep"] = allowed(request.user, RUN_FRONT_OFFICE)
    context["to_buy"] = context["filters"].get("to_buy")
    return render(request, "frontdesk/supplies.html", context)


@capability_required(RUN_FRONT_OFFICE, internal=True)
def supply_new(request):
    return form_page(
        request,
        StockItemForm(request.POST or None),
        supplies.add_stock_item,
        done=lambda item: (f"Added {item.name}", reverse("frontdesk:supplies")),
        title="New stock item",
        cancel_url=reverse("frontdesk:supplies"),
        actor=request.user,
    )


@require_POST
@capability_required(USE_RUNNER_BOARD, internal=True)
def supply_use(request, item_id: int):
    press(request, lambda: supplies.use_stock(item_id, actor=request.user), "Used one")
    return redirect("frontdesk:supplies")


@require_POST
@capability_required(RUN_FRONT_OFFICE, internal=True)
def supply_receive(request, item_id: int):
    form = AmountForm(request.POST)
    if not form.is_valid():
        from django.contrib import messages

        messages.error(request, "Say how many were received (a whole number from 1)")
    else:
        amount = form.cleaned_data["amount"]
        press(
            request,
            lambda: supplies.receive_stock(item_id, actor=request.user, amount=amount),
            f"Received {amount}",
        )
    return redirect("frontdesk:supplies")
