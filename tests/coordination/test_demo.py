"""Coordination's demo: every active production gets a list at different stages, a plan
with a slipped milestone, deal memos; documents with versions."""

import pytest

from postdesk.coordination import edl
from postdesk.coordination.models import (
    AdrSession,
    Cue,
    DealMemo,
    Deliverable,
    Document,
    DocumentVersion,
    Edl,
    Invitee,
    Milestone,
    Screening,
)
from postdesk.coordination.queries import timeline
from postdesk.core.demo import load_demo

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_the_demo_loads_coordination_through_the_services():
    lines = load_demo()

    line = next(x for x in lines if x.startswith("demo:postdesk.coordination:"))
    assert "deliverables" in line
    statuses = set(Deliverable.objects.values_list("status", flat=True))
    assert {"not_started", "in_progress", "in_qc", "accepted"} <= statuses
    slipped = Milestone.objects.get(revised__isnull=False)
    row = next(r for r in timeline(slipped.production) if r["kind"] == "grade")
    assert (slipped.kind, row["slipped"]) == ("grade", True)
    assert set(DealMemo.objects.values_list("status", flat=True)) <= {"offered", "accepted"}
    assert DealMemo.objects.exists()
    assert DocumentVersion.objects.filter(number=2).count() == 2
    assert "ADR session of 40 cues" in line
    assert (Cue.objects.count(), Cue.objects.filter(recorded=True).count()) == (40, 20)
    upcoming = Invitee.objects.filter(screening__cut_version="Director's cut v3")
    assert sorted(upcoming.values_list("response", flat=True)) == [
        "accepted",
        "accepted",
        "accepted",
        "declined",
        "pending",
    ]
    # the earlier screening: two invitees and a walk-in came, two notes of feedback
    earlier = Screening.objects.get(cut_version="Director's cut v2")
    assert earlier.invitees.filter(attended=True).count() == 2
    assert list(earlier.walk_ins.values_list("name", flat=True)) == ["Dana Cole"]
    assert earlier.feedback.count() == 2
    assert AdrSession.objects.get().agent_email == "bookings@wilde.example"
    assert Deliverable.objects.filter(cost__isnull=False).count() >= 3
    assert Document.objects.filter(version_requested_at__isnull=False).count() == 2
    cut = Edl.objects.get()
    pull = edl.pull_list(cut)
    assert pull["unmatched"] == ["LOST01"] and len(pull["matched"]) >= 2
    assert ", an EDL of" in line
    again = load_demo()
    assert "demo:postdesk.coordination: already loaded" in again
