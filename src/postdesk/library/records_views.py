"""Pages for destruction (items past retention, request, approve or reject, record it
done, the certificate) and archive research requests."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from postdesk.core.errors import DomainError
from postdesk.core.roles import APPROVE_DESTRUCTION, MANAGE_LIBRARY, VIEW_MEDIA, scope_to_client
from postdesk.library import certificates, lists, queries, services
from postdesk.library.forms import (
    ApproveDestructionForm,
    DestructionDoneForm,
    DestructionForm,
    RejectDestructionForm,
    ResearchForm,
    ResearchItemsForm,
    ResearchStatusForm,
)
from postdesk.library.models import DestructionRequest, MediaItem, ResearchRequest
from postdesk.library.views import abilities
from postdesk.library.visibility import RESEARCH_REQUEST
from postdesk.web.access import capability_required
from postdesk.web.forms import call_service, form_page
from postdesk.web.listing import for_page, list_page

# The API's list, its search also reading the barcodes of the items each request names.
DESTRUCTION_LIST = for_page(lists.DESTRUCTIONS, search=("items__barcode",))


def _past_retention():
    return queries.past_retention().select_related("production")


@capability_required(MANAGE_LIBRARY)
def destructions(request):
    # distinct: a request naming two matching barcodes is one row.
    qs = DestructionRequest.objects.select_related("requested_by", "approved_by").distinct()
    context = list_page(request, qs, DESTRUCTION_LIST)
    status = context["filters"].get("status", "")
    past = _past_retention()
    context.update(
        statuses=DestructionRequest.Status.choices,
        status=status,
        past_retention=list(past.order_by("retention_until", "pk")[:100]),
        past_retention_count=past.count(),
        **abilities(request.user),
    )
    return render(request, "library/destructions.html", context)


@capability_required(MANAGE_LIBRARY)
def destruction_create(request):
    """Request destruction of items past retention (ticked, or preselected by ?items=)."""
    choices = _past_retention().order_by("retention_until", "pk")
    wanted = [int(i) for i in request.GET.get("items", "").split(",") if i.isdigit()]
    return form_page(
        request,
        DestructionForm(
            request.POST or None,
            items=MediaItem.objects.filter(destroyed_at__isnull=True).order_by("barcode")
            if wanted
            else choices,
            initial={"items": wanted},
        ),
        lambda items, actor, **rest: services.request_destruction(list(items), actor=actor, **rest),
        actor=request.user,
        done=lambda req: (
            "Destruction requested: a supervisor must approve it.",
            reverse("library:destruction-detail", args=[req.pk]),
        ),
        title="Request destruction",
        cancel_url=reverse("library:destructions"),
    )


def _destruction(pk: int) -> DestructionRequest:
    return get_object_or_404(
        DestructionRequest.objects.select_related("requested_by", "approved_by"), pk=pk
    )


@capability_required(MANAGE_LIBRARY)
def destruction_detail(request, pk: int):
    req = _destruction(pk)
    return render(
        request,
        "library/destruction_detail.html",
        {
            "req": req,
            "items": list(req.items.select_related("production").order_by("barcode")),
            "approve_form": ApproveDestructionForm(),
            "reject_form": RejectDestructionForm(),
            "done_form": DestructionDoneForm(),
            **abilities(request.user),
        },
    )


def _step(request, pk: int, form_class, service, *, title: str, done: str):
    """One step of a request (approve, reject, record done): a form on its own page, so
    nothing happens on a stray click."""
    req = _destruction(pk)
    back = reverse("library:destruction-detail", args=[pk])
    return form_page(
        request,
        form_class(request.POST or None),
        lambda **data: service(req, **data),
        actor=request.user,
        done=lambda _: (done, back),
        title=title.format(req=req),
        cancel_url=back,
    )


@capability_required(APPROVE_DESTRUCTION)
def destruction_approve(request, pk: int):
    return _step(
        request,
        pk,
        ApproveDestructionForm,
        services.approve_destruction,
        title="Approve destruction request {req.pk}",
        done="Approved: the items may now be destroyed.",
    )


@capability_required(APPROVE_DESTRUCTION)
def destruction_reject(request, pk: int):
    return _step(
        request,
        pk,
        RejectDestructionForm,
        services.reject_destruction,
        title="Reject destruction request {req.pk}",
        done="Rejected.",
    )


@capability_required(MANAGE_LIBRARY)
def destruction_done(request, pk: int):
    return _step(
        request,
        pk,
        DestructionDoneForm,
        services.complete_destruction,
        title="Record destruction request {req.pk} as done",
        done="Recorded as destroyed; the certificate is ready.",
    )


@capability_required(MANAGE_LIBRARY)
def destruction_certificate(request, pk: int):
    req = _destruction(pk)
    try:
        pdf = certificates.destruction_certificate_pdf(req)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("library:destruction-detail", pk=pk)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{certificates.certificate_filename(req)}"'
    return response


# --- research requests ------------------------------------------------------------------


def _research_for(user):
    return scope_to_client(
        user,
        ResearchRequest.objects.select_related("production", "production__client"),
        "production__client",
    )


@capability_required(VIEW_MEDIA)
def research_list(request):
    context = list_page(request, _research_for(request.user), lists.RESEARCH)
    status = context["filters"].get("status", "")
    context.update(
        statuses=ResearchRequest.Status.choices, status=status, **abilities(request.user)
    )
    return render(request, "library/research_list.html", context)


@capability_required(MANAGE_LIBRARY)
def research_create(request):
    return form_page(
        request,
        ResearchForm(request.POST or None),
        services.create_research_request,
        actor=request.user,
        done=lambda req: (
            "Research request opened.",
            reverse("library:research-detail", args=[req.pk]),
        ),
        title="New research request",
        cancel_url=reverse("library:research"),
    )


@capability_required(VIEW_MEDIA)
def research_detail(request, pk: int):
    req = get_object_or_404(_research_for(request.user), pk=pk)
    return render(
        request,
        "library/research_detail.html",
        {
            "req": req,
            "items": list(req.items.select_related("location", "production").order_by("barcode")),
            "status_form": ResearchStatusForm(initial={"status": req.status}),
            "items_form": ResearchItemsForm(),
            "shows": RESEARCH_REQUEST.shown(request.user),
            **abilities(request.user),
        },
    )


@require_POST
@capability_required(MANAGE_LIBRARY)
def research_status(request, pk: int):
    req = get_object_or_404(ResearchRequest, pk=pk)
    form = ResearchStatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose a state.")
        return redirect("library:research-detail", pk=pk)
    try:
        req = services.transition_research_request(
            req, form.cleaned_data["status"], note=form.cleaned_data["note"], actor=request.user
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"Now {req.get_status_display().lower()}.")
    return redirect("library:research-detail", pk=pk)


@require_POST
@capability_required(MANAGE_LIBRARY)
def research_items(request, pk: int):
    """Link the items found (by barcode) to the request."""
    req = get_object_or_404(ResearchRequest, pk=pk)
    form = ResearchItemsForm(request.POST)
    if form.is_valid():
        items = form.cleaned_data["barcodes"]
        if call_service(
            form,
            lambda barcodes, actor: services.link_research_items(req, barcodes, actor=actor),
            actor=request.user,
        ):
            messages.success(request, f"Linked {len(items)} item{'s' * (len(items) != 1)}.")
            return redirect("library:research-detail", pk=pk)
    messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
    return redirect("library:research-detail", pk=pk)
