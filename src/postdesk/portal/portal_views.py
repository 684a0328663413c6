"""The client portal's pages: the company's home, answering a quote, requesting a
booking, changing one's password; and the bookings office's list of requests."""

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.forms import PasswordChangeForm
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from postdesk.billing.models import Quote
from postdesk.core.errors import DomainError
from postdesk.core.roles import CHANGE_BOOKINGS, RESPOND_QUOTES, VIEW_BOARD, scope_to_client
from postdesk.core.services import set_user_password
from postdesk.scheduling.models import Booking
from postdesk.web.access import capability_required
from postdesk.web.forms import add_refusal, call_service, form_page

from . import queries, services
from .forms import BookingRequestForm, DeclineRequestForm, PlaceRequestForm, QuoteAnswerForm
from .models import BookingRequest


def client_user(user) -> bool:
    """The portal's pages are a client company's: its users only."""
    return bool(getattr(user, "client_id", None))


@capability_required(VIEW_BOARD, rule=client_user)
def home(request):
    context = queries.home(request.user)
    context["company"] = request.user.client.name
    return render(request, "portal/home.html", context)


@capability_required(VIEW_BOARD, rule=client_user)
def deliverables(request):
    """The status of what the facility is to deliver for the company's productions."""
    return render(
        request,
        "portal/deliverables.html",
        {"company": request.user.client.name, "deliverables": queries.deliverables(request.user)},
    )


@capability_required(VIEW_BOARD, rule=client_user)
def screenings(request):
    """The company's screenings, who is invited and their answers; the user's own
    invitation carries its RSVP link."""
    found = queries.screenings(request.user)
    for s in found:
        for i in s["invitees"]:
            i["rsvp_url"] = (
                reverse("coordination:rsvp", args=[s["id"], i["token"]]) if i["token"] else None
            )
    return render(
        request,
        "portal/screenings.html",
        {"company": request.user.client.name, "screenings": found},
    )


@capability_required(RESPOND_QUOTES, rule=client_user)
def quote(request, pk: int):
    """The quote's figures and the form that accepts or declines it, signed by name."""
    found = get_object_or_404(
        scope_to_client(
            request.user, Quote.objects.select_related("job__production"), "job__client"
        )
        .exclude(status="draft")
        .prefetch_related("lines"),
        pk=pk,
    )
    form = QuoteAnswerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        answered = call_service(form, services.respond_to_quote, quote=found, actor=request.user)
        if answered is not None:
            messages.success(request, f"Quote {answered.reference} {answered.status}")
            return redirect("portal:home")
    return render(
        request,
        "portal/quote.html",
        {"quote": found, "form": form},
        status=422 if request.method == "POST" else 200,
    )


@capability_required(VIEW_BOARD, rule=client_user)
def request_booking(request):
    return form_page(
        request,
        BookingRequestForm(request.POST or None, user=request.user),
        services.request_booking,
        done=lambda made: ("Request sent to the bookings office", reverse("portal:home")),
        title="Request a booking",
        cancel_url=reverse("portal:home"),
        actor=request.user,
    )


@capability_required(VIEW_BOARD)
def change_password(request):
    """Django's own checks of the old password and the new one; the write is core's."""
    form = PasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = set_user_password(
                request.user, password=form.cleaned_data["new_password1"], actor=request.user
            )
        except DomainError as exc:
            add_refusal(form, exc)
        else:
            update_session_auth_hash(request, user)
            messages.success(request, "Password changed")
            return redirect("home")
    return render(
        request,
        "web/form.html",
        {"form": form, "title": "Change your password", "cancel_url": reverse("home")},
    )


@capability_required(CHANGE_BOOKINGS, internal=True)
def requests(request):
    """Open booking requests: place each as a pencil made on the board, or decline it."""
    return render(request, "portal/requests.html", {"requests": queries.open_requests()[:100]})


@capability_required(CHANGE_BOOKINGS, internal=True)
def place(request, pk: int):
    found = get_object_or_404(BookingRequest, pk=pk)
    form = PlaceRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        booking = (
            Booking.objects.select_related("job").filter(pk=form.cleaned_data["booking"]).first()
        )
        if booking is None:
            form.add_error("booking", "No such booking")
        elif (
            call_service(
                form, lambda **_: services.place_request(found, booking=booking, actor=request.user)
            )
            is not None
        ):
            messages.success(request, f"Request {found.pk} placed as booking {booking.pk}")
            return redirect("portal:requests")
    return render(
        request,
        "web/form.html",
        {
            "form": form,
            "title": f"Place request {found.pk}: {found.what}",
            "cancel_url": reverse("portal:requests"),
        },
    )


@capability_required(CHANGE_BOOKINGS, internal=True)
def decline(request, pk: int):
    found = get_object_or_404(BookingRequest, pk=pk)
    return form_page(
        request,
        DeclineRequestForm(request.POST or None),
        lambda **data: services.decline_request(found, actor=request.user, **data),
        done=lambda r: (f"Request {r.pk} declined", reverse("portal:requests")),
        title=f"Decline request {found.pk}: {found.what}",
        cancel_url=reverse("portal:requests"),
    )
