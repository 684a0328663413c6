"""The catering pages: the orders (searchable), and a new order offering what the
contact took last time."""

from django.shortcuts import render
from django.urls import reverse

from postdesk.core.roles import RUN_FRONT_OFFICE
from postdesk.frontdesk import catering, lists
from postdesk.frontdesk.catering_forms import CateringForm
from postdesk.frontdesk.visibility import CATERING_ORDER
from postdesk.productions.models import Contact
from postdesk.web.access import capability_required
from postdesk.web.forms import call_service
from postdesk.web.listing import list_page


@capability_required(RUN_FRONT_OFFICE, internal=True)
def catering_list(request):
    context = list_page(request, catering.orders(), lists.CATERING)
    context["shows"] = CATERING_ORDER.shown(request.user)
    return render(request, "frontdesk/catering_list.html", context)


def _remembered(request):
    """The contact of `?contact=` and what they took last time, offered as the form's
    starting values."""
    raw = request.GET.get("contact", "")
    contact = (
        Contact.objects.filter(pk=int(raw)).first() if raw.isdigit() and len(raw) < 19 else None
    )
    if contact is None:
        return None, {}
    pref = catering.preferences([contact.pk]).get(contact.pk)
    initial = {"contact": contact.pk}
    if pref is not None:
        initial.update(items=pref.drinks, dietary=pref.dietary)
    return pref, initial


@capability_required(RUN_FRONT_OFFICE, internal=True)
def catering_new(request):
    from django.contrib import messages
    from django.shortcuts import redirect

    pref, initial = _remembered(request)
    form = CateringForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        order = call_service(form, catering.place_order, actor=request.user)
        if order is not None:
            messages.success(request, f"Ordered and charged to job {order.job.number}")
            return redirect(reverse("frontdesk:catering"))
    context = {
        "form": form,
        "title": "Order catering",
        "cancel_url": reverse("frontdesk:catering"),
        "remembered": pref,
    }
    return render(request, "frontdesk/catering_form.html", context)
