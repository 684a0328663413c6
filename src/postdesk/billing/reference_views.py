"""Pages for what cost reports read: exchange rates (kept by accounts and the
administrator) and the mapping of resources, skills and kinds to budget categories."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from postdesk.billing import categories, exchange
from postdesk.billing.models import CategoryRule, ExchangeRate
from postdesk.billing.reference_forms import (
    CategoryChangeForm,
    CategoryRuleForm,
    ExchangeRateForm,
)
from postdesk.core.errors import DomainError
from postdesk.core.roles import CHANGE_BUDGETS, CHANGE_MONEY, VIEW_MONEY, can, role_of
from postdesk.web.forms import call_service


def _staff_only(request) -> None:
    if not can(request.user, VIEW_MONEY) or role_of(request.user) == "client":
        raise PermissionDenied("Internal to the facility")


def _may_map(user) -> bool:
    return can(user, CHANGE_MONEY) or can(user, CHANGE_BUDGETS)


# --- exchange rates -----------------------------------------------------------------------


@login_required
def exchange_rate_list(request):
    _staff_only(request)
    rates = ExchangeRate.objects.select_related("created_by").order_by(
        "currency", "to_currency", "-valid_from", "-pk"
    )
    page = Paginator(rates, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "billing/exchange_rates.html",
        {"page": page, "can_keep": exchange.may_keep_rates(request.user)},
    )


def _need_keeper(request) -> None:
    if not exchange.may_keep_rates(request.user):
        raise PermissionDenied("Exchange rates are kept by accounts and the administrator")


@login_required
def exchange_rate_new(request):
    _need_keeper(request)
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


@login_required
@require_POST
def exchange_rate_delete(request, pk):
    _need_keeper(request)
    rate = ExchangeRate.objects.filter(pk=pk).first()
    if rate is None:
        raise Http404("No such rate")
    if request.POST.get("confirm") != "yes":
        return render(
            request,
            "billing/confirm.html",
            {
                "title": f"Delete the rate {rate}?",
                "message": "Cost reports then convert with the pair's previous rate, or say "
                "that none is kept. The audit log keeps this rate.",
                "action": request.path,
                "back": reverse("billing:exchange_rates"),
            },
        )
    try:
        exchange.delete_exchange_rate(rate, actor=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "Rate deleted")
    return redirect("billing:exchange_rates")


# --- budget categories --------------------------------------------------------------------


@login_required
def category_rule_list(request):
    _staff_only(request)
    rules = CategoryRule.objects.select_related("resource__site", "skill").order_by("rank", "pk")
    return render(
        request,
        "billing/category_rules.html",
        {
            "rules": [
                (rule, CategoryChangeForm(initial={"category": rule.category, "rank": rule.rank}))
                for rule in rules
            ],
            "can_map": _may_map(request.user),
        },
    )


def _need_mapper(request) -> None:
    _staff_only(request)
    if not _may_map(request.user):
        raise PermissionDenied("Your role may not change the budget categories")


@login_required
def category_rule_new(request):
    _need_mapper(request)
    form = CategoryRuleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            rule = categories.create_category_rule(actor=request.user, **form.rule())
        except DomainError as exc:
            fields = exc.details.get("fields", {}) if isinstance(exc.details, dict) else {}
            if fields:
                for name, errors in fields.items():
                    form.add_error(name if name in form.fields else None, list(errors))
            else:
                form.add_error(None, exc.message)
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


@login_required
@require_POST
def category_rule_action(request, pk, action):
    _need_mapper(request)
    rule = CategoryRule.objects.filter(pk=pk).first()
    if rule is None:
        raise Http404("No such rule")
    try:
        if action == "delete":
            categories.delete_category_rule(rule, actor=request.user)
            messages.success(request, f"Deleted: {rule}")
        elif action == "change":
            form = CategoryChangeForm(request.POST)
            if not form.is_valid():
                messages.error(request, "Choose a category and a rank from 0 to 10000")
            else:
                rule = categories.update_category_rule(
                    rule, actor=request.user, **form.cleaned_data
                )
                messages.success(request, f"Saved: {rule}")
        else:
            raise Http404("Unknown action")
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("billing:category_rules")
