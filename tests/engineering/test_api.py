"""Engineering's API: timecode, reporting a room down, the plan, moving and resolving."""

import pytest

from postdesk.engineering.models import FaultTicket

from .conftest import at


def test_timecode_reads_converts_adds_and_measures(api_as):
    api = api_as("engineer")
    body = api.get(
        "timecode",
        rate="29.97",
        timecode="00:01:00;02",
        to_rate="25",
        add="00:00:00;28",
        end="00:02:00;04",
    ).json()
    assert body["input"] == {
        "rate": "29.97",
        "timecode": "00:01:00;02",
        "frames": 1800,
        "drop_frame": True,
        "seconds": pytest.approx(60.06),
    }
    assert body["converted"]["timecode"] == "00:01:00:02"
    assert body["sum"]["timecode"] == "00:01:01;00"
    # A drop-frame minute after the first holds 1,798 frames; ;02 to ;04 a minute later, 1,800.
    assert body["duration_frames"] == 1800
    assert body["duration"] == "00:01:00:00"


@pytest.mark.parametrize(
    ("params", "reason"),
    [
        ({"rate": "29.97", "timecode": "00:01:00;00"}, "frames 00-01 are dropped"),
        ({"rate": "25", "timecode": "00:00:00:25"}, "frame 25 does not exist at 25"),
        ({"rate": "25", "timecode": "00:00:00;00"}, "drop frame exists only at 29.97 and 59.94"),
        ({"rate": "25"}, "give either timecode or frames"),
    ],
)
def test_impossible_timecodes_are_a_422_that_says_why(api_as, params, reason):
    response = api_as("engineer").get("timecode", **params)
    assert response.status_code == 422
    assert reason in response.json()["message"]


def test_timecode_from_frames_in_drop_frame(api_as):
    body = api_as("engineer").get("timecode", rate="59.94", frames=3600, drop_frame="true").json()
    assert body["input"]["timecode"] == "00:01:00;04"


def test_a_room_down_reported_through_the_api_is_on_the_board(api_as, rooms, book, monkeypatch):
    booked = book([rooms["grade1"]], at(2, 14), at(2, 16))
    from django.utils import timezone

    monkeypatch.setattr(timezone, "now", lambda: at(2, 8))
    response = api_as("runner").post(
        "engineering/tickets",
        {
            "severity": "room_down",
            "room": rooms["grade1"].pk,
            "description": "Projector lamp blew",
            "estimate_until": "2026-03-02T18:00:00Z",
        },
    )
    assert response.status_code == 201, response.content
    ticket = response.json()
    assert [(b["start"], b["end"]) for b in ticket["blocks"]] == [
        ("2026-03-02T08:00:00+00:00", "2026-03-02T14:00:00+00:00"),
        ("2026-03-02T16:00:00+00:00", "2026-03-02T18:00:00+00:00"),
    ]
    assert [p["booking"]["id"] for p in ticket["plan"]] == [booked.pk]
    assert [s["name"] for s in ticket["plan"][0]["suggestions"]] == ["Grade 2", "Grade 3"]
    assert ticket["plan"][0]["contacts"][0]["name"] == "Hannah Reid"
    board = (
        api_as("bookings")
        .get("board", start="2026-03-02T00:00:00Z", end="2026-03-03T00:00:00Z")
        .json()
    )
    row = next(r for r in board["resources"] if r["id"] == rooms["grade1"].pk)
    assert row["notices"] == [f"ROOM DOWN (fault {ticket['id']})"]

    moved = api_as("engineer").post(
        f"engineering/tickets/{ticket['id']}/move",
        {"booking": booked.pk, "to_room": rooms["grade3"].pk},
    )
    assert moved.status_code == 200, moved.content
    after = api_as("engineer").get(f"engineering/tickets/{ticket['id']}").json()
    assert after["plan"] == []
    resolved = api_as("engineer").post(
        f"engineering/tickets/{ticket['id']}/state", {"state": "resolved", "minutes": 20}
    )
    assert resolved.json()["state"] == "resolved"
    # Resolved at 08:00 (now), where every piece of the block starts: all cancelled.
    assert resolved.json()["blocks"] == []


def test_a_runner_may_report_but_not_read_the_tickets(api_as, rooms):
    runner = api_as("runner")
    made = runner.post(
        "engineering/tickets",
        {"severity": "cosmetic", "room": rooms["edit"].pk, "description": "Chair torn"},
    )
    assert made.status_code == 201
    assert runner.get("engineering/tickets").status_code == 403
    assert (
        api_as("client")
        .post(
            "engineering/tickets",
            {"severity": "cosmetic", "room": rooms["edit"].pk, "description": "x"},
        )
        .status_code
        == 403
    )
    assert FaultTicket.objects.count() == 1


def test_unknown_fields_and_bad_rooms_are_refused_with_nothing_made(api_as, rooms, site):
    api = api_as("engineer")
    assert (
        api.post(
            "engineering/tickets",
            {"severity": "degraded", "room": rooms["edit"].pk, "description": "x", "extra": 1},
        ).status_code
        == 422
    )
    response = api.post(
        "engineering/tickets", {"severity": "degraded", "room": 999999, "description": "x"}
    )
    assert response.status_code == 422
    assert "No room with id 999999" in response.json()["message"]
    assert FaultTicket.objects.count() == 0


def test_patching_an_asset_clears_what_may_be_empty_and_refuses_null_elsewhere(api_as, rooms):
    api = api_as("engineer")
    made = api.post(
        "engineering/assets",
        {"tag": "T-9", "make": "Sony", "model": "BVM", "room": rooms["edit"].pk},
    )
    asset = made.json()["id"]
    refused = api.patch(f"engineering/assets/{asset}", {"risk_class": None})
    assert refused.status_code == 422
    assert "risk_class cannot be null" in refused.json()["message"]
    cleared = api.patch(f"engineering/assets/{asset}", {"room": None, "serial": "S1"})
    assert cleared.status_code == 200
    assert (cleared.json()["room"], cleared.json()["serial"]) == (None, "S1")
