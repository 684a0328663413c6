"""The job page's billing step: "Invoice this job" (billing.invoicing.invoice_job)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from postdesk.billing import invoicing
from postdesk.core.errors import DomainError
from postdesk.core.roles import CHANGE_MONEY, can, scope_to_client


@login_required
@require_POST
def job_invoice(request, pk):
    from postdesk.productions.models import Job

    if not can(request.user, CHANGE_MONEY):
        raise PermissionDenied(f"Your role may not do this (needs {CHANGE_MONEY})")
    job = scope_to_client(request.user, Job.objects.all(), "client").filter(pk=pk).first()
    if job is None:
        raise Http404("No such job")
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
