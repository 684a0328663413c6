"""Media QC pages: the list (with checks running), starting a check, a report (page, PDF,
JSON), cancelling after confirming, and the delivery specs. As thin as the API."""

from django.contrib import messages
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from postdesk.core.errors import DomainError
from postdesk.core.roles import MANAGE_ENGINEERING, VIEW_ENGINEERING, can
from postdesk.engineering import lists, qc_documents, qc_media, queries, services
from postdesk.engineering.models import DeliverySpec, QcReport
from postdesk.engineering.qc_forms import SpecForm, StartCheckForm
from postdesk.web.access import capability_required
from postdesk.web.confirm import confirm_action
from postdesk.web.forms import add_refusal
from postdesk.web.listing import list_page


@capability_required(VIEW_ENGINEERING)
def qc_list(request):
    context = list_page(request, queries.qc_reports(), lists.QC_REPORTS)
    context["running"] = list(queries.qc_running())
    context["can_manage"] = can(request.user, MANAGE_ENGINEERING)
    context["tools"] = qc_media.tools_available()
    return render(request, "engineering/qc_list.html", context)


@capability_required(MANAGE_ENGINEERING)
def qc_new(request):
    form = StartCheckForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            report = services.start_check(
                actor=request.user,
                spec=form.cleaned_data["spec"],
                path=form.cleaned_data["path"] or None,
                upload=upload,
                filename=getattr(upload, "name", ""),
            )
        except DomainError as exc:
            add_refusal(form, exc)
        else:
            messages.success(request, f"Checking {report.filename} against {report.spec_name}.")
            return redirect("engineering:qc_report", report.pk)
    return render(
        request,
        "engineering/qc_new.html",
        {"form": form, "tools": qc_media.tools_available()},
        status=422 if form.errors else 200,
    )


def _report(pk: int) -> QcReport:
    return get_object_or_404(queries.qc_reports(), pk=pk)


@capability_required(VIEW_ENGINEERING)
def qc_report(request, pk: int):
    report = _report(pk)
    return render(
        request,
        "engineering/qc_report.html",
        {"report": report, "can_manage": can(request.user, MANAGE_ENGINEERING)},
    )


@capability_required(VIEW_ENGINEERING)
def qc_progress(request, pk: int):
    """The report's progress line, polled by the report and list pages while it runs;
    once the check has ended, the polling page reloads to show the outcome."""
    report = _report(pk)
    response = render(request, "engineering/_qc_progress.html", {"report": report})
    if not report.active and request.headers.get("HX-Request"):
        response["HX-Refresh"] = "true"
    return response


@capability_required(VIEW_ENGINEERING)
def qc_json(request, pk: int):
    report = _report(pk)
    response = JsonResponse(qc_documents.report_data(report), json_dumps_params={"indent": 2})
    name = qc_documents.report_filename(report, "json")
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response


@capability_required(VIEW_ENGINEERING)
def qc_pdf(request, pk: int):
    report = _report(pk)
    response = HttpResponse(qc_documents.report_pdf(report), content_type="application/pdf")
    name = qc_documents.report_filename(report, "pdf")
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response


@capability_required(MANAGE_ENGINEERING)
def qc_cancel(request, pk: int):
    report = _report(pk)
    url = reverse("engineering:qc_report", args=[pk])
    return confirm_action(
        request,
        act=lambda: services.cancel_check(report, actor=request.user),
        done_url=url,
        done_message=f"Cancelled the check of {report.filename}.",
        title=f"Cancel the check of {report.filename}?",
        explain="ffmpeg is stopped and the check ends without a verdict; start a new check "
        "to run it again.",
        button="Cancel the check",
        cancel_url=url,
    )


@capability_required(VIEW_ENGINEERING)
def spec_list(request):
    return render(
        request,
        "engineering/qc_specs.html",
        {
            "specs": DeliverySpec.objects.all(),
            "can_manage": can(request.user, MANAGE_ENGINEERING),
        },
    )


@require_POST
@capability_required(MANAGE_ENGINEERING)
def spec_sync(request):
    done = services.sync_specs(actor=request.user)
    messages.success(request, "; ".join(f"{slug}: {what}" for slug, what in done.items()))
    return redirect("engineering:qc_specs")


@capability_required(MANAGE_ENGINEERING)
def spec_edit(request, pk: int):
    spec = get_object_or_404(DeliverySpec, pk=pk)
    form = SpecForm(request.POST or None, initial={"body": spec.body})
    if request.method == "POST" and form.is_valid():
        try:
            services.update_spec(spec, actor=request.user, body=form.cleaned_data["body"])
        except DomainError as exc:
            add_refusal(form, exc)
        else:
            messages.success(request, f"Saved {spec.name}.")
            return redirect("engineering:qc_specs")
    return render(
        request,
        "engineering/qc_spec_edit.html",
        {"form": form, "spec": spec},
        status=422 if form.errors else 200,
    )
