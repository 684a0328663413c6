from django.contrib import messages
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache

from postdesk.core import facility
from postdesk.core.errors import DomainError
from postdesk.core.forms import FacilitySettingsForm
from postdesk.core.roles import MANAGE_USERS
from postdesk.web.access import capability_required
from postdesk.web.forms import add_refusal


@never_cache
def healthz(request):
    """For load balancers: 200 when the database answers, 503 when it does not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any database failure means "not healthy", never a 500
        return JsonResponse({"status": "unavailable", "database": str(exc)[:200]}, status=503)
    return JsonResponse({"status": "ok", "database": connection.vendor})


@capability_required(MANAGE_USERS)
def facility_settings(request):
    """The facility's business details (letterhead, VAT, bank, terms): administrators only."""
    row = facility.current()
    posted = request.method == "POST"
    form = FacilitySettingsForm(
        request.POST if posted else None, request.FILES if posted else None, instance=row
    )
    if posted and form.is_valid():
        try:
            facility.update_facility_settings(actor=request.user, **form.changes())
        except DomainError as exc:
            add_refusal(form, exc)
        else:
            messages.success(request, "Saved the facility's details.")
            return redirect("facility-settings")
    return render(
        request,
        "core/facility_settings.html",
        {
            "form": form,
            "title": "Facility details",
            "logo": facility.logo_data_uri(facility.current()),
        },
        status=200 if not posted or form.is_valid() else 422,
    )
