"""The labels page and endpoint, the import page and POST /api/v1/media/import."""

import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pypdf import PdfReader

from postdesk.core.audit import SYSTEM
from postdesk.core.services import issue_token
from postdesk.library.models import MediaItem, Movement

pytestmark = pytest.mark.django_db

CSV = (
    b"Barcode,Title,Format,Generation,Location barcode\n"
    b"P-1,Page import one,HDCAM,Master,LOC-VAULT-A-R1-S1\n"
    b"P-2,Page import two,SSD,Clone,LOC-VAULT-A-R1-S2\n"
)
BAD_CSV = CSV + b"P-3,Nowhere,HDCAM,Master,LOC-NOWHERE\n"


def pages(pdf: bytes) -> int:
    return len(PdfReader(io.BytesIO(pdf)).pages)


@pytest.fixture
def as_librarian(librarian):
    from django.test import Client

    http = Client()
    http.force_login(librarian, backend="django.contrib.auth.backends.ModelBackend")
    return http


@pytest.fixture
def librarian_api(librarian):
    from django.test import Client

    _, token = issue_token(user=librarian, actor=SYSTEM)
    return Client(HTTP_AUTHORIZATION=f"Bearer {token}")


def test_the_item_pages_label_link_answers_its_pdf(as_librarian, register):
    item = register(barcode="LBL-1")
    response = as_librarian.get(reverse("library_labels:labels"), {"items": item.pk})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'inline; filename="labels-LBL-1-roll62x29.pdf"'
    assert pages(response.content) == 1


def test_scanned_barcodes_print_on_an_a4_sheet(as_librarian, register):
    for n in range(30):
        register(barcode=f"LBL-{n:02d}")
    codes = "\n".join(f"lbl-{n:02d}" for n in range(30))
    response = as_librarian.get(
        reverse("library_labels:labels"), {"barcodes": codes, "layout": "a4_3x8"}
    )
    assert response.status_code == 200 and pages(response.content) == 2


def test_the_labels_page_names_a_barcode_it_does_not_know(as_librarian, register):
    register(barcode="LBL-1")
    response = as_librarian.get(reverse("library_labels:labels"), {"barcodes": "LBL-1 LBL-404"})
    assert response.status_code == 422
    assert "No item with barcode LBL-404" in response.content.decode()


def test_the_labels_page_without_a_selection_is_the_form(as_librarian):
    response = as_librarian.get(reverse("library_labels:labels"))
    assert response.status_code == 200
    assert b'name="barcodes"' in response.content and b'value="a4_3x8"' in response.content


def test_the_labels_endpoint_prints_everything_registered_today(librarian_api, register):
    register(barcode="LBL-A")
    register(barcode="LBL-B")
    response = librarian_api.get("/api/v1/media/labels", {"today": "true", "layout": "a4_3x8"})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert pages(response.content) == 1
    assert "LBL-A" in PdfReader(io.BytesIO(response.content)).pages[0].extract_text()


def test_the_labels_endpoint_refuses_what_it_cannot_print(librarian_api, register):
    assert librarian_api.get("/api/v1/media/labels").status_code == 422
    assert librarian_api.get("/api/v1/media/labels", {"barcodes": "NOPE"}).status_code == 422
    assert librarian_api.get("/api/v1/media/labels", {"items": "x"}).status_code == 422
    assert librarian_api.get("/api/v1/media/labels", {"layout": "a3"}).status_code == 422


def post_import(api, data: bytes, dry_run: str, mapping: dict | None = None, name="c.csv"):
    body = {"file": SimpleUploadedFile(name, data, content_type="text/csv")}
    if mapping is not None:
        body["mapping"] = json.dumps(mapping)
    return api.post(f"/api/v1/media/import?dry_run={dry_run}", body)


def test_the_api_dry_run_answers_a_report_and_writes_nothing(librarian_api, vault):
    response = post_import(librarian_api, BAD_CSV, "true")
    assert response.status_code == 200
    body = response.json()
    assert (body["dry_run"], body["ok"], body["rows"], body["error_rows"]) == (True, False, 3, 1)
    assert [r["status"] for r in body["report"]] == ["ok", "ok", "error"]
    assert body["report"][2]["errors"] == [
        {"field": "location", "message": "Unknown location 'LOC-NOWHERE'"}
    ]
    # No mapping sent: the headers named like fields were taken.
    assert body["mapping"]["Location barcode"] == "location"
    assert MediaItem.objects.count() == 0


def test_the_api_import_is_all_or_nothing(librarian_api, vault):
    refused = post_import(librarian_api, BAD_CSV, "false")
    assert refused.status_code == 422
    assert refused.json()["details"]["error_rows"] == 1
    assert MediaItem.objects.count() == 0

    done = post_import(librarian_api, CSV, "false")
    assert done.status_code == 201 and done.json()["imported"] == 2
    assert sorted(MediaItem.objects.values_list("barcode", flat=True)) == ["P-1", "P-2"]
    assert Movement.objects.filter(action="register").count() == 2


@pytest.mark.parametrize(
    ("mapping_text", "field"),
    [("not json", "mapping"), ('["a"]', "mapping"), ('{"Title": 3}', "mapping")],
)
def test_the_api_refuses_a_malformed_mapping(librarian_api, vault, mapping_text, field):
    body = {"file": SimpleUploadedFile("c.csv", CSV), "mapping": mapping_text}
    response = librarian_api.post("/api/v1/media/import?dry_run=true", body)
    assert response.status_code == 422
    assert field in response.json()["details"]["fields"]


def test_a_runner_may_not_import(make_user, vault):
    from django.test import Client

    _, token = issue_token(user=make_user("runner", "runner"), actor=SYSTEM)
    api = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    assert post_import(api, CSV, "true").status_code == 403


def test_the_import_page_uploads_maps_checks_and_imports(as_librarian, vault):
    upload = as_librarian.post(
        reverse("library_import:upload"), {"file": SimpleUploadedFile("old.csv", BAD_CSV)}
    )
    assert upload.status_code == 302
    map_url = upload["Location"]
    page = as_librarian.get(map_url)
    assert page.status_code == 200
    # The headers named like fields come preselected.
    assert b'<option value="location" selected>' in page.content

    columns = {"col-0": "barcode", "col-1": "title", "col-2": "format", "col-3": "generation"}
    columns["col-4"] = "location"
    checked = as_librarian.post(map_url, {**columns, "action": "check"})
    html = checked.content.decode()
    assert "1 of 3 rows are wrong" in html and "Unknown location &#x27;LOC-NOWHERE&#x27;" in html
    assert 'value="import"' not in html  # nothing to confirm while a row is wrong
    # Asking to import anyway changes nothing.
    as_librarian.post(map_url, {**columns, "action": "import"})
    assert MediaItem.objects.count() == 0


def test_a_clean_upload_imports_from_the_page(as_librarian, vault):
    upload = as_librarian.post(
        reverse("library_import:upload"), {"file": SimpleUploadedFile("new.csv", CSV)}
    )
    columns = {"col-0": "barcode", "col-1": "title", "col-2": "format", "col-3": "generation"}
    columns["col-4"] = "location"
    checked = as_librarian.post(upload["Location"], {**columns, "action": "check"})
    assert 'value="import"' in checked.content.decode()
    done = as_librarian.post(upload["Location"], {**columns, "action": "import"})
    assert done.status_code == 302 and done["Location"] == reverse("library:media")
    assert MediaItem.objects.count() == 2
    # The upload is gone once imported.
    assert as_librarian.get(upload["Location"]).status_code == 404


def test_another_session_cannot_reach_an_upload(as_librarian, vault, make_user):
    from django.test import Client

    upload = as_librarian.post(
        reverse("library_import:upload"), {"file": SimpleUploadedFile("new.csv", CSV)}
    )
    other = Client()
    other.force_login(make_user("library", "other-librarian"))
    assert other.get(upload["Location"]).status_code == 404


def test_an_unreadable_upload_is_refused_on_the_page(as_librarian, vault):
    response = as_librarian.post(
        reverse("library_import:upload"), {"file": SimpleUploadedFile("x.pdf", b"%PDF")}
    )
    assert (
        response.status_code == 422 and "Upload a .csv or .xlsx file" in response.content.decode()
    )
