import datetime

import orjson
import pytest

from postdesk.core.apiutil import JSON_OPTIONS
from postdesk.core.audit import SYSTEM
from postdesk.productions import services as productions
from postdesk.scheduling import board, db, queries, services
from postdesk.scheduling.models import Booking
from postdesk.scheduling.spans import weekday_spans
from tests.scheduling.conftest import at, board_allocations

pytestmark = pytest.mark.django_db

WEEK = {"start": "2026-03-02T00:00:00Z", "end": "2026-03-09T00:00:00Z"}


def test_board_returns_resources_and_active_allocations(
    api_as, book, suite, editor, other_job, users
):
    confirmed = book([suite, editor], at(2, 9), at(2, 19), "confirmed", actor=users["bookings"])
    pencil = book([suite], at(3, 9), at(3, 19), job=other_job)
    released = book([suite], at(4, 9), at(4, 19))
    services.release_booking(released, actor=SYSTEM)
    book([suite], at(20, 9), at(20, 19))  # outside the window

    response = api_as("runner").get("board", **WEEK)

    assert response.status_code == 200
    data = response.json()
    assert (data["start"], data["end"], data["time_zone"]) == (
        "2026-03-02T00:00:00+00:00",
        "2026-03-09T00:00:00+00:00",
        "Europe/London",
    )
    assert [(r["name"], r["kind"], r["skills"]) for r in data["resources"]] == [
        ("Jo Editor", "person", ["Avid"]),
        ("Suite 3", "room", []),
    ]
    assert data["resources"][1]["site_name"] == "Soho"
    allocations = board_allocations(data)
    assert [(a["booking"], a["resource"], a["status"], a["hold_rank"]) for a in allocations] == [
        (confirmed.pk, suite.pk, "confirmed", None),
        (pencil.pk, suite.pk, "pencil", 1),
        (confirmed.pk, editor.pk, "confirmed", None),
    ]
    first = allocations[0]
    assert data["allocation_fields"] == list(board.ALLOCATION_FIELDS)
    assert data["jobs"][str(confirmed.job_id)] == {
        "number": confirmed.job.number,
        "client": confirmed.job.client_id,
        "client_name": "Northlight Pictures",
        "client_colour": confirmed.job.client.colour,
        "production": confirmed.job.production_id,
        "production_title": "The Long Tide",
    }
    assert first["start"] == "2026-03-02T09:00:00+00:00"
    assert first["challenge_deadline"] is None
    assert first["version"] == confirmed.version
    assert data["owners"] == {str(users["bookings"].pk): users["bookings"].username}
    assert allocations[1]["owner"] is None  # booked by the system, not a person


def test_board_instants_are_formatted_like_every_other_instant(api_as, book, suite, other_job):
    holder = book([suite], at(2, 9), at(2, 19))
    challenger = book([suite], at(2, 10), at(2, 11), job=other_job)
    services.challenge_booking(challenger, actor=SYSTEM)
    holder.refresh_from_db()
    api = api_as("bookings")

    board = board_allocations(api.get("board", **WEEK).json())
    detail = api.get(f"bookings/{holder.pk}").json()

    assert board[0]["booking"] == holder.pk
    assert board[0]["challenge_deadline"] == detail["challenge_deadline"]
    assert holder.challenge_deadline.microsecond != 0 or "." not in detail["challenge_deadline"]
    assert (board[0]["start"], board[0]["end"]) == (detail["start"], detail["end"])


def test_board_filters(api_as, book, suite, editor, other_job):
    book([suite], at(2, 9), at(2, 19), "confirmed")
    other = book([suite], at(3, 9), at(3, 19), job=other_job, title="Grade day")
    api = api_as("bookings")

    def names(**params):
        return [r["name"] for r in api.get("board", **WEEK, **params).json()["resources"]]

    def bookings(**params):
        return {a["booking"] for a in board_allocations(api.get("board", **WEEK, **params).json())}

    assert names(kind="person") == ["Jo Editor"]
    assert names(skill="Avid") == ["Jo Editor"]
    assert names(site="soho") == ["Jo Editor", "Suite 3"]
    assert names(site="pinewood") == []
    assert bookings(client=other_job.client_id) == {other.pk}
    assert bookings(status="pencil") == {other.pk}
    assert bookings(q="grade") == {other.pk}
    assert bookings(q=other_job.number) == {other.pk}
    assert api.get("board", **WEEK, kind="boat").status_code == 422
    assert api.get("board", start=WEEK["start"]).status_code == 422
    assert api.get("board", start="2026-03-02T00:00:00", end=WEEK["end"]).status_code == 422
    assert api.get("board", start=WEEK["end"], end=WEEK["start"]).status_code == 422


def test_board_accepts_unencoded_plus_offset(api_as, suite):
    response = api_as("bookings").get(
        "board", start="2026-03-02T00:00:00 01:00", end="2026-03-09T00:00:00+01:00"
    )
    assert response.status_code == 200
    assert response.json()["start"] == "2026-03-01T23:00:00+00:00"


def test_client_user_sees_only_own_blocks_on_board(api_as, book, suite, other_job):
    own = book([suite], at(2, 9), at(2, 19), "confirmed")
    book([suite], at(3, 9), at(3, 19), "confirmed", job=other_job)
    services.create_booking(
        job=None,
        kind="maintenance",
        resources=[suite],
        start=at(4, 9),
        end=at(4, 10),
        status="confirmed",
        actor=SYSTEM,
    )
    data = api_as("client").get("board", **WEEK).json()
    assert [a["booking"] for a in board_allocations(data)] == [own.pk]


def test_board_etag_answers_304_until_something_changes(api_as, book, suite):
    booking = book([suite], at(2, 9), at(2, 19))
    api = api_as("bookings")
    first = api.get("board", **WEEK)
    etag = first["ETag"]

    same = api.http.get("/api/v1/board", WEEK, HTTP_IF_NONE_MATCH=etag, **api.headers)
    services.update_booking(booking, title="Changed", actor=SYSTEM)
    changed = api.http.get("/api/v1/board", WEEK, HTTP_IF_NONE_MATCH=etag, **api.headers)
    services.update_resource(suite, colour="#000000", actor=SYSTEM)
    recoloured = api.http.get(
        "/api/v1/board", WEEK, HTTP_IF_NONE_MATCH=changed["ETag"], **api.headers
    )
    productions.update_client(booking.job.client, name="Northlight Films", actor=SYSTEM)
    renamed = api.http.get(
        "/api/v1/board", WEEK, HTTP_IF_NONE_MATCH=recoloured["ETag"], **api.headers
    )
    productions.update_production(booking.job.production, title="The Long Tide II", actor=SYSTEM)
    retitled = api.http.get(
        "/api/v1/board", WEEK, HTTP_IF_NONE_MATCH=renamed["ETag"], **api.headers
    )
    unchanged = api.http.get(
        "/api/v1/board", WEEK, HTTP_IF_NONE_MATCH=retitled["ETag"], **api.headers
    )

    assert same.status_code == 304
    assert changed.status_code == 200
    assert changed["ETag"] != etag
    assert recoloured.status_code == 200
    assert renamed.status_code == 200
    assert renamed.json()["jobs"][str(booking.job_id)]["client_name"] == "Northlight Films"
    assert retitled.status_code == 200
    assert retitled.json()["jobs"][str(booking.job_id)]["production_title"] == "The Long Tide II"
    assert unchanged.status_code == 304


def test_board_query_count_is_bounded(django_assert_max_num_queries, site, job, users):
    skills = [services.create_skill(actor=SYSTEM, name=n) for n in ("Avid", "Extra")]
    resources = [
        services.create_resource(
            actor=SYSTEM, kind="room", name=f"Room {i}", site=site, skills=skills[: i % 3]
        )
        for i in range(12)
    ]
    for i, resource in enumerate(resources):
        for day in range(2, 7):
            services.create_booking(
                job=job,
                resources=[resource],
                start=at(day, 9 + i % 3),
                end=at(day, 12 + i % 3),
                status="confirmed",
                actor=SYSTEM,
            )
            services.create_booking(
                job=job,
                resources=[resource],
                start=at(day, 13),
                end=at(day, 15),
                status="pencil",
                actor=SYSTEM,
            )
    user = users["bookings"]
    # resources, their skills, allocations, jobs, owners or the pinned notices, and the
    # band above the rows (the role is cached on the user)
    with django_assert_max_num_queries(6):
        data, etag = queries.board(user, start=at(2, 0), end=at(9, 0))
    assert len(data["allocations"]) == 12 * 5 * 2
    with django_assert_max_num_queries(3):
        assert queries.board_etag(user, start=at(2, 0), end=at(9, 0)) == etag


@pytest.mark.parametrize(
    "window",
    [
        {"start": at(2, 0), "end": at(9, 0)},
        {"start": at(2, 0), "end": at(9, 0), "kind": "room", "status": "pencil"},
        {"start": at(2, 0), "end": at(9, 0), "skills": ["Avid"], "q": "Long Tide"},
        {"start": at(20, 0), "end": at(21, 0)},  # resources but no allocations
        {"start": at(2, 0), "end": at(9, 0), "site": "nowhere"},  # nothing at all
    ],
)
def test_a_full_read_and_a_poll_give_the_same_etag(window, book, suite, editor, users):
    """A full GET takes its ETag from the rows it read, a poll from aggregates: the board
    polls with the first, so they must agree exactly, or every poll would reload it."""
    book([suite, editor], at(2, 9, 30), at(2, 19), "confirmed")
    book([suite], at(3, 9), at(3, 19))
    services.update_booking(book([editor], at(4, 9), at(4, 12)), title="Moved", actor=SYSTEM)
    user = users["bookings"]

    _, etag = queries.board(user, **window)

    assert queries.board_etag(user, **window) == etag


def test_availability_lists_free_resources_and_their_pencils(api_as, book, suite, suite2, editor):
    book([suite], at(2, 9), at(2, 19), "confirmed")
    pencil = book([suite2], at(2, 9), at(2, 12))
    api = api_as("runner")
    params = {"start": "2026-03-02T10:00:00Z", "end": "2026-03-02T11:00:00Z", "kind": "room"}

    free = api.get("availability", **params).json()["resources"]
    strict = api.get("availability", **params, pencils_block="true").json()["resources"]
    people = api.get("availability", start=params["start"], end=params["end"], skill="Avid")

    assert [r["name"] for r in free] == ["Suite 4"]
    assert [p["booking"] for p in free[0]["pencils"]] == [pencil.pk]
    assert free[0]["pencils"][0]["hold_rank"] == 1
    assert strict == []
    assert [r["name"] for r in people.json()["resources"]] == ["Jo Editor"]


def test_slots_find_earliest_common_free_time(api_as, book, suite, editor):
    book([suite], at(2, 9), at(2, 19), "confirmed")
    book([editor], at(3, 9), at(3, 12), "confirmed")
    api = api_as("bookings")

    response = api.get(
        "availability/slots",
        resources=f"{suite.pk},{editor.pk}",
        duration="PT10H",
        **{"from": "2026-03-02T00:00:00Z", "to": "2026-03-07T00:00:00Z"},
        working_hours="true",
    )
    anytime = api.get(
        "availability/slots",
        resources=f"{suite.pk}",
        duration="PT2H",
        **{"from": "2026-03-02T00:00:00Z", "to": "2026-03-03T00:00:00Z"},
    )

    assert response.status_code == 200, response.content
    assert [(s["start"], s["end"]) for s in response.json()["slots"]] == [
        ("2026-03-04T09:00:00+00:00", "2026-03-04T19:00:00+00:00"),
        ("2026-03-05T09:00:00+00:00", "2026-03-05T19:00:00+00:00"),
        ("2026-03-06T09:00:00+00:00", "2026-03-06T19:00:00+00:00"),
    ]
    assert [s["start"] for s in anytime.json()["slots"]] == [
        "2026-03-02T00:00:00+00:00",
        "2026-03-02T19:00:00+00:00",
    ]
    for bad in (
        {"resources": "x", "duration": "PT1H"},
        {"resources": "1", "duration": "soon"},
        {"resources": "999999", "duration": "PT1H"},
        {"duration": "PT1H"},
        {"resources": f"{suite.pk}", "duration": "-PT1H"},
    ):
        refused = api.get("availability/slots", **bad)
        assert refused.status_code == 422, (bad, refused.content)


def test_utilisation_of_a_resource(api_as, book, suite):
    book([suite], at(2, 9), at(2, 19), "confirmed")
    book([suite], at(3, 9), at(3, 14), "confirmed")
    book([suite], at(4, 9), at(4, 19))
    response = api_as("bookings").get(f"resources/{suite.pk}/utilisation", **WEEK)
    data = response.json()
    assert (data["booked_hours"], data["pencilled_hours"], data["working_hours"]) == (15, 10, 50)
    assert data["utilisation"] == 0.3


def test_weekday_days_are_ten_hours_across_both_clock_changes(site):
    zone = site.zone
    for first, last in (
        (datetime.date(2026, 3, 23), datetime.date(2026, 4, 3)),
        (datetime.date(2026, 10, 19), datetime.date(2026, 10, 30)),
    ):
        spans = weekday_spans(
            first, last, start_time=datetime.time(9), end_time=datetime.time(19), zone=zone
        )
        assert len(spans) == 10
        assert {end - start for start, end in spans} == {datetime.timedelta(hours=10)}
        assert {start.astimezone(zone).time() for start, _ in spans} == {datetime.time(9)}
    days = weekday_spans(
        datetime.date(2026, 3, 29),
        datetime.date(2026, 3, 29),
        start_time=datetime.time(9),
        end_time=datetime.time(19),
        zone=zone,
        weekdays=[6],
    )
    assert days[0][0] == datetime.datetime(2026, 3, 29, 8, tzinfo=datetime.UTC)


def test_availability_whole_span_edges(book, suite, suite2):
    book([suite], at(1, 9), at(1, 10), "confirmed")
    book([suite], at(2, 9), at(2, 12), "confirmed")
    book([suite2], at(1, 9), at(3, 9), "confirmed")  # long, started well before the window

    def free(lo, hi):
        return [r["name"] for r in queries.free_resources(start=lo, end=hi)["resources"]]

    assert free(at(2, 12), at(2, 13)) == ["Suite 3"]  # half-open: free from 12:00
    assert free(at(2, 11), at(2, 13)) == []
    assert free(at(2, 8), at(2, 9)) == ["Suite 3"]
    assert free(at(3, 9), at(3, 10)) == ["Suite 3", "Suite 4"]


def test_client_user_sees_only_own_pencils_in_availability(api_as, book, suite, other_job):
    own = book([suite], at(2, 9), at(2, 10))
    book([suite], at(2, 9), at(2, 11), job=other_job)
    data = (
        api_as("client")
        .get("availability", start="2026-03-02T09:00:00Z", end="2026-03-02T10:00:00Z")
        .json()
    )
    assert [p["booking"] for p in data["resources"][0]["pencils"]] == [own.pk]


@pytest.mark.parametrize("microsecond", [0, 500_000, 123_456, 1, 100])
def test_the_database_writes_instants_exactly_as_orjson(microsecond, book, suite):
    """Bulk reads take instants in each database's cheapest form (UtcInstant); the API
    must write them as it writes every other instant: as orjson writes an aware one."""
    moment = datetime.datetime(2026, 3, 2, 9, 0, 0, microsecond, tzinfo=datetime.UTC)
    booking = book([suite], moment, moment + datetime.timedelta(hours=1))

    value = (
        Booking.objects.filter(pk=booking.pk).values_list(db.UtcInstant("start"), flat=True).get()
    )

    written = orjson.dumps(value, option=JSON_OPTIONS).decode().strip('"')
    assert written == orjson.dumps(moment).decode().strip('"')
    assert db.instant_text(value) == written


# Every query-string instant is one pydantic type (apiutil.QueryInstant): the same 422,
# naming the parameter, on each endpoint that takes one.
INSTANT_ENDPOINTS = [
    ("board", "start", {"end": "2026-03-09T00:00:00Z"}),
    ("availability", "start", {"end": "2026-03-09T00:00:00Z"}),
    ("bookings", "start", {}),
    ("availability/slots", "from", {"duration": "PT1H", "resources": "1"}),
]


@pytest.mark.parametrize(("path", "param", "rest"), INSTANT_ENDPOINTS)
@pytest.mark.parametrize(
    ("value", "words"),
    [
        ("2026-03-02T09:00:00", "UTC offset"),
        ("1400-01-01T00:00:00Z", "on or after"),
        ("next tuesday", "valid datetime"),
        ("2026-03-02T09:00:00Z" + "0" * 60, "at most 64 characters"),
    ],
)
def test_a_bad_query_instant_is_422_naming_the_parameter(api_as, path, param, rest, value, words):
    response = api_as("bookings").get(path, **{param: value}, **rest)

    assert response.status_code == 422, response.content
    body = response.json()
    assert list(body["details"]["fields"]) == [param]
    assert words in body["message"]


def test_an_empty_query_instant_is_absent(api_as, suite):
    api = api_as("bookings")

    assert api.get("bookings", start="").status_code == 200
    missing = api.get("board", start="", end="2026-03-09T00:00:00Z")
    assert missing.status_code == 422
    assert missing.json()["message"] == "start and end are required"
