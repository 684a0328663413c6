# ruff: noqa: F811 (the fixtures imported below are redefined as arguments)
"""The ADR call sheet mailed to the talent's agent by the worker: the PDF attached,
refused when the talent has no agent email; through the page (asked first) and the API."""

import re

import pytest
from django.core import mail
from django_tasks_db.models import DBTaskResult
from pypdf import PdfReader

from postdesk.coordination import adr, call_sheets
from postdesk.core.errors import Forbidden, InvalidInput
from postdesk.core.models import AuditEntry
from tests.coordination.test_adr import GOOD, adr_job, mixer, span, stage  # noqa: F401
from tests.worker import run_worker

pytestmark = pytest.mark.django_db
TASK = "postdesk.coordination.tasks.mail_call_sheet"


@pytest.fixture
def book(adr_job, stage, mixer, coordinator):
    def make(agent_email="harriet@wilde.example", day=2, **extra):
        start, end = span(day)
        return adr.book_session(
            job=adr_job,
            stage=stage,
            mixer=mixer,
            start=start,
            end=end,
            talent="Ruth Wilde",
            character="Anna",
            agent_contact="Harriet, Wilde Management",
            agent_email=agent_email,
            actor=coordinator,
            **extra,
        )

    return make


def pdf_text(data: bytes) -> str:
    import io

    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_the_worker_mails_the_call_sheet_pdf_to_the_agent(
    book, coordinator, production, django_capture_on_commit_callbacks
):
    session = book()
    adr.import_cues(session, text=GOOD, actor=coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        call_sheets.send_call_sheet(session, actor=coordinator)
    assert mail.outbox == []
    assert DBTaskResult.objects.get().task_path == TASK

    run_worker()

    (message,) = mail.outbox
    assert message.to == ["harriet@wilde.example"]
    start, _ = span(2)
    assert message.subject == (f"ADR call sheet: Ruth Wilde, {production.title}, {start:%a %d %b}")
    name, content, mimetype = message.attachments[0]
    assert (name, mimetype) == (f"call-sheet-{session.pk}.pdf", "application/pdf")
    assert content.startswith(b"%PDF-")
    text = pdf_text(content)
    for shown in ("Ruth Wilde", "Anna", "10:00", "ADR stage", production.title):
        assert shown in text
    assert re.search(r"Cues\s*2", text)
    assert AuditEntry.objects.filter(
        object_type="coordination.adrsession", summary="Call sheet sent to harriet@wilde.example"
    ).exists()


def test_a_remote_session_names_the_studio(book, coordinator, django_capture_on_commit_callbacks):
    session = book(remote=True, remote_studio="Source-Connect, Burbank")
    with django_capture_on_commit_callbacks(execute=True):
        call_sheets.send_call_sheet(session, actor=coordinator)
    run_worker()
    (message,) = mail.outbox
    assert "Remote: Source-Connect, Burbank" in message.body
    assert "Remote: Source-Connect, Burbank" in pdf_text(message.attachments[0][1])


def test_no_agent_email_is_refused_and_nothing_is_queued(book, coordinator):
    session = book(agent_email="")
    with pytest.raises(InvalidInput) as exc:
        call_sheets.send_call_sheet(session, actor=coordinator)
    assert list(exc.value.details["fields"]) == ["agent_email"]
    assert "Ruth Wilde has no agent email" in exc.value.message
    assert not DBTaskResult.objects.exists()


def test_a_bad_agent_email_is_refused_at_booking(book):
    with pytest.raises(InvalidInput):
        book(agent_email="not an address")


def test_only_a_coordinator_sends(book, users):
    with pytest.raises(Forbidden):
        call_sheets.send_call_sheet(book(), actor=users["runner"])


def test_the_page_asks_then_sends(book, page_as, django_capture_on_commit_callbacks):
    session = book()
    http = page_as("coordinator")
    url = f"/coordination/adr/{session.pk}/call-sheet/send/"
    listing = http.get(f"/coordination/productions/{session.production_id}/adr/")
    assert url in listing.content.decode()
    asked = http.get(url)
    assert asked.status_code == 200 and "harriet@wilde.example" in asked.content.decode()
    assert not DBTaskResult.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        sent = http.post(url, {"confirm": "yes"})
    assert sent.status_code == 302
    run_worker()
    assert [m.to for m in mail.outbox] == [["harriet@wilde.example"]]


def test_the_page_shows_the_refusal(book, page_as):
    session = book(agent_email="")
    refused = page_as("coordinator").post(
        f"/coordination/adr/{session.pk}/call-sheet/send/", {"confirm": "yes"}
    )
    assert refused.status_code == 409
    assert "has no agent email" in refused.content.decode()
    assert not DBTaskResult.objects.exists()


def test_the_booking_form_takes_the_agent_email(page_as, production, adr_job, stage, mixer):
    from postdesk.coordination.models import AdrSession
    from postdesk.core.timeutil import facility_zone
    from tests.scheduling.test_pages_resource_forms import submit

    start, end = span(6)
    zone = facility_zone()
    response = submit(
        page_as("coordinator"),
        f"/coordination/productions/{production.pk}/adr/new/",
        job=str(adr_job.pk),
        stage=str(stage.pk),
        mixer=str(mixer.pk),
        start=start.astimezone(zone).strftime("%Y-%m-%dT%H:%M"),
        end=end.astimezone(zone).strftime("%Y-%m-%dT%H:%M"),
        talent="Ruth Wilde",
        agent_email="harriet@wilde.example",
        rate="25",
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert AdrSession.objects.get().agent_email == "harriet@wilde.example"


def test_the_api_sends_and_refuses(book, api_as, django_capture_on_commit_callbacks):
    api = api_as("coordinator")
    without = book(agent_email="", day=3)
    refused = api.post(f"adr-sessions/{without.pk}/call-sheet", {})
    assert refused.status_code == 422
    assert "has no agent email" in refused.json()["message"]

    session = book(day=4)
    with django_capture_on_commit_callbacks(execute=True):
        sent = api.post(f"adr-sessions/{session.pk}/call-sheet", {})
    assert sent.status_code == 202, sent.content
    assert sent.json() == {"session": session.pk, "to": ["harriet@wilde.example"]}
    assert (
        api.get(f"productions/{session.production_id}/adr-sessions").json()[-1]["agent_email"]
        == "harriet@wilde.example"
    )
    assert api_as("client").post(f"adr-sessions/{session.pk}/call-sheet", {}).status_code == 403
    run_worker()
    assert [m.to for m in mail.outbox] == [["harriet@wilde.example"]]
