"""Runs one QC check for the worker: probe, the one decode pass with progress and
cancel, then the report. Every outcome ends the report in a final state."""

import contextlib
import shutil
import tempfile
import time
from pathlib import Path

from postdesk.core.errors import DomainError
from postdesk.engineering import qc_checks, qc_media
from postdesk.engineering.models import QcReport
from postdesk.engineering.services import qc as qc_services

PROGRESS_EVERY_S = 1.0  # progress (and the cancel flag) go through the database this often


@contextlib.contextmanager
def local_file(report: QcReport):
    """A path ffmpeg can open: the media-root file (checked again: it may have become a
    symlink since), the upload in place, or a temporary copy from a remote storage."""
    if report.source == QcReport.Source.PATH:
        yield qc_services.resolve_media_path(report.path)
        return
    try:
        yield Path(report.upload.path)
        return
    except NotImplementedError:
        pass
    suffix = Path(report.upload.name).suffix
    with tempfile.NamedTemporaryFile(suffix=suffix) as copy:
        with report.upload.open("rb") as source:
            shutil.copyfileobj(source, copy)
        copy.flush()
        yield Path(copy.name)


def run_report(report_id: int) -> str:
    report = qc_services.claim(report_id)
    if report is None:
        return f"QC report {report_id}: nothing to run"
    last = [0.0]

    def tick(fraction: float) -> bool:
        now = time.monotonic()
        if now - last[0] < PROGRESS_EVERY_S:
            return True
        last[0] = now
        return qc_services.record_progress(report_id, fraction)

    spec = report.spec_body
    try:
        version = qc_media.ffmpeg_version()
        with local_file(report) as path:
            data = qc_media.probe(path)
            facts = qc_checks.facts(data)
            measured = qc_media.analyse(
                path, data, spec["detect"], duration=facts["duration_s"], on_progress=tick
            )
        checks = qc_checks.evaluate(spec, facts, measured)
    except qc_media.Cancelled:
        qc_services.finish(report_id, state=QcReport.State.CANCELLED)
        return f"QC report {report_id}: cancelled"
    except (qc_media.MediaError, DomainError, OSError) as exc:
        message = getattr(exc, "message", None) or str(exc)
        qc_services.finish(report_id, state=QcReport.State.ERROR, error=message)
        return f"QC report {report_id}: error: {message}"
    verdict = qc_checks.verdict(checks)
    qc_services.finish(
        report_id,
        state=QcReport.State.DONE,
        verdict=verdict,
        checks=checks,
        facts={**facts, "measured": measured.__dict__},
        ffmpeg_version=version,
    )
    return f"QC report {report_id}: {verdict}"
