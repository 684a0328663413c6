"""The reports page (charts drawn in the browser), and each report as CSV and PNG."""

from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import render

from postdesk.core.errors import DomainError
from postdesk.core.roles import VIEW_MONEY
from postdesk.web.access import capability_required

from . import images, queries
from .forms import ReportForm


def _params(request):
    form = ReportForm(request.GET or None)
    if request.GET and not form.is_valid():
        return form, None
    if not request.GET:
        form = ReportForm({})
        form.is_valid()
    return form, form.params()


@capability_required(VIEW_MONEY, internal=True)
def index(request):
    form, params = _params(request)
    sections = []
    if params is not None:
        query = request.GET.urlencode()
        for name in queries.REPORTS:
            data, chart = queries.report(name, params)
            sections.append(
                {
                    "name": name,
                    "title": queries.TITLES[name],
                    "data": data,
                    "chart": chart,
                    "chart_id": f"chart-{name}",
                    "query": query,
                }
            )
    return render(
        request,
        "reports/index.html",
        {"form": form, "sections": sections, "params": params},
        status=200 if params is not None else 400,
    )


def _download(request, name: str, build):
    form, params = _params(request)
    if params is None:
        reasons = "; ".join(f"{f}: {' '.join(e)}" for f, e in form.errors.items())
        return HttpResponseBadRequest(f"Invalid report query: {reasons}", content_type="text/plain")
    try:
        data, chart = queries.report(name, params)
    except DomainError as exc:
        return HttpResponseBadRequest(exc.message, content_type="text/plain")
    return build(data, chart, params)


@capability_required(VIEW_MONEY, internal=True)
def csv(request, name: str):
    def build(data, chart, params):
        response = HttpResponse(
            queries.csv_text(name, data), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="{name}-{params.start:%Y-%m}.csv"'
        return response

    return _download(request, name, build)


@capability_required(VIEW_MONEY, internal=True)
def png(request, name: str):
    def build(data, chart, params):
        response = HttpResponse(images.png(chart), content_type="image/png")
        response["Content-Disposition"] = f'inline; filename="{name}-{params.start:%Y-%m}.png"'
        return response

    return _download(request, name, build)
