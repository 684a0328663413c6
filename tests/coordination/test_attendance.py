# ruff: noqa: F811 (the fixtures imported below are redefined as arguments)
"""After a screening has begun: attendance (invitees who came, walk-ins by name) and
feedback notes, refused before it starts, audited; through the services, the pages and
the API."""

import datetime
import re

import pytest
from django.utils import timezone

from postdesk.coordination import attendance, screenings
from postdesk.coordination.models import FeedbackNote, Invitee, Screening, WalkIn
from postdesk.core.errors import Forbidden, InvalidInput, InvalidTransition
from postdesk.core.models import AuditEntry
from tests.coordination.test_screenings import screening, screening_job, theatre  # noqa: F401
from tests.scheduling.test_pages_resource_forms import submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def invited(screening, coordinator):
    return [
        screenings.invite(
            screening, name=name, email=f"{name.lower()}@example.com", actor=coordinator
        )
        for name in ("Priya", "Sam", "Leo")
    ]


@pytest.fixture
def begun(screening):
    """The screening moved to have begun an hour ago (the booking is irrelevant here)."""
    Screening.objects.filter(pk=screening.pk).update(
        starts_at=timezone.now() - datetime.timedelta(hours=1)
    )
    screening.refresh_from_db()
    return screening


def after(screening):
    return screening.starts_at + datetime.timedelta(minutes=5)


def test_attendance_is_refused_before_the_screening_starts(screening, invited, coordinator):
    early = screening.starts_at - datetime.timedelta(minutes=1)
    with pytest.raises(InvalidTransition) as exc:
        attendance.record_attendance(
            screening, attended=[invited[0].pk], walk_ins=[], actor=coordinator, now=early
        )
    assert "once the screening has started" in exc.value.message
    with pytest.raises(InvalidTransition):
        attendance.add_feedback(screening, note="Great", actor=coordinator, now=early)
    assert not Invitee.objects.filter(attended=True).exists()
    assert not FeedbackNote.objects.exists()


def test_attendance_marks_who_came_and_walk_ins_and_is_corrected_by_taking_it_again(
    screening,
    invited,
    coordinator,
):
    priya, sam, leo = invited
    attendance.record_attendance(
        screening,
        attended=[priya.pk, sam.pk],
        walk_ins=["  Jo  Bloggs ", "jo bloggs", "", "Ana Lima"],
        actor=coordinator,
        now=after(screening),
    )
    assert set(Invitee.objects.filter(attended=True).values_list("name", flat=True)) == {
        "Priya",
        "Sam",
    }
    assert list(WalkIn.objects.values_list("name", flat=True)) == ["Ana Lima", "Jo Bloggs"]
    entry = AuditEntry.objects.filter(summary="Attendance taken: 2 invitees, 2 walk-ins").get()
    assert entry.changes["walk_ins"] == [[], ["Ana Lima", "Jo Bloggs"]]

    attendance.record_attendance(
        screening, attended=[leo.pk], walk_ins=["Ana Lima"], actor=coordinator, now=after(screening)
    )
    assert list(Invitee.objects.filter(attended=True).values_list("name", flat=True)) == ["Leo"]
    assert list(WalkIn.objects.values_list("name", flat=True)) == ["Ana Lima"]


def test_attendance_refuses_another_screenings_invitee_and_other_roles(
    screening,
    invited,
    coordinator,
    users,
):
    with pytest.raises(InvalidInput) as exc:
        attendance.record_attendance(
            screening, attended=[10**9], walk_ins=[], actor=coordinator, now=after(screening)
        )
    assert list(exc.value.details["fields"]) == ["attended"]
    with pytest.raises(Forbidden):
        attendance.record_attendance(
            screening, attended=[], walk_ins=[], actor=users["runner"], now=after(screening)
        )


def test_feedback_notes_are_kept_in_order_and_audited(screening, coordinator):
    attendance.add_feedback(
        screening, note="The ending drags", given_by="Sam", actor=coordinator, now=after(screening)
    )
    attendance.add_feedback(
        screening, note="Loved act two", actor=coordinator, now=after(screening)
    )
    assert list(FeedbackNote.objects.values_list("given_by", "note")) == [
        ("Sam", "The ending drags"),
        ("", "Loved act two"),
    ]
    assert AuditEntry.objects.filter(object_type="coordination.feedbacknote").count() == 2
    with pytest.raises(InvalidInput):
        attendance.add_feedback(screening, note="   ", actor=coordinator, now=after(screening))


def test_the_pages_take_attendance_and_feedback(begun, invited, page_as):
    http = page_as("coordinator")
    url = f"/coordination/screenings/{begun.pk}/attendance/"
    response = submit(http, url, attended=[str(invited[1].pk)], walk_ins="Jo Bloggs\nAna Lima\n")
    assert response.status_code == 302, response.content.decode()[:2000]
    assert list(Invitee.objects.filter(attended=True).values_list("name", flat=True)) == ["Sam"]
    response = submit(
        http, f"/coordination/screenings/{begun.pk}/feedback/", given_by="Leo", note="Too long"
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    listing = http.get(f"/coordination/productions/{begun.production_id}/screenings/").content
    page = listing.decode()
    assert "Came: 1 invitees, walk-ins: Ana Lima, Jo Bloggs" in page
    assert "Too long" in page
    # the form shows what was taken, to be corrected
    again = http.get(url).content.decode()
    assert "Jo Bloggs" in again
    assert re.search(rf'value="{invited[1].pk}"[^>]*checked', again)
    assert not re.search(rf'value="{invited[0].pk}"[^>]*checked', again)


def test_the_pages_show_the_refusal_before_the_start(screening, page_as):
    http = page_as("coordinator")
    response = http.post(f"/coordination/screenings/{screening.pk}/feedback/", {"note": "Hm"})
    assert response.status_code == 200
    assert "once the screening has started" in response.content.decode()
    assert not FeedbackNote.objects.exists()


def test_attendance_and_feedback_through_the_api(begun, invited, api_as, screening_job):
    api = api_as("coordinator")
    taken = api.put(
        f"screenings/{begun.pk}/attendance",
        {"attended": [invited[0].pk], "walk_ins": ["Jo Bloggs"]},
    )
    assert taken.status_code == 200, taken.content
    body = taken.json()
    assert body["walk_ins"] == ["Jo Bloggs"]
    assert [i["attended"] for i in body["invitees"]] == [False, True, False]  # Leo, Priya, Sam
    note = api.post(f"screenings/{begun.pk}/feedback", {"note": "Sound dips", "given_by": "Jo"})
    assert note.status_code == 201, note.content
    listed = api.get(f"productions/{screening_job.production_id}/screenings").json()[0]
    assert [f["note"] for f in listed["feedback"]] == ["Sound dips"]
    assert api.post(f"screenings/{begun.pk}/feedback", {"note": ""}).status_code == 422
    assert api_as("client").put(f"screenings/{begun.pk}/attendance", {}).status_code == 403


def test_the_api_refuses_before_the_start(screening, api_as):
    refused = api_as("coordinator").post(f"screenings/{screening.pk}/feedback", {"note": "x"})
    assert refused.status_code == 409
