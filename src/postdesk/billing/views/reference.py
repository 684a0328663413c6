"""Pages for what cost reports read: exchange rates (kept by accounts and the
administrator) and the mapping of resources, skills and kinds to budget categories."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from postdesk.billing import categories, exchange, lists
from postdesk.billing.models import CategoryRule, ExchangeRate
from postdesk.billing.reference_forms import (
    CategoryChangeForm,
    CategoryRuleForm,
    ExchangeRateForm,
)
from postdesk.core.errors import DomainError
from postdesk.core.roles import CHANGE_BUDGETS, CHANGE_MONEY, VIEW_MONEY
from postdesk.web.access import allowed, capability_required
from postdesk.web.confirm import confirm_page, confirmed
from postdesk.web.forms import add_refusal, call_service, press
from postdesk.web.listing import list_page

# Internal to the facility: money staff only, never a client's people.
STAFF = {"internal": True}
# Rates are kept by the roles billing/exchange.py names, not by a capability of the matrix.
KEEPERS = {"internal": True, "rule": exchange.may_keep_rates}
# The budget categories are mapped by who prices work or keeps budgets.
MAPPERS = {"internal": True, "any_of": (CHANGE_MONEY, CHANGE_BUDGETS)}


# --- exchange rates -----------------------------------------------------------------------


@capability_required(VIEW_MONEY, **STAFF)
def exchange_rate_list(request):
    listing = list_page(
        request,
        ExchangeRate.objects.select_related("created_by"),
        lists.EXCHANGE_RATES,
        page_size=50,
    )
    return render(
        request,
        "billing/exchange_rates.html",
        {**listing, "can_keep": allowed(request.user, **KEEPERS)},
    )


@capability_required(**KEEPERS)
def exchange_rate_new(request):
    form = ExchangeRateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        rate = call_service(form, exchange.set_exchange_rate, actor=request.user)
        if rate is not None:
            messages.success(request, f"Saved: {rate}")
            return redirect("billing:exchange_rates")
    return render(
        request,
        "web/form.html",
        {
            "form": form,
            "title": "New exchange rate",
            "cancel_url": reverse("billing:exchange_rates"),
        },
    )


@capability_required(**KEEPERS)
@require_POST
def exchange_rate_delete(request, pk):
    rate = get_object_or_404(ExchangeRate, pk=pk)
    if not confirmed(request):
        return confirm_page(
            request,
            title=f"Delete the rate {rate}?",
            explain="Cost reports then convert with the pair's previous rate, or say that "
            "none is kept. The audit log keeps this rate.",
            button="Delete the rate",
            action=request.path,
            cancel_url=reverse("billing:exchange_rates"),
        )
    press(request, lambda: exchange.delete_exchange_rate(rate, actor=request.user), "Rate deleted")
    return redirect("billing:exchange_rates")


# --- budget categories --------------------------------------------------------------------


@capability_required(VIEW_MONEY, **STAFF)
def category_rule_list(request):
    rules = CategoryRule.objects.select_related("resource__site", "skill").order_by("rank", "pk")
    return render(
        request,
        "billing/category_rules.html",
        {
            "rules": [
                (rule, CategoryChangeForm(initial={"category": rule.category, "rank": rule.rank}))
                for rule in rules
            ],
            "can_map": allowed(request.user, **MAPPERS),
        },
    )


@capability_required(VIEW_MONEY, **MAPPERS)
def category_rule_new(request):
    form = CategoryRuleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            rule = categories.create_category_rule(actor=request.user, **form.rule())
        except DomainError as exc:
            add_refusal(form, exc)
        else:
            messages.success(request, f"Saved: {rule}")
            return redirect("billing:category_rules")
    return render(
        request,
        "web/form.html",
        {
            "form": form,
            "title": "New budget category rule",
            "cancel_url": reverse("billing:category_rules"),
        },
    )


@capability_required(VIEW_MONEY, **MAPPERS)
@require_POST
def category_rule_change(request, pk):
    rule = get_object_or_404(CategoryRule, pk=pk)
    form = CategoryChangeForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose a category and a rank from 0 to 10000")
        return redirect("billing:category_rules")
    try:
        rule = categories.update_category_rule(rule, actor=request.user, **form.cleaned_data)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"Saved: {rule}")
    return redirect("billing:category_rules")


@capability_required(VIEW_MONEY, **MAPPERS)
@require_POST
def category_rule_delete(request, pk):
    rule = get_object_or_404(CategoryRule, pk=pk)
    press(
        request,
        lambda: categories.delete_category_rule(rule, actor=request.user),
        f"Deleted: {rule}",
    )
    return redirect("billing:category_rules")
