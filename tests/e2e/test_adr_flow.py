"""The coordinator's ADR day through the pages: book a session (the stage, the mixer and
the talent in one booking), import its cue list from a CSV file, and print the cue
sheet (the link answers a PDF)."""

import datetime

import pytest
from playwright.sync_api import expect

from postdesk.coordination.models import AdrSession, Cue
from postdesk.core.audit import SYSTEM
from postdesk.core.timeutil import facility_zone
from postdesk.productions import services as productions
from postdesk.scheduling import services as scheduling
from postdesk.scheduling.models import Allocation

pytestmark = pytest.mark.django_db(transaction=True)

CUES = (
    "cue,character,tc_in,tc_out,line\n"
    "101,ANNA,01:00:10:00,01:00:12:12,Where were you?\n"
    "102,TOM,01:00:15:00,01:00:16:24,Out.\n"
    "103,ANNA,01:00:20:00,01:00:22:00,Out where?\n"
)


def test_the_coordinator_books_adr_imports_cues_and_prints_the_sheet(
    login, live_server, site, users, production, shot
):
    job = productions.create_job(
        actor=SYSTEM, production=production, description="ADR", work_type="adr"
    )
    stage = scheduling.create_resource(actor=SYSTEM, kind="room", name="ADR Stage 2", site=site)
    mixer = scheduling.create_resource(
        actor=SYSTEM, kind="person", name="Yusuf Demir", site=site, employment="staff"
    )
    day = datetime.datetime.now(facility_zone()).date() + datetime.timedelta(days=3)

    page = login(users["coordinator"])
    page.goto(f"{live_server.url}/coordination/productions/{production.pk}/adr/")
    expect(page.get_by_text("No ADR sessions yet.")).to_be_visible()
    page.get_by_role("link", name="Book an ADR session").click()
    page.select_option("select[name=job]", str(job.pk))
    page.select_option("select[name=stage]", label="ADR Stage 2")
    page.select_option("select[name=mixer]", label="Yusuf Demir")
    page.fill("input[name=start]", f"{day.isoformat()}T10:00")
    page.fill("input[name=end]", f"{day.isoformat()}T14:00")
    page.fill("input[name=talent]", "Ruth Wilde")
    page.fill("input[name=character]", "Anna")
    page.fill("input[name=agent_email]", "harriet@wilde.example")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("ADR session booked for Ruth Wilde.")).to_be_visible()
    session = AdrSession.objects.get()
    card = page.locator(f"#session-{session.pk}")
    expect(card.get_by_role("heading")).to_have_text("Ruth Wilde (Anna)")
    # One booking holds the stage and the mixer; the talent is not a resource.
    assert sorted(
        Allocation.objects.filter(booking=session.booking_id).values_list("resource", flat=True)
    ) == sorted([stage.pk, mixer.pk])

    card.get_by_role("link", name="Import cues").click()
    upload = {"name": "cues.csv", "mimeType": "text/csv", "buffer": CUES.encode()}
    page.set_input_files("input[name=file]", upload)
    page.get_by_role("button", name="Import").click()
    expect(page.locator("#report")).to_contain_text("3 rows: 3 ready to import.")
    assert not Cue.objects.exists()  # the dry run (the default) imports nothing

    page.set_input_files("input[name=file]", upload)
    page.uncheck("input[name=dry_run]")
    page.get_by_role("button", name="Import").click()
    expect(page.get_by_text("3 cues imported.")).to_be_visible()
    expect(card.locator("tbody tr")).to_have_count(3)
    shot(page, "coordination-adr-session")

    link = card.get_by_role("link", name="Cue sheet (PDF)")
    pdf = page.request.get(link.evaluate("a => a.href"))
    assert pdf.status == 200
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.body().startswith(b"%PDF-")
