"""Coordination's pages for deliverables and the post schedule: the lists, the status
buttons (one view each), the delivery checklist (print and CSV) and the timeline. As
thin as the API."""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from postdesk.coordination import catalogue, lists, queries, services
from postdesk.coordination.forms import (
    AcceptForm,
    CostForm,
    DeliverableForm,
    DeliverForm,
    FromTemplateForm,
    MediaForm,
    MilestoneForm,
    QcLinkForm,
    RejectForm,
)
from postdesk.coordination.visibility import DELIVERABLE
from postdesk.core.roles import MANAGE_DELIVERABLES, VIEW_DELIVERABLES, VIEW_MONEY
from postdesk.web.access import allowed, capability_required
from postdesk.web.forms import form_page, press
from postdesk.web.listing import for_page, list_page

MANAGE = {"internal": True}


def _production(request, pk):
    return get_object_or_404(queries.productions_for(request.user), pk=pk)


def _deliverable(request, pk):
    return get_object_or_404(queries.deliverables_for(request.user), pk=pk)


def _back(item) -> str:
    return reverse("coordination:production", args=[item.production_id])


@capability_required(VIEW_DELIVERABLES)
def deliverables(request):
    """Every deliverable the user may see, across productions, with its flag."""
    spec = for_page(lists.DELIVERABLES, sorts={"owner": "owner__username"})
    context = list_page(request, queries.deliverables_for(request.user), spec)
    on = queries.today()
    context["rows"] = [(d, queries.flag(d, on)) for d in context["page_obj"]]
    context["shows"] = DELIVERABLE.shown(request.user)
    return render(request, "coordination/deliverables.html", context)


@capability_required(VIEW_DELIVERABLES)
def production(request, pk: int):
    """A production's deliverables list: status, flags and the buttons for each."""
    prod = _production(request, pk)
    on = queries.today()
    items = list(queries.deliverables_for(request.user).filter(production=prod))
    return render(
        request,
        "coordination/production.html",
        {
            "production": prod,
            "rows": [(d, queries.flag(d, on)) for d in items],
            "can_manage": allowed(request.user, MANAGE_DELIVERABLES, **MANAGE),
            "can_cost": allowed(request.user, MANAGE_DELIVERABLES, VIEW_MONEY, **MANAGE),
            "shows": DELIVERABLE.shown(request.user),
            "templates": catalogue.templates(),
        },
    )


@capability_required(MANAGE_DELIVERABLES, **MANAGE)
def from_template(request, pk: int):
    prod = _production(request, pk)
    form = FromTemplateForm(request.POST or None)
    return form_page(
        request,
        form,
        services.create_from_template,
        production=prod,
        actor=request.user,
        done=lambda items: (f"{len(items)} deliverables added.", _back(items[0])),
        title=f"Deliverables list for {prod.title}",
        cancel_url=reverse("coordination:production", args=[prod.pk]),
    )


@capability_required(MANAGE_DELIVERABLES, **MANAGE)
def deliverable_new(request, pk: int):
    prod = _production(request, pk)
    form = DeliverableForm(request.POST or None)
    return form_page(
        request,
        form,
        services.add_deliverable,
        production=prod,
        actor=request.user,
        done=lambda d: (f"Added {d.name}.", _back(d)),
        title=f"New deliverable for {prod.title}",
        cancel_url=reverse("coordination:production", args=[prod.pk]),
    )


@capability_required(MANAGE_DELIVERABLES, **MANAGE)
def deliverable_edit(request, pk: int):
    item = _deliverable(request, pk)
    initial = {f: getattr(item, f) for f in services.EDITABLE}
    form = DeliverableForm(request.POST or None, initial=initial)
    return form_page(
        request,
        form,
        lambda **data: services.update_deliverable(item, actor=request.user, **data),
        done=lambda d: (f"Saved {d.name}.", _back(d)),
        title=f"Edit {item.name}",
        cancel_url=_back(item),
    )


def _button(call, verb: str):
    @require_POST
    @capability_required(MANAGE_DELIVERABLES, **MANAGE)
    def view(request, pk: int):
        item = _deliverable(request, pk)
        press(request, lambda: call(item, actor=request.user), f"{item.name}: {verb}.")
        return redirect(_back(item))

    return view


deliverable_start = _button(services.start_deliverable, "in progress")
deliverable_qc = _button(services.send_to_qc, "in QC")
deliverable_fail_qc = _button(services.fail_qc, "back in progress")


@require_POST
@capability_required(MANAGE_DELIVERABLES, **MANAGE)
def deliverable_remove(request, pk: int):
    item = _deliverable(request, pk)
    back = _back(item)
    press(
        request,
        lambda: services.remove_deliverable(item, actor=request.user),
        f"Removed {item.name}.",
    )
    return redirect(back)


def _record_page(request, pk, form_class, service, title: str, verb: str):
    item = _deliverable(request, pk)
    return form_page(
        request,
        form_class(request.POST or None),
        lambda **data: service(item, actor=request.user, **data),
        done=lambda d: (f"{d.name}: {verb}.", _back(d)),
        title=f"{title}: {item.name}",
        cancel_url=_back(item),
    )


@capability_required(MANAGE_DELIVERABLES, **MANAGE)
def deliverable_deliver(request, pk: int):
    return _record_page(request, pk, DeliverForm, services.deliver, "Delivered", "delivered")


@capability_required(MANAGE_DELIVERABLES, **MANAGE)
def deliverable_accept(request, pk: int):
    return _record_page(
        request, pk, AcceptForm, services.accept_deliverable, "Accepted", "accepted"
    )


@capability_required(MANAGE_DELIVERABLES, **MANAGE)
def deliverable_reject(request, pk: int):
    return _record_page(
        request, pk, RejectForm, services.reject_deliverable, "Rejected", "rejected"
    )


@capability_required(MANAGE_DELIVERABLES, **MANAGE)
def deliverable_media(request, pk: int):
    item = _deliverable(request, pk)
    form = MediaForm(
        request.POST or None,
        production=item.production,
        initial={"media_items": list(item.media_items.values_list("pk", flat=True))},
    )
    return form_page(
        request,
        form,
        lambda media_items: services.link_media(
            item, media_items=list(media_items), actor=request.user
        ),
        done=lambda d: (f"{d.name}: media linked.", _back(d)),
        title=f"Media holding {item.name}",
        cancel_url=_back(item),
    )


@capability_required(MANAGE_DELIVERABLES, **MANAGE)
def deliverable_qc_report(request, pk: int):
    item = _deliverable(request, pk)
    form = QcLinkForm(request.POST or None, initial={"qc_report": item.qc_report_id})
    return form_page(
        request,
        form,
        lambda qc_report: services.link_qc_report(item, report=qc_report, actor=request.user),
        done=lambda d: (
            f"{d.name}: QC report {'linked' if d.qc_report_id else 'unlinked'}.",
            _back(d),
        ),
        title=f"QC report of {item.name}",
        cancel_url=_back(item),
    )


@capability_required(MANAGE_DELIVERABLES, VIEW_MONEY, **MANAGE)
def deliverable_cost(request, pk: int):
    item = _deliverable(request, pk)
    form = CostForm(request.POST or None, initial={"cost": item.cost})
    return form_page(
        request,
        form,
        lambda cost: services.set_cost(item, cost=cost, actor=request.user),
        done=lambda d: (f"{d.name}: cost saved.", _back(d)),
        title=f"Cost of {item.name} ({item.production.client.currency})",
        cancel_url=_back(item),
    )


@capability_required(VIEW_DELIVERABLES)
def checklist(request, pk: int):
    """The delivery checklist, laid out to print."""
    prod = _production(request, pk)
    return render(
        request,
        "coordination/checklist.html",
        {
            "production": prod,
            "rows": queries.checklist(prod, queries.today()),
            "shows": DELIVERABLE.shown(request.user),
        },
    )


@capability_required(VIEW_DELIVERABLES)
def checklist_csv(request, pk: int):
    prod = _production(request, pk)
    response = HttpResponse(queries.checklist_csv(prod, queries.today()), content_type="text/csv")
    response["Content-Disposition"] = f'attachment; filename="deliverables-{prod.pk}.csv"'
    return response


@capability_required(VIEW_DELIVERABLES)
def timeline(request, pk: int):
    """The production's post schedule: each milestone's planned, revised and actual
    dates, the slipped ones and the bookings that no longer fit before them."""
    prod = _production(request, pk)
    return render(
        request,
        "coordination/timeline.html",
        {
            "production": prod,
            "milestones": queries.timeline(prod),
            "can_manage": allowed(request.user, MANAGE_DELIVERABLES, **MANAGE),
        },
    )


@capability_required(MANAGE_DELIVERABLES, **MANAGE)
def milestone_set(request, pk: int):
    prod = _production(request, pk)
    form = MilestoneForm(request.POST or None, initial={"kind": request.GET.get("kind")})
    return form_page(
        request,
        form,
        services.set_milestone,
        production=prod,
        actor=request.user,
        done=lambda m: (
            f"{m.get_kind_display()} planned.",
            reverse("coordination:timeline", args=[prod.pk]),
        ),
        title=f"Milestone for {prod.title}",
        cancel_url=reverse("coordination:timeline", args=[prod.pk]),
    )
