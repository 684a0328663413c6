"""The job page's billing step: "Invoice this job" (billing.invoicing.invoice_job)."""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from postdesk.billing import invoicing
from postdesk.billing.views.common import scoped
from postdesk.core.errors import DomainError
from postdesk.core.roles import CHANGE_MONEY
from postdesk.productions.models import Job
from postdesk.web.access import capability_required


@capability_required(CHANGE_MONEY)
@require_POST
def job_invoice(request, pk):
    job = scoped(request, Job.objects.all(), pk, "client")
    back = reverse("job-detail", args=[job.pk]) + "#job-billing"
    try:
        result = invoicing.invoice_job(job, actor=request.user)
    except DomainError as exc:
        messages.error(request, f"Nothing was changed: {exc.message}")
        return redirect(back)
    if not result.did_something:
        messages.info(request, result.message)
        return redirect(back)
    messages.success(request, result.message)
    if result.invoice is not None:
        return redirect("billing:invoice", result.invoice.pk)
    return redirect(back)
