"""A QC report as the documents it is handed out as: a plain dict (the JSON of the page
and the API) and a PDF (WeasyPrint, like billing's and the library's documents)."""

from django.template.loader import render_to_string
from django.utils import timezone

from postdesk.core import facility
from postdesk.engineering.models import QcReport


def _at(value):
    return value.isoformat() if value else None


def report_data(report: QcReport) -> dict:
    """Everything the report says, JSON-safe; the same for the page's JSON and the API."""
    return {
        "id": report.pk,
        "filename": report.filename,
        "source": report.source,
        "path": report.path,
        "spec": {
            "id": report.spec_id,
            "name": report.spec_name,
            "version": report.spec_version,
            "hash": report.spec_hash,
        },
        "state": report.state,
        "verdict": report.verdict or None,
        "progress": round(report.progress, 4),
        "cancel_requested": report.cancel_requested,
        "ffmpeg_version": report.ffmpeg_version,
        "duration_s": report.duration_s,
        "frame_rate": report.frame_rate,
        "checks": report.checks,
        "facts": {k: v for k, v in report.facts.items() if k != "measured"},
        "measured": report.facts.get("measured"),
        "error": report.error,
        "requested_by": report.requested_by.display_name if report.requested_by else None,
        "created_at": _at(report.created_at),
        "started_at": _at(report.started_at),
        "finished_at": _at(report.finished_at),
    }


def report_filename(report: QcReport, extension: str) -> str:
    return f"qc-report-{report.pk}.{extension}"


def report_pdf(report: QcReport) -> bytes:
    from weasyprint import HTML

    settings = facility.current()
    html = render_to_string(
        "engineering/pdf/qc_report.html",
        {
            "report": report,
            "facility": settings,
            "logo": facility.logo_data_uri(settings),
            "finished": timezone.localtime(report.finished_at) if report.finished_at else None,
        },
    )
    return HTML(string=html).write_pdf()
