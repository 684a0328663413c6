"""Media QC: delivery specs kept in step with their files, checks started and cancelled,
and the states a check's runner (qc_runner.py) moves its report through."""

import datetime
import uuid
from pathlib import Path

from django.conf import settings
from django.core.files.base import File
from django.db import transaction
from django.utils import timezone

from postdesk.core import audit, jobs
from postdesk.core.errors import InvalidInput, InvalidTransition, NotFound
from postdesk.core.models import AuditEntry
from postdesk.engineering import qc_specs
from postdesk.engineering.models import DeliverySpec, QcReport
from postdesk.engineering.services.faults import _require_manage

RUN_TASK = "postdesk.engineering.tasks.run_qc"
UPLOAD_TYPES = {"mxf", "mov", "mp4", "m4v", "mkv", "wav"}
MAX_PATH = 1000
# A running report whose heartbeat is older than this has lost its worker.
STALE_AFTER = datetime.timedelta(seconds=90)
MAX_ATTEMPTS = 2


# --- specs ------------------------------------------------------------------------------


@transaction.atomic
def sync_specs(*, actor) -> dict[str, str]:
    """Take in the shipped spec files: new ones are added; a copy not edited here follows
    its file; an edited copy is left as it is. {slug: what happened}."""
    done = {}
    for body in qc_specs.shipped():
        digest = qc_specs.spec_hash(body)
        spec = DeliverySpec.objects.select_for_update().filter(slug=body["slug"]).first()
        if spec is None:
            spec = DeliverySpec.objects.create(
                slug=body["slug"],
                name=body["name"],
                version=body["version"],
                body=body,
                hash=digest,
                file_hash=digest,
            )
            audit.record_create(
                actor,
                spec,
                ("slug", "name", "version", "hash"),
                f"Delivery spec {spec.slug} from its file",
            )
            done[spec.slug] = "added"
        elif spec.file_hash == digest:
            done[spec.slug] = "edited here" if spec.edited else "unchanged"
        elif spec.edited:
            done[spec.slug] = "edited here; file not taken in"
        else:
            before = audit.snapshot(spec, ("name", "version", "hash"))
            spec.name, spec.version, spec.body = body["name"], body["version"], body
            spec.hash = spec.file_hash = digest
            spec.save()
            audit.record_update(actor, spec, before, f"Delivery spec {spec.slug} from its file")
            done[spec.slug] = "updated from its file"
    return done


@transaction.atomic
def update_spec(spec, *, actor, body: object) -> DeliverySpec:
    """Replace the spec's body with an edited one (same slug), validated and re-hashed."""
    _require_manage(actor)
    spec = DeliverySpec.objects.select_for_update().get(pk=getattr(spec, "pk", spec))
    checked = qc_specs.validated(body)
    if checked["slug"] != spec.slug:
        raise InvalidInput.field("body.slug", f"The slug stays {spec.slug}")
    before = audit.snapshot(spec, ("name", "version", "hash"))
    spec.name, spec.version, spec.body = checked["name"], checked["version"], checked
    spec.hash = qc_specs.spec_hash(checked)
    spec.save()
    audit.record_update(actor, spec, before, f"Delivery spec {spec.slug} edited")
    return spec


# --- starting and cancelling ---------------------------------------------------------------


def media_root() -> Path:
    return Path(settings.QC_MEDIA_ROOT).resolve()


def resolve_media_path(relative: object) -> Path:
    """The file `relative` names under the media root, symlinks followed; InvalidInput if
    it is not a file there (missing, a folder, or anywhere outside the root)."""
    if not isinstance(relative, str) or not relative.strip() or len(relative) > MAX_PATH:
        raise InvalidInput.field("path", f"A path under the media root, 1-{MAX_PATH} characters")
    if "\x00" in relative:
        raise InvalidInput.field("path", "A path has no NUL characters")
    root = media_root()
    try:
        found = (root / relative).resolve(strict=True)
    except (RuntimeError, OSError, ValueError):  # missing, a loop, a name the OS refuses
        raise InvalidInput.field("path", "No such file under the media root") from None
    if not found.is_relative_to(root):
        raise InvalidInput.field("path", "That path leads outside the media root")
    if not found.is_file():
        raise InvalidInput.field("path", f"{relative} is not a file")
    return found


def _spec(spec) -> DeliverySpec:
    found = DeliverySpec.objects.filter(pk=getattr(spec, "pk", spec)).first()
    if found is None:
        raise InvalidInput.field("spec", f"No delivery spec with id {getattr(spec, 'pk', spec)}")
    return found


@transaction.atomic
def start_check(
    *, actor, spec, path: str | None = None, upload=None, filename: str = ""
) -> QcReport:
    """Queue a QC check of a file under the media root (`path`) or an uploaded file
    (`upload`, shown as `filename`) against `spec`; the worker runs it once this commits."""
    _require_manage(actor)
    spec = _spec(spec)
    if (path is None) == (upload is None):
        raise InvalidInput.field("path", "Give either a path under the media root or an upload")
    report = QcReport(
        spec=spec,
        spec_name=spec.name,
        spec_version=spec.version,
        spec_hash=spec.hash,
        spec_body=spec.body,
        requested_by=actor if getattr(actor, "pk", None) else None,
    )
    if path is not None:
        found = resolve_media_path(path)
        report.source = QcReport.Source.PATH
        report.path = str(found.relative_to(media_root()))
        report.filename = found.name[:255]
    else:
        name = (filename or getattr(upload, "name", "") or "").rsplit("/", 1)[-1][:255]
        extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
        if extension not in UPLOAD_TYPES:
            raise InvalidInput.field(
                "file", f"A media file ({', '.join(sorted(UPLOAD_TYPES))}), not {name or 'that'}"
            )
        if upload.size > settings.QC_UPLOAD_MAX_BYTES:
            raise InvalidInput.field(
                "file", "That file is larger than uploads may be; put it on the media root"
            )
        report.source = QcReport.Source.UPLOAD
        report.filename = name
        report.upload.save(f"{uuid.uuid4().hex}.{extension}", File(upload), save=False)
    report.save()
    audit.record_create(
        actor,
        report,
        ("spec", "spec_hash", "source", "path", "filename"),
        f"QC of {report.filename} against {spec.name}",
    )
    jobs.enqueue_on_commit(RUN_TASK, report.pk)
    return report


@transaction.atomic
def cancel_check(report, *, actor) -> QcReport:
    """Cancel a queued check at once; a running one is flagged and its runner stops ffmpeg."""
    _require_manage(actor)
    report = QcReport.objects.select_for_update().filter(pk=getattr(report, "pk", report)).first()
    if report is None:
        raise NotFound("No such QC report")
    if not report.active:
        raise InvalidTransition(f"This check is {report.get_state_display().lower()} already")
    if report.state == QcReport.State.QUEUED:
        report.state = QcReport.State.CANCELLED
        report.finished_at = timezone.now()
    report.cancel_requested = True
    report.save()
    audit.record(
        actor,
        report,
        AuditEntry.Action.TRANSITION,
        {"cancel_requested": [False, True]},
        f"QC of {report.filename} cancelled",
    )
    return report


# --- the runner's states ------------------------------------------------------------------


@transaction.atomic
def claim(report_id: int) -> QcReport | None:
    """Queued -> running for the worker; None if there is nothing to run (cancelled,
    finished, or gone)."""
    report = (
        QcReport.objects.select_for_update()
        .filter(pk=report_id, state=QcReport.State.QUEUED)
        .first()
    )
    if report is None:
        return None
    now = timezone.now()
    report.state, report.started_at, report.heartbeat = QcReport.State.RUNNING, now, now
    report.attempts += 1
    report.progress = 0
    report.save()
    return report


def record_progress(report_id: int, fraction: float) -> bool:
    """Store the progress (and the heartbeat); True while the check may go on."""
    fraction = min(max(fraction, 0.0), 1.0)
    QcReport.objects.filter(pk=report_id, state=QcReport.State.RUNNING).update(
        progress=fraction, heartbeat=timezone.now()
    )
    return not QcReport.objects.filter(pk=report_id, cancel_requested=True).exists()


@transaction.atomic
def finish(
    report_id: int,
    *,
    state: str,
    verdict: str = "",
    checks=None,
    facts=None,
    ffmpeg_version: str = "",
    error: str = "",
) -> QcReport:
    report = QcReport.objects.select_for_update().get(pk=report_id)
    before = audit.snapshot(report, ("state", "verdict"))
    report.state, report.verdict = state, verdict
    report.checks, report.facts = checks or [], facts or {}
    report.ffmpeg_version, report.error = ffmpeg_version[:200], error[:2000]
    report.duration_s = (facts or {}).get("duration_s")
    report.frame_rate = ((facts or {}).get("video") or {}).get("frame_rate", "")[:20]
    report.progress = 1.0 if state == QcReport.State.DONE else report.progress
    report.finished_at = timezone.now()
    report.save()
    summary = f"QC of {report.filename}: " + (verdict or state)
    audit.record(
        audit.WORKER,
        report,
        AuditEntry.Action.TRANSITION,
        audit.diff(before, audit.snapshot(report, ("state", "verdict"))),
        summary,
    )
    return report


@transaction.atomic
def recover_lost(*, now: datetime.datetime | None = None) -> tuple[int, int]:
    """Running reports whose worker died (heartbeat stale): queued again and re-enqueued,
    or marked as errors after MAX_ATTEMPTS. (requeued, failed)."""
    now = now or timezone.now()
    lost = QcReport.objects.select_for_update().filter(
        state=QcReport.State.RUNNING, heartbeat__lt=now - STALE_AFTER
    )
    requeued = failed = 0
    for report in lost:
        if report.cancel_requested or report.attempts >= MAX_ATTEMPTS:
            cancelled = report.cancel_requested
            report.state = QcReport.State.CANCELLED if cancelled else QcReport.State.ERROR
            report.error = (
                ""
                if cancelled
                else (f"The worker stopped while checking, {report.attempts} time(s); not retried")
            )
            report.finished_at = now
            failed += 1
        else:
            report.state, report.progress = QcReport.State.QUEUED, 0
            jobs.enqueue_on_commit(RUN_TASK, report.pk)
            requeued += 1
        report.save()
        audit.record(
            audit.WORKER,
            report,
            AuditEntry.Action.TRANSITION,
            {"state": ["running", report.state]},
            f"QC of {report.filename}: worker lost, {report.state}",
        )
    return requeued + _enqueue_lost_queued(now), failed


def _enqueue_lost_queued(now: datetime.datetime) -> int:
    """Queued checks whose task is not waiting in the queue (its enqueue failed after the
    commit, or the queue was restored without it): enqueued again. How many."""
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    waiting = {
        (row.get("args") or [None])[0]
        for row in DBTaskResult.objects.filter(
            task_path=RUN_TASK,
            status__in=(TaskResultStatus.READY, TaskResultStatus.RUNNING),
        ).values_list("args_kwargs", flat=True)
    }
    lost = QcReport.objects.filter(
        state=QcReport.State.QUEUED, created_at__lt=now - STALE_AFTER
    ).exclude(pk__in=[pk for pk in waiting if isinstance(pk, int)])
    count = 0
    for pk in lost.values_list("pk", flat=True):
        jobs.enqueue_on_commit(RUN_TASK, pk)
        count += 1
    return count
