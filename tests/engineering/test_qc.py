"""Media QC: specs from their files and edited here, checks started from a path under the
media root (never outside it) or an upload, run by the worker's task with progress and
cancel, and the report's verdicts."""

import hashlib
import json
import subprocess

import pytest
from django_tasks_db.models import DBTaskResult

from postdesk.core.errors import Forbidden, InvalidInput, InvalidTransition
from postdesk.core.models import AuditEntry
from postdesk.engineering import qc_media, qc_runner, qc_specs, services
from postdesk.engineering.models import DeliverySpec, QcReport
from postdesk.engineering.qc_generate import Media, generate
from postdesk.engineering.services import qc as qc_services
from postdesk.engineering.tasks import recover_lost_qc_now

needs_ffmpeg = pytest.mark.skipif(not qc_media.tools_available(), reason="ffmpeg not installed")


@pytest.fixture
def media_root(tmp_path, settings):
    root = tmp_path / "media-root"
    root.mkdir()
    settings.QC_MEDIA_ROOT = root
    settings.MEDIA_ROOT = tmp_path / "uploads"
    return root


@pytest.fixture
def engineer(make_user):
    return make_user("engineer")


@pytest.fixture
def small_spec(engineer):
    """The house mezzanine, edited here to take any picture size (so that tests can use
    small pictures) and short faults."""
    spec = DeliverySpec.objects.get(slug="house-prores-mezzanine")
    body = json.loads(json.dumps(spec.body))
    body["video"]["sizes"] = []
    body["video"]["display_aspect"] = None
    body["detect"].update(black_min_s=0.5, freeze_min_s=0.5, silence_min_s=0.5)
    return services.update_spec(spec, actor=engineer, body=body)


# --- specs --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_three_shipped_specs_are_in_the_database_with_their_file_hashes():
    files = {b["slug"]: b for b in qc_specs.shipped()}

    specs = {s.slug: s for s in DeliverySpec.objects.all()}

    assert set(specs) == {"dpp-as11-hd", "streamer-master", "house-prores-mezzanine"}
    for slug, spec in specs.items():
        assert spec.body == files[slug]
        assert spec.hash == spec.file_hash == qc_specs.spec_hash(files[slug])
        assert not spec.edited
    as11 = specs["dpp-as11-hd"].body
    assert as11["container"] == {"formats": ["mxf"], "operational_pattern": "OP1a", "brands": []}
    assert as11["video"]["sizes"] == ["1920x1080"] and as11["video"]["scan"] == "interlaced"
    assert as11["loudness"] == {
        "integrated": -23.0,
        "tolerance": 1.0,
        "true_peak_max": -1.0,
        "gating": "programme",
    }
    streamer = specs["streamer-master"].body
    assert streamer["loudness"] == {
        "integrated": -27.0,
        "tolerance": 2.0,
        "true_peak_max": -2.0,
        "gating": "dialogue",
    }
    assert streamer["video"]["profiles"] == ["HQ"]


def test_the_hash_is_sha256_of_the_canonical_json():
    body = {"b": 1, "a": [1, "é"]}

    assert qc_specs.spec_hash(body) == hashlib.sha256('{"a":[1,"é"],"b":1}'.encode()).hexdigest()


@pytest.mark.django_db
def test_an_edited_spec_gets_a_new_hash_and_a_newer_file_leaves_it_alone(engineer, monkeypatch):
    spec = DeliverySpec.objects.get(slug="streamer-master")
    body = json.loads(json.dumps(spec.body))
    body["loudness"]["tolerance"] = 1.0

    edited = services.update_spec(spec, actor=engineer, body=body)

    assert edited.hash == qc_specs.spec_hash(body) != edited.file_hash
    assert edited.edited
    newer = [dict(b, version=b["version"] + 1) for b in qc_specs.shipped()]
    monkeypatch.setattr(qc_specs, "shipped", lambda: newer)
    done = services.sync_specs(actor=engineer)
    assert done == {
        "dpp-as11-hd": "updated from its file",
        "house-prores-mezzanine": "updated from its file",
        "streamer-master": "edited here; file not taken in",
    }
    assert DeliverySpec.objects.get(slug="streamer-master").body["loudness"]["tolerance"] == 1.0
    assert DeliverySpec.objects.get(slug="dpp-as11-hd").version == 2


@pytest.mark.django_db
@pytest.mark.parametrize(
    "change, field",
    [
        (lambda b: b["loudness"].update(tolerance=-1), "body.loudness.tolerance"),
        (lambda b: b["video"].update(frame_rates=["26"]), "body.video.frame_rates.0"),
        (lambda b: b.update(slug="other"), "body.slug"),
        (lambda b: b.update(extra=1), "body.extra"),
        (lambda b: b["video"].update(scan="sideways"), "body.video.scan"),
        (lambda b: b.update(description="a\x00b"), "body"),
    ],
)
def test_a_bad_spec_edit_is_refused_and_changes_nothing(engineer, change, field):
    spec = DeliverySpec.objects.get(slug="dpp-as11-hd")
    body = json.loads(json.dumps(spec.body))
    change(body)

    with pytest.raises(InvalidInput) as refused:
        services.update_spec(spec, actor=engineer, body=body)

    assert list(refused.value.details["fields"]) == [field]
    assert DeliverySpec.objects.get(pk=spec.pk).hash == spec.hash


@pytest.mark.django_db
def test_only_engineers_edit_specs_and_start_checks(make_user, media_root):
    bookings = make_user("bookings")
    spec = DeliverySpec.objects.get(slug="dpp-as11-hd")
    (media_root / "a.mov").write_bytes(b"x")

    with pytest.raises(Forbidden):
        services.update_spec(spec, actor=bookings, body=spec.body)
    with pytest.raises(Forbidden):
        services.start_check(actor=bookings, spec=spec, path="a.mov")
    assert QcReport.objects.count() == 0


# --- where files may come from ----------------------------------------------------------


@pytest.mark.django_db
def test_a_path_under_the_media_root_is_queued_and_enqueued_on_commit(
    engineer, media_root, django_capture_on_commit_callbacks
):
    (media_root / "show").mkdir()
    (media_root / "show" / "ep1.mov").write_bytes(b"x")
    spec = DeliverySpec.objects.get(slug="streamer-master")

    with django_capture_on_commit_callbacks(execute=True):
        report = services.start_check(actor=engineer, spec=spec, path="show/ep1.mov")

    assert (report.state, report.source, report.path, report.filename) == (
        "queued",
        "path",
        "show/ep1.mov",
        "ep1.mov",
    )
    assert (report.spec_hash, report.spec_version, report.spec_body) == (
        spec.hash,
        spec.version,
        spec.body,
    )
    task = DBTaskResult.objects.get(task_path="postdesk.engineering.tasks.run_qc")
    assert task.args_kwargs["args"] == [report.pk]
    assert AuditEntry.objects.filter(object_type="engineering.qcreport").count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path, reason",
    [
        ("../outside.mov", "That path leads outside the media root"),
        ("link-out.mov", "That path leads outside the media root"),
        ("ABSOLUTE", "That path leads outside the media root"),
        ("missing.mov", "No such file under the media root"),
        ("folder", "folder is not a file"),
        ("a\x00b", "A path has no NUL characters"),
        ("bad\ud800.mov", "No such file under the media root"),
        ("", "A path under the media root, 1-1000 characters"),
    ],
)
def test_paths_outside_the_media_root_are_refused(engineer, media_root, path, reason):
    outside = media_root.parent / "outside.mov"
    outside.write_bytes(b"x")
    (media_root / "link-out.mov").symlink_to(outside)
    (media_root / "folder").mkdir()
    path = str(outside) if path == "ABSOLUTE" else path
    spec = DeliverySpec.objects.get(slug="streamer-master")

    with pytest.raises(InvalidInput) as refused:
        services.start_check(actor=engineer, spec=spec, path=path)

    assert refused.value.message == reason
    assert QcReport.objects.count() == 0


@pytest.mark.django_db
def test_a_symlink_inside_the_root_is_followed(engineer, media_root):
    (media_root / "real.mov").write_bytes(b"x")
    (media_root / "alias.mov").symlink_to(media_root / "real.mov")

    report = services.start_check(
        actor=engineer, spec=DeliverySpec.objects.first(), path="alias.mov"
    )

    assert report.path == "real.mov"


@pytest.mark.django_db
def test_an_upload_is_stored_under_a_made_up_name(engineer, media_root):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("../../My Show.MOV", b"data", content_type="video/quicktime")

    report = services.start_check(
        actor=engineer, spec=DeliverySpec.objects.first(), upload=upload, filename=upload.name
    )

    assert report.filename == "My Show.MOV"
    assert report.upload.name.startswith("engineering/qc/") and report.upload.name.endswith(".mov")
    assert "My Show" not in report.upload.name
    with pytest.raises(InvalidInput) as refused:
        services.start_check(
            actor=engineer,
            spec=DeliverySpec.objects.first(),
            upload=SimpleUploadedFile("notes.txt", b"x"),
            filename="notes.txt",
        )
    assert refused.value.message == "A media file (m4v, mkv, mov, mp4, mxf, wav), not notes.txt"


# --- running ----------------------------------------------------------------------------


def by_key(report: QcReport) -> dict:
    return {c["key"]: c for c in report.checks}


@needs_ffmpeg
@pytest.mark.django_db
def test_a_clean_file_passes_and_the_report_keeps_the_ffmpeg_version_and_spec_hash(
    engineer, media_root, small_spec
):
    generate(media_root / "clean.mov", Media(seconds=3, size="160x90"))
    report = services.start_check(actor=engineer, spec=small_spec, path="clean.mov")

    outcome = qc_runner.run_report(report.pk)

    report.refresh_from_db()
    assert outcome == f"QC report {report.pk}: pass"
    assert (report.state, report.verdict, report.progress) == ("done", "pass", 1.0)
    assert report.ffmpeg_version == qc_media.ffmpeg_version()
    assert report.ffmpeg_version.startswith("ffmpeg version ")
    assert report.spec_hash == small_spec.hash
    checks = by_key(report)
    assert {c["verdict"] for c in report.checks} == {"pass"}
    assert checks["loudness"]["measured"] == "-23.0 LUFS"
    assert checks["loudness"]["limit"] == "-23.0 LUFS ±1 LU"
    assert checks["true_peak"]["limit"] == "≤ -1.0 dBTP"
    assert checks["frame_rate"]["measured"] == "25"
    assert report.facts["video"]["size"] == "160x90"
    assert report.duration_s == 3.0


@needs_ffmpeg
@pytest.mark.django_db
def test_faults_warn_with_their_timecodes_and_loudness_out_of_tolerance_fails(
    engineer, media_root, small_spec
):
    generate(media_root / "warn.mov", Media(seconds=4, size="160x90", black=(25, 49)))
    generate(media_root / "loud.mov", Media(seconds=3, size="160x90", level_db=-0.5))
    warn = services.start_check(actor=engineer, spec=small_spec, path="warn.mov")
    loud = services.start_check(actor=engineer, spec=small_spec, path="loud.mov")

    qc_runner.run_report(warn.pk)
    qc_runner.run_report(loud.pk)

    warn.refresh_from_db()
    loud.refresh_from_db()
    assert warn.verdict == "warn"
    black = by_key(warn)["black"]
    assert (black["verdict"], black["measured"]) == ("warn", "00:00:01:00–00:00:02:00")
    assert black["limit"] == "none of 0.5 s or longer"
    assert loud.verdict == "fail"
    assert by_key(loud)["loudness"]["verdict"] == "fail"
    assert by_key(loud)["loudness"]["measured"] == "-0.5 LUFS"
    assert by_key(loud)["true_peak"]["verdict"] == "fail"
    assert by_key(loud)["true_peak"]["measured"] == "-0.5 dBTP"


@needs_ffmpeg
@pytest.mark.django_db
def test_the_streamer_spec_says_programme_gated_and_fails_a_small_mezzanine(engineer, media_root):
    generate(media_root / "prores.mov", Media(seconds=2, size="160x90", codec="prores"))
    spec = DeliverySpec.objects.get(slug="streamer-master")
    report = services.start_check(actor=engineer, spec=spec, path="prores.mov")

    qc_runner.run_report(report.pk)

    report.refresh_from_db()
    checks = by_key(report)
    assert checks["gating"]["measured"] == "programme-gated"
    assert checks["gating"]["limit"] == "dialogue-gated"
    assert checks["gating"]["verdict"] == "warn"
    assert checks["video_profile"] == {
        "key": "video_profile",
        "label": "Codec profile",
        "measured": "Standard",
        "limit": "HQ",
        "verdict": "fail",
        "note": "",
    }
    assert checks["size"]["verdict"] == "fail"
    assert checks["loudness"]["verdict"] == "fail"  # -23 is 4 LU from -27
    assert report.verdict == "fail"


@needs_ffmpeg
@pytest.mark.django_db
def test_an_as11_file_passes_the_dpp_spec(engineer, media_root):
    generate(
        media_root / "as11.mxf",
        Media(seconds=1, size="1920x1080", codec="avc_intra_100", interlaced=True, mono_tracks=4),
    )
    spec = DeliverySpec.objects.get(slug="dpp-as11-hd")
    report = services.start_check(actor=engineer, spec=spec, path="as11.mxf")

    qc_runner.run_report(report.pk)

    report.refresh_from_db()
    assert {c["key"]: c["verdict"] for c in report.checks if c["verdict"] != "pass"} == {}
    checks = by_key(report)
    assert checks["operational_pattern"]["measured"] == "OP1a"
    assert checks["video_profile"]["measured"] == "High 4:2:2 Intra"
    assert checks["scan"]["measured"] == "interlaced"
    assert checks["track_layout"]["measured"] == "4 track(s), 1+1+1+1 channel(s)"
    assert report.verdict == "pass"


@needs_ffmpeg
@pytest.mark.django_db
def test_an_unreadable_file_ends_in_error(engineer, media_root, small_spec):
    (media_root / "junk.mov").write_bytes(b"not a movie at all")
    report = services.start_check(actor=engineer, spec=small_spec, path="junk.mov")

    qc_runner.run_report(report.pk)

    report.refresh_from_db()
    assert (report.state, report.verdict) == ("error", "")
    assert report.error.startswith("ffprobe could not read the file: ")


@needs_ffmpeg
@pytest.mark.django_db
def test_cancelling_a_running_check_kills_ffmpeg(engineer, media_root, small_spec, monkeypatch):
    # Big enough pictures that ffmpeg is still decoding when its first progress arrives
    # (0.5 s in); cheap to make (MPEG-2).
    generate(media_root / "long.mkv", Media(seconds=20, size="1280x720", codec="mpeg2"))
    report = services.start_check(actor=engineer, spec=small_spec, path="long.mkv")
    started = []
    real_popen, real_progress = subprocess.Popen, qc_services.record_progress

    def popen(*args, **kwargs):
        started.append(real_popen(*args, **kwargs))
        return started[-1]

    def progress(report_id, fraction):
        # The engineer presses Cancel while the pass runs.
        services.cancel_check(report_id, actor=engineer)
        return real_progress(report_id, fraction)

    monkeypatch.setattr(qc_media.subprocess, "Popen", popen)
    monkeypatch.setattr(qc_services, "record_progress", progress)
    monkeypatch.setattr(qc_runner, "PROGRESS_EVERY_S", 0)

    outcome = qc_runner.run_report(report.pk)

    report.refresh_from_db()
    assert outcome == f"QC report {report.pk}: cancelled"
    assert (report.state, report.verdict, report.checks) == ("cancelled", "", [])
    passes = [p for p in started if "-filter_complex" in p.args]
    assert len(passes) == 1 and passes[0].returncode == -9
    with pytest.raises(InvalidTransition):
        services.cancel_check(report, actor=engineer)


@pytest.mark.django_db
def test_a_queued_check_is_cancelled_at_once_and_never_runs(engineer, media_root):
    (media_root / "a.mov").write_bytes(b"x")
    report = services.start_check(actor=engineer, spec=DeliverySpec.objects.first(), path="a.mov")

    services.cancel_check(report, actor=engineer)

    report.refresh_from_db()
    assert (report.state, report.cancel_requested) == ("cancelled", True)
    assert qc_runner.run_report(report.pk) == f"QC report {report.pk}: nothing to run"


@pytest.mark.django_db
def test_the_start_up_sweep_requeues_a_check_whose_worker_died_then_gives_up(
    engineer, media_root, django_capture_on_commit_callbacks
):
    import datetime

    from django.utils import timezone

    (media_root / "a.mov").write_bytes(b"x")
    report = services.start_check(actor=engineer, spec=DeliverySpec.objects.first(), path="a.mov")
    fresh = services.start_check(actor=engineer, spec=DeliverySpec.objects.first(), path="a.mov")
    old = timezone.now() - datetime.timedelta(minutes=5)
    qc_services.claim(report.pk)
    qc_services.claim(fresh.pk)  # its worker is alive: heartbeat just now
    QcReport.objects.filter(pk=report.pk).update(heartbeat=old, progress=0.4)

    with django_capture_on_commit_callbacks(execute=True):
        first = recover_lost_qc_now()

    report.refresh_from_db()
    assert first == "1 QC check(s) requeued, 0 ended"
    assert (report.state, report.progress) == ("queued", 0)
    assert QcReport.objects.get(pk=fresh.pk).state == "running"
    assert DBTaskResult.objects.filter(task_path="postdesk.engineering.tasks.run_qc").count() == 1
    qc_services.claim(report.pk)
    QcReport.objects.filter(pk=report.pk).update(heartbeat=old)
    assert recover_lost_qc_now() == "0 QC check(s) requeued, 1 ended"
    report.refresh_from_db()
    assert report.state == "error"
    assert report.error == "The worker stopped while checking, 2 time(s); not retried"


@needs_ffmpeg
@pytest.mark.django_db
def test_the_demo_makes_one_report_of_each_verdict(engineer, media_root):
    from postdesk.engineering import demo

    outcome = demo._qc_reports(engineer)

    assert outcome == "QC reports: pass, warn, fail"
    reports = {r.filename: r for r in QcReport.objects.all()}
    assert {n: r.verdict for n, r in reports.items()} == {
        "demo-pass-master.mov": "pass",
        "demo-warn-black.mov": "warn",
        "demo-fail-loud.mov": "fail",
    }
    warn = by_key(reports["demo-warn-black.mov"])
    assert [k for k, c in warn.items() if c["verdict"] != "pass"] == ["black"]
    assert warn["black"]["measured"] == "00:00:01:00–00:00:02:05"
    assert demo._qc_reports(engineer) == "QC reports kept"


@pytest.mark.django_db
def test_the_start_up_sweep_enqueues_a_queued_check_whose_task_was_lost(
    engineer, media_root, django_capture_on_commit_callbacks
):
    import datetime

    from django.utils import timezone

    (media_root / "a.mov").write_bytes(b"x")
    spec = DeliverySpec.objects.first()
    with django_capture_on_commit_callbacks(execute=True):
        waiting = services.start_check(actor=engineer, spec=spec, path="a.mov")
    lost = services.start_check(actor=engineer, spec=spec, path="a.mov")  # never enqueued
    young = services.start_check(actor=engineer, spec=spec, path="a.mov")  # may still be
    old = timezone.now() - datetime.timedelta(minutes=5)
    QcReport.objects.filter(pk__in=[waiting.pk, lost.pk]).update(created_at=old)

    with django_capture_on_commit_callbacks(execute=True):
        outcome = recover_lost_qc_now()

    assert outcome == "1 QC check(s) requeued, 0 ended"
    tasks = DBTaskResult.objects.filter(task_path="postdesk.engineering.tasks.run_qc")
    assert sorted(t.args_kwargs["args"][0] for t in tasks) == [waiting.pk, lost.pk]
    assert young.pk not in [t.args_kwargs["args"][0] for t in tasks]
