"""Documents awaiting a new version: asked for (who, why, by when), listed on the
coordinator's desk, and cleared by the upload of the new version."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from postdesk.coordination import documents
from postdesk.coordination.models import Document
from postdesk.coordination.queries import coordinator_desk
from postdesk.core.errors import Conflict, Forbidden, InvalidInput
from tests.coordination.conftest import days
from tests.scheduling.test_pages_resource_forms import submit

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def pdf(text: bytes = b"draft", name: str = "schedule.pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.7\n" + text + b"\n%%EOF")


@pytest.fixture
def schedule(production, coordinator):
    return documents.upload_document(
        production=production,
        kind="delivery_schedule",
        title="Delivery schedule",
        file=pdf(),
        actor=coordinator,
    ).document


def test_a_request_waits_on_the_desk_until_the_new_version_comes(schedule, coordinator):
    documents.request_version(
        schedule, reason="Add the textless dates", wanted_by=days(3), actor=coordinator
    )

    [waiting] = coordinator_desk()["awaiting_versions"]
    assert (waiting.pk, waiting.version_request_reason, waiting.version_wanted_by) == (
        schedule.pk,
        "Add the textless dates",
        days(3),
    )
    assert waiting.version_requested_by == coordinator

    documents.add_version(schedule, file=pdf(b"agreed"), actor=coordinator)

    assert coordinator_desk()["awaiting_versions"] == []
    schedule.refresh_from_db()
    assert (schedule.version_requested_at, schedule.version_request_reason) == (None, "")


def test_the_soonest_wanted_comes_first_and_bad_requests_are_refused(
    production, schedule, coordinator, users
):
    script = documents.upload_document(
        production=production, kind="script", title="Script", file=pdf(), actor=coordinator
    ).document
    documents.request_version(schedule, reason="Later", actor=coordinator)
    documents.request_version(script, reason="Sooner", wanted_by=days(1), actor=coordinator)

    assert [d.title for d in coordinator_desk()["awaiting_versions"]] == [
        "Script",
        "Delivery schedule",
    ]
    with pytest.raises(InvalidInput):
        documents.request_version(script, reason="  ", actor=coordinator)
    with pytest.raises(Forbidden):
        documents.request_version(script, reason="Please", actor=users["client"])
    documents.withdraw_request(script, actor=coordinator)
    with pytest.raises(Conflict):
        documents.withdraw_request(script, actor=coordinator)
    assert [d.title for d in coordinator_desk()["awaiting_versions"]] == ["Delivery schedule"]


def test_request_through_the_page_shown_on_the_desk_and_cleared_by_the_upload(
    page_as, schedule, production
):
    http = page_as("coordinator")

    response = submit(
        http,
        f"/coordination/documents/{schedule.pk}/request-version/",
        reason="Delivery date moved",
        wanted_by=str(days(5)),
    )

    assert response.status_code == 302
    desk = http.get("/coordination/").content.decode()
    assert "Delivery date moved" in desk
    assert f"/coordination/documents/{schedule.pk}/versions/new/" in desk
    listing = http.get(f"/coordination/productions/{production.pk}/documents/").content.decode()
    assert "New version requested" in listing

    upload = http.post(
        f"/coordination/documents/{schedule.pk}/versions/new/", {"file": pdf(b"moved")}
    )
    assert upload.status_code == 302
    assert "Delivery date moved" not in http.get("/coordination/").content.decode()


def test_withdraw_through_the_page(page_as, schedule, coordinator):
    documents.request_version(schedule, reason="Typo", actor=coordinator)
    http = page_as("supervisor")

    response = http.post(f"/coordination/documents/{schedule.pk}/withdraw-request/")

    assert response.status_code == 302
    assert Document.objects.get(pk=schedule.pk).version_requested_at is None


def test_version_requests_through_the_api(api_as, schedule):
    api = api_as("coordinator")
    response = api.http.post(
        f"/api/v1/documents/{schedule.pk}/version-request",
        {"reason": "Sign page 3", "wanted_by": str(days(2))},
        content_type="application/json",
        **api.headers,
    )
    assert response.status_code == 200, response.content
    assert response.json()["version_request"]["reason"] == "Sign page 3"
    waiting = api.get("documents-awaiting-version").json()
    assert [(d["id"], d["version_request"]["wanted_by"]) for d in waiting] == [
        (schedule.pk, str(days(2)))
    ]
    withdrawn = api.http.delete(f"/api/v1/documents/{schedule.pk}/version-request", **api.headers)
    assert withdrawn.status_code == 200 and withdrawn.json()["version_request"] is None
    assert api_as("client").get("documents-awaiting-version").status_code == 403
