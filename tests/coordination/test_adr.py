"""ADR sessions: stage, mixer and talent in one booking through the scheduling service;
cue lists imported from CSV with a dry run reporting bad timecodes per row; cues marked
recorded; the cue sheet PDF."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from postdesk.coordination import adr
from postdesk.coordination.models import AdrSession, Cue
from postdesk.core.audit import SYSTEM
from postdesk.core.errors import Forbidden, InvalidInput
from postdesk.core.timeutil import facility_zone, local_at
from postdesk.productions import services as production_services
from postdesk.scheduling import services as scheduling
from postdesk.scheduling.models import Allocation, Booking
from tests.coordination.conftest import days

pytestmark = pytest.mark.django_db

GOOD = (
    "cue,character,tc_in,tc_out,line\n"
    "101,ANNA,01:00:10:00,01:00:12:12,Where were you?\n"
    "102,TOM,01:00:15:00,01:00:16:24,Out.\n"
)
BAD = (
    "cue,character,tc_in,tc_out,line\n"
    "101,ANNA,01:00:10:00,01:00:12:12,Where were you?\n"
    "102,TOM,01:00:15:25,01:00:16:24,Out.\n"
    "103,TOM,01:00:20:00,01:00:19:00,Back.\n"
    "101,ANNA,01:61:00:00,01:00:30:00,Again\n"
)


@pytest.fixture
def adr_job(production):
    return production_services.create_job(
        actor=SYSTEM, production=production, description="ADR", work_type="adr"
    )


@pytest.fixture
def stage(site):
    return scheduling.create_resource(actor=SYSTEM, kind="room", name="ADR stage", site=site)


@pytest.fixture
def mixer(site):
    return scheduling.create_resource(
        actor=SYSTEM, kind="person", name="Mo Mixer", site=site, employment="staff"
    )


def span(day=2):
    zone = facility_zone()
    return local_at(days(day), datetime.time(10), zone), local_at(
        days(day), datetime.time(14), zone
    )


@pytest.fixture
def session(adr_job, stage, mixer, coordinator):
    start, end = span()
    return adr.book_session(
        job=adr_job,
        stage=stage,
        mixer=mixer,
        start=start,
        end=end,
        talent="Ruth Wilde",
        character="Anna",
        agent_contact="agent@example.com",
        actor=coordinator,
    )


def test_stage_and_mixer_are_one_booking_and_the_talent_is_not_a_resource(session, stage, mixer):
    booking = Booking.objects.get()
    assert session.booking_id == booking.pk
    assert sorted(
        Allocation.objects.filter(booking=booking).values_list("resource_id", flat=True)
    ) == sorted([stage.pk, mixer.pk])
    assert (session.talent, session.character, booking.status) == ("Ruth Wilde", "Anna", "pencil")


def test_a_remote_session_names_its_studio(adr_job, stage, mixer, coordinator):
    start, end = span(3)
    with pytest.raises(InvalidInput):
        adr.book_session(
            job=adr_job,
            stage=stage,
            mixer=mixer,
            start=start,
            end=end,
            talent="X",
            remote=True,
            actor=coordinator,
        )
    remote = adr.book_session(
        job=adr_job,
        stage=stage,
        mixer=mixer,
        start=start,
        end=end,
        talent="X",
        remote=True,
        remote_studio="Source-Connect, LA",
        actor=coordinator,
    )
    assert (remote.remote, remote.remote_studio) == (True, "Source-Connect, LA")
    assert AdrSession.objects.count() == 1


def test_the_coordinator_may_not_book_an_adr_session_on_a_grade_job(
    production, stage, mixer, coordinator
):
    grade = production_services.create_job(
        actor=SYSTEM, production=production, description="Grade", work_type="grade"
    )
    start, end = span()
    with pytest.raises(Forbidden):
        adr.book_session(
            job=grade, stage=stage, mixer=mixer, start=start, end=end, talent="X", actor=coordinator
        )
    assert not Booking.objects.exists() and not AdrSession.objects.exists()


def test_a_dry_run_reports_every_bad_row_and_imports_nothing(session, coordinator):
    report = adr.import_cues(session, text=BAD, actor=coordinator, dry_run=True)

    assert (report["rows"], report["valid"], report["imported"]) == (4, 1, 0)
    assert [(p["row"], p["field"]) for p in report["problems"]] == [
        (3, "tc_in"),
        (4, "tc_out"),
        (5, "tc_in"),
        (5, "cue"),
    ]
    assert "frame 25 does not exist at 25" in report["problems"][0]["message"]
    assert not Cue.objects.exists()


def test_a_real_import_with_bad_rows_is_refused_whole(session, coordinator):
    with pytest.raises(InvalidInput) as exc:
        adr.import_cues(session, text=BAD, actor=coordinator)
    assert len(exc.value.details["problems"]) == 4
    assert not Cue.objects.exists()


def test_a_good_list_is_imported_recorded_and_printed(session, coordinator):
    report = adr.import_cues(session, text=GOOD, actor=coordinator)
    assert report["imported"] == 2
    cue = Cue.objects.get(number="101")
    assert (cue.frame_in, cue.frame_out) == (90250, 90312)

    adr.mark_recorded(cue, actor=coordinator, take_notes="take 3 best")
    assert Cue.objects.get(number="101").recorded is True
    pdf = adr.cue_sheet_pdf(session)
    assert pdf.startswith(b"%PDF-")
    # a second import of the same numbers is refused per row
    again = adr.import_cues(session, text=GOOD, actor=coordinator, dry_run=True)
    assert [p["message"] for p in again["problems"]] == [
        "cue 101 is listed twice",
        "cue 102 is listed twice",
    ]


def test_a_csv_without_the_columns_is_refused(session, coordinator):
    with pytest.raises(InvalidInput) as exc:
        adr.import_cues(session, text="a,b\n1,2\n", actor=coordinator, dry_run=True)
    assert "missing cue, character, tc_in, tc_out, line" in exc.value.message


def test_the_pages_book_import_record_and_print(page_as, production, adr_job, stage, mixer):
    from tests.scheduling.test_pages_resource_forms import submit

    http = page_as("coordinator")
    start, end = span(4)
    zone = facility_zone()
    response = submit(
        http,
        f"/coordination/productions/{production.pk}/adr/new/",
        job=str(adr_job.pk),
        stage=str(stage.pk),
        mixer=str(mixer.pk),
        start=start.astimezone(zone).strftime("%Y-%m-%dT%H:%M"),
        end=end.astimezone(zone).strftime("%Y-%m-%dT%H:%M"),
        talent="Ruth Wilde",
        character="Anna",
        rate="25",
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    session = AdrSession.objects.get()
    url = f"/coordination/adr/{session.pk}/cues/import/"

    dry = http.post(url, {"file": SimpleUploadedFile("cues.csv", BAD.encode()), "dry_run": "on"})
    assert dry.status_code == 200
    assert "Row 3, tc_in" in dry.content.decode()
    assert not Cue.objects.exists()
    done = http.post(url, {"file": SimpleUploadedFile("cues.csv", GOOD.encode())})
    assert done.status_code == 302
    assert Cue.objects.count() == 2

    cue = Cue.objects.get(number="102")
    assert (
        http.post(f"/coordination/cues/{cue.pk}/recorded/", {"take_notes": "t2"}).status_code == 302
    )
    assert Cue.objects.get(pk=cue.pk).take_notes == "t2"
    pdf = http.get(f"/coordination/adr/{session.pk}/cue-sheet.pdf")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF-")


def test_adr_through_the_api(api_as, adr_job, stage, mixer):
    api = api_as("coordinator")
    start, end = span(5)
    created = api.post(
        "adr-sessions",
        {
            "job": adr_job.pk,
            "stage": stage.pk,
            "mixer": mixer.pk,
            "start": start.isoformat(),
            "end": end.isoformat(),
            "talent": "Ruth Wilde",
            "remote": True,
            "remote_studio": "Source-Connect, NYC",
        },
    )
    assert created.status_code == 201, created.content
    sid = created.json()["id"]
    dry = api.post(f"adr-sessions/{sid}/cues/import", {"csv": BAD, "dry_run": True}).json()
    assert (dry["valid"], dry["imported"], len(dry["problems"])) == (1, 0, 4)
    refused = api.post(f"adr-sessions/{sid}/cues/import", {"csv": BAD, "dry_run": False})
    assert refused.status_code == 422
    assert len(refused.json()["details"]["problems"]) == 4
    done = api.post(f"adr-sessions/{sid}/cues/import", {"csv": GOOD, "dry_run": False}).json()
    assert done["imported"] == 2
    cue_id = api.get(f"productions/{adr_job.production_id}/adr-sessions").json()[0]["cues"][0]["id"]
    assert api.post(f"cues/{cue_id}/recorded", {"take_notes": "t1"}).json()["recorded"] is True
    assert api.get(f"adr-sessions/{sid}/cue-sheet.pdf").content.startswith(b"%PDF-")
    assert api_as("client").get(f"adr-sessions/{sid}/cue-sheet.pdf").status_code == 403
