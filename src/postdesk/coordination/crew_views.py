"""Crew deal memo pages: the production's memos, the offer form and the buttons
(accepted, contracted, withdrawn), one view each."""

from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from postdesk.coordination import crew_services, queries
from postdesk.coordination.forms import DealMemoForm
from postdesk.coordination.models import DealMemo
from postdesk.coordination.visibility import DEAL_MEMO
from postdesk.core.roles import SUPERVISE_POST
from postdesk.web.access import capability_required
from postdesk.web.forms import form_page, press

RULE = {"internal": True}


@capability_required(SUPERVISE_POST, **RULE)
def memos(request, pk: int):
    prod = get_object_or_404(queries.productions_for(request.user), pk=pk)
    rows = DealMemo.objects.filter(production=prod).select_related("person", "job")
    return render(
        request,
        "coordination/memos.html",
        {"production": prod, "memos": rows, "shows": DEAL_MEMO.shown(request.user)},
    )


@capability_required(SUPERVISE_POST, **RULE)
def memo_new(request, pk: int):
    prod = get_object_or_404(queries.productions_for(request.user), pk=pk)
    form = DealMemoForm(request.POST or None, production=prod)
    back = reverse("coordination:memos", args=[prod.pk])
    return form_page(
        request,
        form,
        crew_services.offer_memo,
        production=prod,
        actor=request.user,
        done=lambda m: (f"Deal memo offered to {m.person.name}.", back),
        title=f"Offer a deal memo on {prod.title}",
        cancel_url=back,
    )


def _button(call, verb: str):
    @require_POST
    @capability_required(SUPERVISE_POST, **RULE)
    def view(request, pk: int):
        memo = get_object_or_404(DealMemo.objects.select_related("person"), pk=pk)
        press(request, lambda: call(memo, actor=request.user), f"{memo.person.name}: {verb}.")
        return redirect("coordination:memos", memo.production_id)

    return view


memo_accept = _button(crew_services.accept_memo, "accepted, pencilled on the board")
memo_contract = _button(crew_services.contract_memo, "contracted, booking confirmed")
memo_withdraw = _button(crew_services.withdraw_memo, "withdrawn")
