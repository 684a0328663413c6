import pytest

from postdesk.core.audit import SYSTEM
from postdesk.core.models import AuditEntry
from postdesk.scheduling import services
from postdesk.scheduling.models import Allocation, Booking
from tests.scheduling.conftest import at

pytestmark = pytest.mark.django_db


def body(job, resources, start="2026-03-02T09:00:00Z", end="2026-03-02T19:00:00Z", **extra):
    return {
        "job": job.pk,
        "resources": [r.pk for r in resources],
        "start": start,
        "end": end,
        **extra,
    }


def test_create_pencil_returns_booking_with_ranked_allocations(api_as, job, suite, editor):
    response = api_as("bookings").post("bookings", body(job, [suite, editor], title="Day 1"))

    assert response.status_code == 201
    data = response.json()
    assert data["status"] == "pencil"
    assert data["job_number"] == job.number
    assert data["client_name"] == "Northlight Pictures"
    assert data["production_title"] == "The Long Tide"
    assert data["start"] == "2026-03-02T09:00:00+00:00"
    assert [(a["resource"], a["resource_name"], a["hold_rank"]) for a in data["allocations"]] == [
        (suite.pk, "Suite 3", 1),
        (editor.pk, "Jo Editor", 1),
    ]
    assert Booking.objects.get(pk=data["id"]).owner.username == "bookings-user"


def test_create_with_offset_is_stored_in_utc(api_as, job, suite):
    response = api_as("bookings").post(
        "bookings", body(job, [suite], "2026-06-01T10:00:00+01:00", "2026-06-01T12:00:00+01:00")
    )
    assert response.status_code == 201
    assert Booking.objects.get().start == at(1, 9, month=6)


def test_conflict_is_409_with_the_clash(api_as, job, suite):
    api = api_as("bookings")
    first = api.post("bookings", body(job, [suite], status="confirmed")).json()

    response = api.post(
        "bookings",
        body(job, [suite], "2026-03-02T18:00:00Z", "2026-03-02T20:00:00Z", status="confirmed"),
    )

    assert response.status_code == 409
    data = response.json()
    assert data["code"] == "booking_conflict"
    assert data["message"].startswith("Suite 3 is confirmed for Northlight Pictures")
    [conflict] = data["details"]["conflicts"]
    assert {k: conflict[k] for k in ("booking", "resource", "resource_name", "job", "start")} == {
        "booking": first["id"],
        "resource": suite.pk,
        "resource_name": "Suite 3",
        "job": job.pk,
        "start": "2026-03-02T09:00:00+00:00",
    }
    assert Booking.objects.count() == 1


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"start": "2026-03-02T09:00:00"}, "start", "UTC offset"),
        ({"end": "2026-03-02T09:00:00Z"}, "end", "after start"),
        ({"end": "2026-06-02T09:00:00Z"}, "end", "90 days"),
        ({"resources": [987654]}, "resources", "No resource"),
        ({"job": 987654}, "job", "No job"),
        ({"status": "released"}, "status", ""),
        ({"start": "next tuesday"}, "start", ""),
        ({"resources": ["a"]}, "resources.0", ""),
        ({"colour": "red"}, "colour", ""),
        ({"resources": []}, "resources", ""),
        ({"title": "x" * 201}, "title", ""),
    ],
)
def test_invalid_create_is_422_and_books_nothing(api_as, job, suite, change, field, words):
    response = api_as("bookings").post("bookings", {**body(job, [suite]), **change})

    assert response.status_code == 422, response.content
    data = response.json()
    assert data["code"] == "invalid"
    assert field in data["details"]["fields"]
    assert words in data["message"]
    assert Booking.objects.count() == 0


def test_archived_resource_is_422(api_as, job, suite):
    services.archive_resource(suite, actor=SYSTEM)
    response = api_as("bookings").post("bookings", body(job, [suite]))
    assert response.status_code == 422
    assert "archived" in response.json()["message"]


# A body that is not JSON cannot be parsed (400); JSON of the wrong shape, or no body at
# all, is invalid (422).
@pytest.mark.parametrize(
    ("raw", "status", "code"),
    [
        ("{", 400, "bad_request"),
        ("[]", 422, "invalid"),
        ("null", 422, "invalid"),
        ('"text"', 422, "invalid"),
        ("", 422, "invalid"),
    ],
)
def test_malformed_json_is_4xx_with_error_body(api_as, raw, status, code):
    response = api_as("bookings").post("bookings", raw=raw)
    assert response.status_code == status
    assert set(response.json()) == {"code", "message", "details"}
    assert response.json()["code"] == code
    assert Booking.objects.count() == 0


def test_maintenance_defaults_to_confirmed_without_job(api_as, suite):
    response = api_as("engineer").post(
        "bookings",
        {
            "kind": "maintenance",
            "resources": [suite.pk],
            "start": "2026-03-02T07:00:00Z",
            "end": "2026-03-02T09:00:00Z",
            "title": "Projector lamp",
        },
    )
    assert response.status_code == 201
    assert response.json()["status"] == "confirmed"
    assert response.json()["allocations"][0]["blocking"] is True


@pytest.mark.parametrize("role", ["accounts", "runner", "reception", "client", "library"])
def test_roles_without_change_bookings_cannot_write(api_as, job, suite, role):
    response = api_as(role).post("bookings", body(job, [suite]))
    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"
    assert Booking.objects.count() == 0


def test_get_patch_delete(api_as, book, job, suite, suite2):
    # The post coordinator books ADR work (core/roles.py), so this job is ADR.
    job.work_type = "adr"
    job.save(update_fields=["work_type"])
    booking = book([suite], at(2, 9), at(2, 19))
    api = api_as("coordinator")

    got = api.get(f"bookings/{booking.pk}")
    patched = api.patch(
        f"bookings/{booking.pk}",
        {"start": "2026-03-02T10:00:00Z", "resources": [suite2.pk], "title": "Moved"},
    )
    deleted = api.delete(f"bookings/{booking.pk}")

    assert got.status_code == 200
    assert patched.status_code == 200
    assert patched.json()["start"] == "2026-03-02T10:00:00+00:00"
    assert patched.json()["title"] == "Moved"
    assert [a["resource"] for a in patched.json()["allocations"]] == [suite2.pk]
    assert deleted.status_code == 200
    assert deleted.json()["status"] == "cancelled"
    assert Booking.objects.filter(pk=booking.pk).exists()
    assert AuditEntry.objects.filter(
        object_id=str(booking.pk),
        object_type="scheduling.booking",
        changes__status=["pencil", "cancelled"],
    ).exists()


@pytest.mark.parametrize(
    ("payload", "status"),
    [
        ({"status": "confirmed"}, 422),
        ({"start": None}, 422),
        ({"resources": []}, 422),
        ({"end": "2026-03-02T08:00:00Z"}, 422),
        ({"start": "2026-03-02T10:00:00"}, 422),
    ],
)
def test_bad_patch_changes_nothing(api_as, book, suite, payload, status):
    booking = book([suite], at(2, 9), at(2, 19))
    response = api_as("bookings").patch(f"bookings/{booking.pk}", payload)
    assert response.status_code == status
    assert set(response.json()) == {"code", "message", "details"}
    booking.refresh_from_db()
    assert (booking.start, booking.end, booking.version) == (at(2, 9), at(2, 19), 1)


@pytest.mark.parametrize(
    "path",
    [
        "bookings/999999",
        "bookings/999999/confirm",
        "bookings/999999/release",
        "bookings/999999/cancel",
        "bookings/999999/challenge",
    ],
)
def test_unknown_booking_is_404(api_as, path):
    api = api_as("bookings")
    response = api.get(path) if path.count("/") == 1 else api.post(path)
    assert response.status_code == 404
    assert set(response.json()) == {"code", "message", "details"}
    assert response.json()["code"] == "not_found"


def test_a_booking_id_that_is_not_a_number_is_422(api_as):
    response = api_as("bookings").get("bookings/abc")
    assert response.status_code == 422
    assert response.json()["code"] == "invalid"


def test_transitions_over_http(api_as, book, suite, other_job):
    api = api_as("bookings")
    first = book([suite], at(2, 9), at(2, 19))
    second = book([suite], at(2, 12), at(2, 20), job=other_job)

    refused = api.post(f"bookings/{second.pk}/confirm")
    challenge = api.post(f"bookings/{second.pk}/challenge")
    release = api.post(f"bookings/{first.pk}/release")
    confirm = api.post(f"bookings/{second.pk}/confirm")
    again = api.post(f"bookings/{second.pk}/confirm")
    cancel = api.post(f"bookings/{second.pk}/cancel")

    assert refused.status_code == 409
    assert refused.json()["code"] == "higher_pencil"
    assert refused.json()["details"]["pencils"][0]["booking"] == first.pk
    assert challenge.status_code == 200
    assert [b["id"] for b in challenge.json()["challenged"]] == [first.pk]
    assert challenge.json()["challenged"][0]["challenge_deadline"] is not None
    assert release.json()["status"] == "released"
    assert confirm.json()["status"] == "confirmed"
    assert again.status_code == 409
    assert again.json()["code"] == "invalid_transition"
    assert cancel.json()["status"] == "cancelled"


def test_client_user_sees_only_own_bookings(api_as, book, suite, other_job):
    own = book([suite], at(2, 9), at(2, 10))
    other = book([suite], at(3, 9), at(3, 10), job=other_job)
    api = api_as("client")

    assert api.get(f"bookings/{own.pk}").status_code == 200
    assert api.get(f"bookings/{other.pk}").status_code == 404
    assert [b["id"] for b in api.get("bookings").json()["results"]] == [own.pk]


def test_list_filters_and_paginates(api_as, book, suite, suite2, other_job):
    a = book([suite], at(2, 9), at(2, 10))
    b = book([suite2], at(3, 9), at(3, 10), "confirmed", job=other_job)
    c = book([suite], at(4, 9), at(4, 10))
    api = api_as("runner")

    def ids(**params):
        response = api.get("bookings", **params)
        assert response.status_code == 200, response.content
        return [r["id"] for r in response.json()["results"]]

    assert ids() == [a.pk, b.pk, c.pk]
    assert ids(resource=suite.pk) == [a.pk, c.pk]
    assert ids(status="confirmed") == [b.pk]
    assert ids(job=other_job.pk) == [b.pk]
    assert ids(start="2026-03-03T00:00:00Z", end="2026-03-04T00:00:00Z") == [b.pk]
    assert ids(page_size=2, page=2) == [c.pk]
    assert api.get("bookings", status="nonsense").status_code == 422
    assert api.get("bookings", start="2026-03-03T00:00:00").status_code == 422
    assert api.get("bookings", page_size=100000).status_code == 422


def test_split_repeat_and_resources_endpoints(api_as, book, job, suite, editor):
    api = api_as("bookings")
    booking = book([suite], at(2, 9), at(4, 19), "confirmed")

    split = api.post(f"bookings/{booking.pk}/split", {})
    added = api.post(f"bookings/{booking.pk}/resources", {"add": [editor.pk]})
    removed = api.post(f"bookings/{booking.pk}/resources", {"remove": [suite.pk]})
    empty = api.post(f"bookings/{booking.pk}/resources", {})
    repeat = api.post(
        "bookings/repeat",
        {
            "job": job.pk,
            "resources": [suite.pk],
            "first_day": "2026-03-23",
            "last_day": "2026-04-03",
            "start_time": "09:00",
            "end_time": "19:00",
            "status": "confirmed",
        },
    )

    assert split.status_code == 200
    assert [b["start"] for b in split.json()["bookings"]] == [
        "2026-03-02T09:00:00+00:00",
        "2026-03-03T09:00:00+00:00",
        "2026-03-04T09:00:00+00:00",
    ]
    assert added.status_code == 200
    assert [a["resource"] for a in removed.json()["allocations"]] == [editor.pk]
    assert empty.status_code == 422
    assert repeat.status_code == 201, repeat.content
    made = repeat.json()["bookings"]
    assert len(made) == 10
    # London clocks go forward on Sunday 29 March: 09:00 local is 08:00 UTC afterwards.
    assert (made[4]["start"], made[5]["start"]) == (
        "2026-03-27T09:00:00+00:00",
        "2026-03-30T08:00:00+00:00",
    )
    assert all(
        Allocation.objects.filter(booking_id=b["id"]).get().end
        - Allocation.objects.filter(booking_id=b["id"]).get().start
        == at(2, 19) - at(2, 9)
        for b in made
    )


def test_repeat_skipping_reports_skipped_days(api_as, book, job, suite):
    book([suite], at(24, 12), at(24, 13), "confirmed")
    response = api_as("bookings").post(
        "bookings/repeat",
        {
            "job": job.pk,
            "resources": [suite.pk],
            "first_day": "2026-03-23",
            "last_day": "2026-03-27",
            "status": "confirmed",
            "skip_conflicts": True,
        },
    )
    assert response.status_code == 201
    assert len(response.json()["bookings"]) == 4
    assert [s["start"] for s in response.json()["skipped"]] == ["2026-03-24T09:00:00+00:00"]


def test_repeat_all_or_nothing_is_409(api_as, book, job, suite):
    book([suite], at(24, 12), at(24, 13), "confirmed")
    response = api_as("bookings").post(
        "bookings/repeat",
        {
            "job": job.pk,
            "resources": [suite.pk],
            "first_day": "2026-03-23",
            "last_day": "2026-03-27",
            "status": "confirmed",
            "weekdays": [0, 1, 2],
        },
    )
    assert response.status_code == 409
    assert Booking.objects.count() == 1


@pytest.mark.parametrize(
    "change",
    [
        {"start_time": "24:00"},
        {"end_time": "08:00"},
        {"start_time": "9am"},
        {"last_day": "2026-03-01"},
        {"weekdays": [7]},
        {"weekdays": [5, 6]},
        {"first_day": "2026-03-02", "last_day": "2027-12-31"},
    ],
)
def test_bad_repeat_is_422(api_as, job, suite, change):
    response = api_as("bookings").post(
        "bookings/repeat",
        {
            "job": job.pk,
            "resources": [suite.pk],
            "first_day": "2026-03-02",
            "last_day": "2026-03-06",
            **change,
        },
    )
    assert response.status_code == 422, response.content
    assert Booking.objects.count() == 0


def test_complete_over_http(api_as, book, suite):
    booking = book([suite], at(2, 9), at(2, 19), "confirmed")
    response = api_as("bookings").post(f"bookings/{booking.pk}/complete")
    assert response.status_code == 200
    assert response.json()["status"] == "completed"
