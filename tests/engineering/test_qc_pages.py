"""Media QC on the pages and the API: starting a check through the page's form (a path
or an upload), the report as page, PDF and JSON, progress while running, cancelling after
confirming, the delivery specs, and the engineer's home."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from postdesk.engineering import qc_media, qc_runner, services
from postdesk.engineering.models import DeliverySpec, QcReport
from postdesk.engineering.qc_generate import Media, generate
from postdesk.engineering.services import qc as qc_services

needs_ffmpeg = pytest.mark.skipif(not qc_media.tools_available(), reason="ffmpeg not installed")


@pytest.fixture
def media_root(tmp_path, settings):
    root = tmp_path / "media-root"
    root.mkdir()
    settings.QC_MEDIA_ROOT = root
    settings.MEDIA_ROOT = tmp_path / "uploads"
    return root


@pytest.fixture
def engineer(users):
    return users["engineer"]


def spec(slug="house-prores-mezzanine") -> DeliverySpec:
    return DeliverySpec.objects.get(slug=slug)


@pytest.fixture
def done_report(engineer, media_root):
    """A finished check of a small file against the house mezzanine (which it fails on size)."""
    generate(media_root / "clip.mov", Media(seconds=2, size="160x90"))
    report = services.start_check(actor=engineer, spec=spec(), path="clip.mov")
    qc_runner.run_report(report.pk)
    report.refresh_from_db()
    return report


# --- pages --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_starting_a_check_through_the_page_with_a_path(page_as, media_root):
    (media_root / "ep1.mov").write_bytes(b"x")
    http = page_as("engineer")
    assert http.get("/engineering/qc/new/").status_code == 200

    response = http.post("/engineering/qc/new/", {"spec": spec().pk, "path": "ep1.mov"})

    report = QcReport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/engineering/qc/{report.pk}/"
    assert (report.path, report.state, report.spec_id) == ("ep1.mov", "queued", spec().pk)
    page = http.get(response["Location"]).content.decode()
    assert "Queued" in page and f'hx-get="/engineering/qc/{report.pk}/progress/"' in page


@pytest.mark.django_db
def test_starting_a_check_through_the_page_with_an_upload(page_as, media_root):
    http = page_as("engineer")
    upload = SimpleUploadedFile("master.mxf", b"not really mxf", content_type="application/mxf")

    response = http.post("/engineering/qc/new/", {"spec": spec("dpp-as11-hd").pk, "file": upload})

    report = QcReport.objects.get()
    assert response.status_code == 302
    assert (report.source, report.filename) == ("upload", "master.mxf")
    assert report.upload.read() == b"not really mxf"


@pytest.mark.django_db
def test_the_page_refuses_a_path_outside_the_media_root_and_keeps_nothing(page_as, media_root):
    (media_root.parent / "secret.mov").write_bytes(b"x")
    http = page_as("engineer")

    response = http.post("/engineering/qc/new/", {"spec": spec().pk, "path": "../secret.mov"})

    assert response.status_code == 422
    assert "That path leads outside the media root" in response.content.decode()
    assert QcReport.objects.count() == 0
    both = http.post("/engineering/qc/new/", {"spec": spec().pk})
    assert both.status_code == 422
    assert "Give a path under the media root or upload a file" in both.content.decode()


@pytest.mark.django_db
def test_only_engineers_may_start_checks_on_the_page(page_as):
    assert page_as("bookings").get("/engineering/qc/new/").status_code == 403
    assert page_as("bookings").get("/engineering/qc/").status_code == 200
    assert page_as("runner").get("/engineering/qc/").status_code == 403


@needs_ffmpeg
@pytest.mark.django_db
def test_the_report_page_pdf_and_json(page_as, done_report):
    http = page_as("bookings")

    page = http.get(f"/engineering/qc/{done_report.pk}/").content.decode()
    pdf = http.get(f"/engineering/qc/{done_report.pk}/report.pdf")
    data = json.loads(http.get(f"/engineering/qc/{done_report.pk}/report.json").content)

    assert "Resolution" in page and "160x90" in page and "1920x1080" in page
    assert done_report.spec_hash in page and done_report.ffmpeg_version in page
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF-")
    assert pdf["Content-Disposition"] == f'inline; filename="qc-report-{done_report.pk}.pdf"'
    assert data["verdict"] == "fail"
    assert data["spec"]["hash"] == done_report.spec_hash
    assert data["ffmpeg_version"] == done_report.ffmpeg_version
    assert {c["key"]: c["verdict"] for c in data["checks"]}["size"] == "fail"
    assert data["measured"]["integrated"] == -23.0


@pytest.mark.django_db
def test_progress_is_shown_while_running_and_the_page_reloads_once_done(
    page_as, engineer, media_root
):
    (media_root / "a.mov").write_bytes(b"x")
    report = services.start_check(actor=engineer, spec=spec(), path="a.mov")
    qc_services.claim(report.pk)
    qc_services.record_progress(report.pk, 0.42)
    http = page_as("engineer")

    running = http.get(f"/engineering/qc/{report.pk}/progress/", HTTP_HX_REQUEST="true")
    listing = http.get("/engineering/qc/").content.decode()
    home = http.get("/engineering/").content.decode()

    assert '<progress max="100" value="42"></progress> 42%' in running.content.decode()
    assert "HX-Refresh" not in running
    assert "a.mov" in listing and "42%" in listing
    assert "QC running" in home and "42%" in home
    qc_services.finish(report.pk, state=QcReport.State.ERROR, error="gone")
    ended = http.get(f"/engineering/qc/{report.pk}/progress/", HTTP_HX_REQUEST="true")
    assert ended["HX-Refresh"] == "true"
    assert "hx-get" not in ended.content.decode()


@pytest.mark.django_db
def test_cancel_asks_first_then_cancels(page_as, engineer, media_root):
    (media_root / "a.mov").write_bytes(b"x")
    report = services.start_check(actor=engineer, spec=spec(), path="a.mov")
    http = page_as("engineer")

    asked = http.get(f"/engineering/qc/{report.pk}/cancel/")
    assert asked.status_code == 200
    assert "Cancel the check of a.mov?" in asked.content.decode()
    assert QcReport.objects.get(pk=report.pk).state == "queued"

    done = http.post(f"/engineering/qc/{report.pk}/cancel/", {"confirm": "yes"})

    assert done.status_code == 302
    assert QcReport.objects.get(pk=report.pk).state == "cancelled"
    again = http.post(f"/engineering/qc/{report.pk}/cancel/", {"confirm": "yes"})
    assert again.status_code == 409
    assert "This check is cancelled already" in again.content.decode()


@pytest.mark.django_db
def test_a_spec_is_edited_through_its_page(page_as):
    http = page_as("engineer")
    body = json.loads(json.dumps(spec().body))
    body["loudness"]["tolerance"] = 0.5

    response = http.post(f"/engineering/qc/specs/{spec().pk}/", {"body": json.dumps(body)})

    assert response.status_code == 302
    assert spec().body["loudness"]["tolerance"] == 0.5 and spec().edited
    listing = http.get("/engineering/qc/specs/").content.decode()
    assert "edited here" in listing
    body["loudness"]["tolerance"] = 50
    bad = http.post(f"/engineering/qc/specs/{spec().pk}/", {"body": json.dumps(body)})
    assert bad.status_code == 422
    assert spec().body["loudness"]["tolerance"] == 0.5
    synced = http.post("/engineering/qc/specs/sync/", follow=True).content.decode()
    assert "dpp-as11-hd: unchanged; house-prores-mezzanine: edited here;" in synced


# --- API ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_api_specs(api_as):
    listed = api_as("bookings").get("engineering/qc/specs").json()
    assert [s["slug"] for s in listed] == [
        "house-prores-mezzanine",
        "streamer-master",
        "dpp-as11-hd",
    ]
    one = api_as("bookings").get(f"engineering/qc/specs/{spec().pk}").json()
    assert one["body"] == spec().body and one["edited"] is False
    body = dict(spec().body, version=2)

    assert (
        api_as("bookings").put(f"engineering/qc/specs/{spec().pk}", {"body": body}).status_code
        == 403
    )
    saved = api_as("engineer").put(f"engineering/qc/specs/{spec().pk}", {"body": body})
    assert saved.status_code == 200 and saved.json()["version"] == 2
    bad = api_as("engineer").put(f"engineering/qc/specs/{spec().pk}", {"body": {"slug": "x"}})
    assert bad.status_code == 422 and bad.json()["code"] == "invalid"
    assert api_as("engineer").get("engineering/qc/specs/999999").status_code == 404
    assert api_as("engineer").post("engineering/qc/specs/sync").json() == {
        "specs": {
            "dpp-as11-hd": "unchanged",
            "house-prores-mezzanine": "edited here",
            "streamer-master": "unchanged",
        }
    }


@pytest.mark.django_db
def test_api_start_read_list_and_cancel(api_as, media_root):
    (media_root / "ep1.mov").write_bytes(b"x")
    api = api_as("engineer")

    started = api.post("engineering/qc/reports", {"spec": spec().pk, "path": "ep1.mov"})

    assert started.status_code == 201
    report = started.json()
    assert (report["state"], report["verdict"], report["path"]) == ("queued", None, "ep1.mov")
    assert report["spec"]["hash"] == spec().hash
    listed = api_as("bookings").get("engineering/qc/reports", state="queued").json()
    assert [r["id"] for r in listed["results"]] == [report["id"]]
    assert api_as("bookings").get("engineering/qc/reports", verdict="fail").json()["count"] == 0
    assert api_as("bookings").get(f"engineering/qc/reports/{report['id']}").json()["checks"] == []
    cancelled = api.post(f"engineering/qc/reports/{report['id']}/cancel")
    assert (cancelled.status_code, cancelled.json()["state"]) == (200, "cancelled")
    again = api.post(f"engineering/qc/reports/{report['id']}/cancel")
    assert (again.status_code, again.json()["code"]) == (409, "invalid_transition")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "payload, status",
    [
        ({"spec": 1, "path": "../../etc/passwd"}, 422),
        ({"spec": 1, "path": "/etc/passwd"}, 422),
        ({"spec": 999999, "path": "ep1.mov"}, 422),
        ({"spec": 1, "path": ""}, 422),
        ({"spec": 1}, 422),
        ({"spec": 1, "path": "ep1.mov", "extra": 1}, 422),
    ],
)
def test_api_refuses_bad_checks_and_keeps_nothing(api_as, media_root, payload, status):
    (media_root / "ep1.mov").write_bytes(b"x")
    payload = dict(payload, spec=spec().pk if payload.get("spec") == 1 else payload.get("spec"))

    response = api_as("engineer").post("engineering/qc/reports", payload)

    assert response.status_code == status
    assert QcReport.objects.count() == 0


@pytest.mark.django_db
def test_api_upload_and_rights(api_as, media_root, client):
    (media_root / "ep1.mov").write_bytes(b"x")
    assert (
        api_as("bookings")
        .post("engineering/qc/reports", {"spec": spec().pk, "path": "ep1.mov"})
        .status_code
        == 403
    )
    assert api_as("runner").get("engineering/qc/reports").status_code == 403
    engineer = api_as("engineer")
    upload = SimpleUploadedFile("show.mov", b"data")

    response = engineer.http.post(
        "/api/v1/engineering/qc/reports/upload",
        {"spec": spec().pk, "file": upload},
        **engineer.headers,
    )

    assert response.status_code == 201
    assert (response.json()["source"], response.json()["filename"]) == ("upload", "show.mov")


@needs_ffmpeg
@pytest.mark.django_db
def test_api_report_and_pdf(api_as, done_report):
    api = api_as("bookings")

    data = api.get(f"engineering/qc/reports/{done_report.pk}").json()
    pdf = api.get(f"engineering/qc/reports/{done_report.pk}/pdf")

    assert (data["state"], data["verdict"], data["progress"]) == ("done", "fail", 1.0)
    assert data["checks"] == done_report.checks
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-")
    assert api.get("engineering/qc/reports/999999").status_code == 404
