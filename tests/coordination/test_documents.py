"""Production documents: versioned uploads through the storage API, never overwritten,
bounded in size, checked by their bytes, stored under names the service makes."""

import hashlib

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from postdesk.coordination import documents
from postdesk.coordination.models import Document, DocumentVersion
from postdesk.core.errors import Conflict, Forbidden, InvalidInput

pytestmark = pytest.mark.django_db

PDF_1 = b"%PDF-1.7\n first cut of the contract\n%%EOF"
PDF_2 = b"%PDF-1.7\n signed contract\n%%EOF"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def pdf(data: bytes, name: str = "contract.pdf"):
    return SimpleUploadedFile(name, data, content_type="application/pdf")


def test_a_new_version_never_overwrites_the_previous_one(production, coordinator):
    first = documents.upload_document(
        production=production,
        kind="contract",
        title="Composer contract",
        file=pdf(PDF_1),
        actor=coordinator,
    )
    second = documents.add_version(first.document, file=pdf(PDF_2), actor=coordinator)

    assert (first.number, second.number) == (1, 2)
    assert first.file.name != second.file.name
    with default_storage.open(first.file.name, "rb") as f:
        assert f.read() == PDF_1
    with default_storage.open(second.file.name, "rb") as f:
        assert f.read() == PDF_2
    assert second.sha256 == hashlib.sha256(PDF_2).hexdigest()
    assert DocumentVersion.objects.filter(document=first.document).count() == 2


def test_the_stored_name_never_comes_from_the_user(production, coordinator):
    version = documents.upload_document(
        production=production,
        kind="script",
        title="Script",
        file=SimpleUploadedFile(
            "../../etc/passwd.txt", b"INT. KITCHEN - DAY", content_type="text/plain"
        ),
        actor=coordinator,
    )
    prefix = f"coordination/documents/{production.pk}/{version.document_id}/v1-"
    assert version.file.name.startswith(prefix) and version.file.name.endswith(".txt")
    assert ".." not in version.file.name
    assert version.filename == "passwd.txt"
    assert version.content_type == "text/plain"


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("contract.pdf", b"MZ\x90\x00 an exe", "This is not a PDF"),
        ("schedule.xlsx", b"%PDF-1.4", "This is not a xlsx file"),
        ("notes.txt", b"abc\x00def", "A text file may not hold binary data"),
        (
            "tool.exe",
            b"MZ",
            "Upload one of these kinds of file: .csv, .docx, .edl, .pdf, .txt, .xlsx",
        ),
        ("empty.pdf", b"", "The file is empty"),
    ],
)
def test_wrong_content_is_refused_and_nothing_is_stored(
    production, coordinator, name, data, message
):
    with pytest.raises(InvalidInput) as exc:
        documents.upload_document(
            production=production,
            kind="paperwork",
            title="Paper",
            file=SimpleUploadedFile(name, data),
            actor=coordinator,
        )
    assert exc.value.details["fields"]["file"] == [message]
    assert not Document.objects.exists()


def test_a_file_over_the_size_limit_is_refused(production, coordinator, monkeypatch):
    monkeypatch.setattr(documents, "MAX_BYTES", 10)
    with pytest.raises(InvalidInput) as exc:
        documents.upload_document(
            production=production, kind="contract", title="Big", file=pdf(PDF_1), actor=coordinator
        )
    assert "at most" in exc.value.message
    assert not DocumentVersion.objects.exists()


def test_a_title_twice_is_refused_and_a_client_may_not_upload(production, coordinator, users):
    documents.upload_document(
        production=production, kind="contract", title="Deal", file=pdf(PDF_1), actor=coordinator
    )
    with pytest.raises(Conflict):
        documents.upload_document(
            production=production, kind="contract", title="Deal", file=pdf(PDF_2), actor=coordinator
        )
    with pytest.raises(Forbidden):
        documents.upload_document(
            production=production,
            kind="contract",
            title="Other",
            file=pdf(PDF_2),
            actor=users["client"],
        )
    assert Document.objects.count() == 1


def test_upload_and_new_version_through_the_pages_and_download_both(page_as, production):
    http = page_as("coordinator")
    response = http.post(
        f"/coordination/productions/{production.pk}/documents/new/",
        {"kind": "contract", "title": "Editor deal", "file": pdf(PDF_1, "deal.pdf")},
    )
    assert response.status_code == 302
    doc = Document.objects.get()
    response = http.post(
        f"/coordination/documents/{doc.pk}/versions/new/", {"file": pdf(PDF_2, "deal-signed.pdf")}
    )
    assert response.status_code == 302

    v1, v2 = doc.versions.order_by("number")
    first = http.get(f"/coordination/versions/{v1.pk}/download/")
    assert b"".join(first.streaming_content) == PDF_1
    assert 'filename="deal.pdf"' in first["Content-Disposition"]
    second = http.get(f"/coordination/versions/{v2.pk}/download/")
    assert b"".join(second.streaming_content) == PDF_2
    page = http.get(f"/coordination/productions/{production.pk}/documents/").content.decode()
    assert "v2: deal-signed.pdf" in page and "v1: deal.pdf" in page
    assert page_as("client").get(f"/coordination/versions/{v1.pk}/download/").status_code == 403


def test_documents_through_the_api(api_as, production):
    api = api_as("coordinator")
    response = api.http.post(
        f"/api/v1/productions/{production.pk}/documents",
        {
            "kind": "edl",
            "title": "Reel 1 EDL",
            "file": SimpleUploadedFile("r1.edl", b"TITLE: R1\nFCM: NON-DROP FRAME\n"),
        },
        **api.headers,
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["title"], body["versions"][0]["number"], body["versions"][0]["content_type"]) == (
        "Reel 1 EDL",
        1,
        "text/plain",
    )
    bad = api.http.post(
        f"/api/v1/documents/{body['id']}/versions",
        {"file": SimpleUploadedFile("r1.edl", b"\x00\x01binary")},
        **api.headers,
    )
    assert bad.status_code == 422
    listed = api.get(f"productions/{production.pk}/documents").json()
    assert [len(d["versions"]) for d in listed] == [1]
    download = api.get(f"document-versions/{body['versions'][0]['id']}/download")
    assert b"".join(download.streaming_content).startswith(b"TITLE: R1")
    assert api_as("client").get(f"productions/{production.pk}/documents").status_code == 403
