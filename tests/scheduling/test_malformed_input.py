"""Every endpoint of scheduling driven with malformed input (issue 10): ids a bigint cannot
hold, NUL in query strings, instants at the calendar's edges, unbounded repeats. Always a
4xx with the error body naming the field, never a 500, and nothing in the database changed.
"""

import json

import pytest

from postdesk.core.audit import SYSTEM
from postdesk.core.errors import InvalidInput
from postdesk.core.models import AuditEntry
from postdesk.scheduling import services, spans
from postdesk.scheduling.models import Allocation, Booking, Resource, Skill
from tests.scheduling.conftest import at

pytestmark = pytest.mark.django_db

TOO_BIG = 2**63  # one more than a bigint holds
UNKNOWN = 987654
WINDOW = {"start": "2026-03-02T00:00:00Z", "end": "2026-03-09T00:00:00Z"}
EDGES = [
    "9999-12-31T00:00:00Z",  # today's overflow: a day later does not exist
    "0001-01-01T00:00:00+14:00",  # before year 1 in UTC
    "1999-12-31T23:00:00Z",  # just before the window
    "2100-01-01T00:00:00Z",  # the window's end is not in it
]


@pytest.fixture
def world(job, suite, suite2, editor, book):
    booking = book([suite], at(2, 9), at(4, 19))
    return {
        "job": job.pk,
        "suite": suite.pk,
        "suite2": suite2.pk,
        "editor": editor.pk,
        "site": suite.site_id,
        "skill": editor.skills.get().pk,
        "booking": booking.pk,
    }


@pytest.fixture
def api(api_as, world):
    return api_as("admin")


def state() -> dict:
    """Everything a scheduling endpoint could write."""
    return {
        model.__name__: list(model.objects.order_by("pk").values())
        for model in (Booking, Allocation, Resource, Skill)
    } | {"audit": AuditEntry.objects.count()}


def fill(template, world):
    if isinstance(template, dict):
        return {k: fill(v, world) for k, v in template.items()}
    if isinstance(template, list):
        return [fill(v, world) for v in template]
    if isinstance(template, str) and template.startswith("{") and template.endswith("}"):
        return world[template[1:-1]]
    if isinstance(template, str):
        return template.format(**world)
    return template


def call(api, method, path, body=None, **query):
    if method == "get":
        return api.get(path, **query)
    if method == "delete":
        return api.delete(path)
    return getattr(api, method)(path, raw=json.dumps(body if body is not None else {}))


def assert_error(response, status, field=None):
    assert response.status_code == status, response.content
    data = response.json()
    assert set(data) == {"code", "message", "details"}
    assert isinstance(data["message"], str) and data["message"]
    if field is not None:
        assert field in data["details"]["fields"], data


def booking_body(**change):
    return {
        "job": "{job}",
        "resources": ["{suite}"],
        "start": "2026-03-10T09:00:00Z",
        "end": "2026-03-10T19:00:00Z",
        **change,
    }


def repeat_body(**change):
    return {
        "job": "{job}",
        "resources": ["{suite}"],
        "first_day": "2026-03-16",
        "last_day": "2026-03-20",
        **change,
    }


def resource_body(**change):
    return {"kind": "room", "name": "Suite 9", "site": "{site}", **change}


# --- ids in paths ---------------------------------------------------------------------

# Every scheduling endpoint with an id in its path, with a body valid but for the id.
BY_ID = [
    ("get", "bookings/{id}", None),
    ("patch", "bookings/{id}", {"title": "Moved"}),
    ("delete", "bookings/{id}", None),
    ("post", "bookings/{id}/confirm", None),
    ("post", "bookings/{id}/release", None),
    ("post", "bookings/{id}/cancel", None),
    ("post", "bookings/{id}/complete", None),
    ("post", "bookings/{id}/challenge", None),
    ("post", "bookings/{id}/resources", {"add": [1]}),
    ("post", "bookings/{id}/split", {}),
    ("get", "resources/{id}", None),
    ("patch", "resources/{id}", {"notes": "x"}),
    ("delete", "resources/{id}", None),
    ("post", "resources/{id}/archive", None),
    ("post", "resources/{id}/restore", None),
    ("get", "resources/{id}/utilisation", None),
    ("get", "skills/{id}", None),
    ("patch", "skills/{id}", {"name": "Pro Tools"}),
    ("delete", "skills/{id}", None),
]


@pytest.mark.parametrize(("method", "path", "body"), BY_ID, ids=lambda v: str(v))
@pytest.mark.parametrize(
    ("given", "status"),
    [(UNKNOWN, 404), (TOO_BIG, 422), (0, 422), (-1, 422), ("abc", 422)],
)
def test_unknown_or_malformed_path_ids(method, path, body, given, status, api):
    before = state()

    response = call(api, method, path.format(id=given), body)

    assert_error(response, status)
    assert state() == before


# --- ids in query strings and bodies --------------------------------------------------


@pytest.mark.parametrize(
    ("path", "query", "field"),
    [
        ("bookings", {"job": TOO_BIG}, "job"),
        ("bookings", {"resource": TOO_BIG}, "resource"),
        ("bookings", {"client": TOO_BIG}, "client"),
        ("bookings", {"production": TOO_BIG}, "production"),
        ("bookings", {"job": 0}, "job"),
        ("board", {**WINDOW, "client": TOO_BIG}, "client"),
        ("board", {**WINDOW, "production": TOO_BIG}, "production"),
        ("availability/slots", {"resources": str(TOO_BIG), "duration": "PT1H"}, "resources"),
        ("availability/slots", {"resources": "1,abc", "duration": "PT1H"}, "resources"),
        ("availability/slots", {"resources": "²", "duration": "PT1H"}, "resources"),
        (
            "availability/slots",
            {"resources": ",".join(str(i) for i in range(1, 102)), "duration": "PT1H"},
            "resources",
        ),
    ],
    ids=str,
)
def test_bad_ids_in_queries_are_422(path, query, field, api):
    response = api.get(path, **query)

    assert_error(response, 422, field)


@pytest.mark.parametrize(
    ("path", "query"),
    [
        ("board", {**WINDOW, "site": str(TOO_BIG)}),
        ("board", {**WINDOW, "site": "²"}),
        ("board", {**WINDOW, "skill": str(TOO_BIG)}),
        ("availability", {**WINDOW, "site": str(TOO_BIG)}),
        ("availability", {**WINDOW, "skill": f"{TOO_BIG},Avid"}),
        ("resources", {"site": str(TOO_BIG)}),
        ("resources", {"skill": "99999999999999999999999"}),
    ],
    ids=str,
)
def test_a_site_or_skill_no_row_can_have_matches_nothing(path, query, api):
    # Site and skill filters take an id or a code/name: a number that cannot be an id
    # names nothing, like an unknown code.
    response = api.get(path, **query)

    assert response.status_code == 200, response.content
    data = response.json()
    assert (data["resources"] if "resources" in data else data["results"]) == []


@pytest.mark.parametrize(
    ("method", "path", "body", "field"),
    [
        ("post", "bookings", booking_body(resources=[TOO_BIG]), "resources.0"),
        ("post", "bookings", booking_body(resources=[0]), "resources.0"),
        ("post", "bookings", booking_body(job=TOO_BIG), "job"),
        ("post", "bookings", booking_body(resources=list(range(1, 102))), "resources"),
        ("post", "bookings/repeat", repeat_body(resources=[TOO_BIG]), "resources.0"),
        ("post", "bookings/repeat", repeat_body(job=TOO_BIG), "job"),
        ("patch", "bookings/{booking}", {"resources": [TOO_BIG]}, "resources.0"),
        ("post", "bookings/{booking}/resources", {"add": [TOO_BIG]}, "add.0"),
        ("post", "bookings/{booking}/resources", {"remove": [TOO_BIG]}, "remove.0"),
        ("post", "bookings/{booking}/resources", {"add": list(range(1, 102))}, "add"),
        ("post", "resources", resource_body(site=TOO_BIG), "site"),
        ("post", "resources", resource_body(location=TOO_BIG), "location"),
        ("post", "resources", resource_body(skills=[TOO_BIG]), "skills.0"),
        ("patch", "resources/{suite}", {"site": TOO_BIG}, "site"),
        ("patch", "resources/{suite}", {"location": TOO_BIG}, "location"),
        ("patch", "resources/{suite}", {"skills": [TOO_BIG]}, "skills.0"),
        (
            "post",
            "resources",
            resource_body(working_hours={"mon": [["09:00", "19:00"]] * 49}),
            "working_hours.mon",
        ),
        ("post", "resources", resource_body(notes="x" * 5001), "notes"),
    ],
    ids=lambda v: v if isinstance(v, str) and len(v) < 40 else "",
)
def test_bad_ids_and_oversized_lists_in_bodies_are_422(method, path, body, field, api, world):
    before = state()

    response = call(api, method, fill(path, world), fill(body, world))

    assert_error(response, 422, field)
    assert state() == before


def test_services_refuse_ids_a_bigint_cannot_hold(job, suite):
    # Pages and forms call the services directly: the bound holds there too.
    with pytest.raises(InvalidInput) as refused:
        services.create_booking(
            job=job, resources=[suite.pk, TOO_BIG], start=at(2, 9), end=at(2, 19), actor=SYSTEM
        )

    assert refused.value.details == {"fields": {"resources": [f"{TOO_BIG} is not a resource id"]}}
    assert Booking.objects.count() == 0


# --- NUL in query strings ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "query", "field"),
    [
        ("bookings", {"status": "pencil\x00"}, "status"),
        ("bookings", {"start": "2026-03-02T00:00:00Z\x00"}, "start"),
        ("bookings", {"ordering": "start\x00"}, "ordering"),
        ("board", {**WINDOW, "q": "a\x00b"}, "q"),
        ("board", {**WINDOW, "site": "soho\x00"}, "site"),
        ("board", {**WINDOW, "skill": "Avid\x00"}, "skill"),
        ("board", {**WINDOW, "status": "pencil\x00"}, "status"),
        ("availability", {**WINDOW, "kind": "room\x00"}, "kind"),
        ("availability", {**WINDOW, "site": "a\x00b"}, "site"),
        ("availability/slots", {"resources": "1\x00", "duration": "PT1H"}, "resources"),
        ("resources", {"q": "a\x00b"}, "q"),
        ("resources", {"site": "soho\x00"}, "site"),
        ("resources", {"skill": "a\x00b"}, "skill"),
        ("resources/{suite}/utilisation", {**WINDOW, "end": "2026-03-09\x00"}, "end"),
        ("skills", {"q": "a\x00b"}, "q"),
    ],
    ids=str,
)
def test_nul_in_a_query_string_is_422_naming_the_field(path, query, field, api, world):
    response = api.get(fill(path, world), **query)

    assert_error(response, 422, field)


# --- instants and dates at the calendar's edges ---------------------------------------


@pytest.mark.parametrize("instant", EDGES)
@pytest.mark.parametrize("field", ["start", "end"])
def test_a_booking_outside_the_window_is_422_naming_the_field(instant, field, api, world):
    before = state()
    other = {"start": "2026-03-10T09:00:00Z", "end": "2026-03-10T19:00:00Z"}
    body = {**booking_body(), **other, field: instant}

    response = call(api, "post", "bookings", fill(body, world))

    assert_error(response, 422, field)
    assert state() == before


@pytest.mark.parametrize("instant", EDGES)
def test_moving_a_booking_outside_the_window_is_422(instant, api, world):
    before = state()

    response = call(api, "patch", f"bookings/{world['booking']}", {"start": instant})

    assert_error(response, 422, "start")
    assert state() == before


def test_the_services_refuse_a_booking_outside_the_window(job, suite):
    import datetime

    with pytest.raises(InvalidInput) as refused:
        services.create_booking(
            job=job,
            resources=[suite],
            start=datetime.datetime(9999, 12, 31, tzinfo=datetime.UTC),
            end=datetime.datetime(9999, 12, 31, 10, tzinfo=datetime.UTC),
            actor=SYSTEM,
        )

    assert list(refused.value.details["fields"]) == ["start"]
    assert Booking.objects.count() == 0


@pytest.mark.parametrize("instant", EDGES)
@pytest.mark.parametrize(
    ("path", "start_name", "end_name", "extra"),
    [
        ("board", "start", "end", {}),
        ("availability", "start", "end", {}),
        ("resources/{suite}/utilisation", "start", "end", {}),
        ("availability/slots", "from", "to", {"resources": "{suite}", "duration": "PT1H"}),
    ],
)
@pytest.mark.parametrize("side", ["start", "end"])
def test_a_read_window_at_the_calendars_edge_is_422(
    instant, path, start_name, end_name, extra, side, api, world
):
    # The other side inside the window, so only the edge itself can be what is wrong.
    name = start_name if side == "start" else end_name
    query = {
        start_name: WINDOW["start"],
        end_name: WINDOW["end"],
        name: instant,
        **fill(extra, world),
    }

    response = api.get(fill(path, world), **query)

    assert_error(response, 422, name)


@pytest.mark.parametrize("instant", EDGES)
@pytest.mark.parametrize("field", ["start", "end"])
def test_a_booking_list_filter_outside_the_window_is_422(instant, field, api):
    response = api.get("bookings", **{field: instant})

    assert_error(response, 422, field)


def test_slots_from_the_last_day_of_the_window_is_refused_not_overflowed(api, world):
    # No `to`: the search runs 28 days on, past the window's end.
    response = api.get(
        "availability/slots", resources=str(world["suite"]), duration="PT1H", **{"from": EDGES[0]}
    )

    assert_error(response, 422, "from")


# --- repeats --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"first_day": "0001-01-01", "last_day": "9999-12-31", "weekdays": []}, "weekdays"),
        ({"first_day": "0001-01-01", "last_day": "0001-01-05"}, "first_day"),
        ({"first_day": "2099-12-28", "last_day": "9999-12-31"}, "last_day"),
        ({"first_day": "1999-12-27", "last_day": "2000-01-05"}, "first_day"),
        ({"first_day": "2026-03-02", "last_day": "2027-03-03"}, "last_day"),
        ({"weekdays": []}, "weekdays"),
        ({"weekdays": [0, 7]}, "weekdays.1"),
        ({"weekdays": [0] * 8}, "weekdays"),
        ({"start_time": "09:00:00:00"}, "start_time"),
    ],
    ids=str,
)
def test_bad_repeats_are_422_and_book_nothing(change, field, api, world):
    before = state()

    response = call(api, "post", "bookings/repeat", fill(repeat_body(**change), world))

    assert_error(response, 422, field)
    assert state() == before


def test_a_repeat_over_a_full_leap_year_is_accepted(api, world):
    # 2028-01-03 to 2028-12-31 inclusive: 364 days; a Monday each week.
    response = call(
        api,
        "post",
        "bookings/repeat",
        fill(repeat_body(first_day="2028-01-01", last_day="2028-12-31", weekdays=[0]), world),
    )

    assert response.status_code == 201, response.content
    assert len(response.json()["bookings"]) == 52


def test_a_repeat_range_is_refused_before_any_day_is_walked(monkeypatch):
    import datetime
    import zoneinfo

    walked = []
    monkeypatch.setattr(spans, "day_span", lambda *args: walked.append(args))

    with pytest.raises(InvalidInput) as refused:
        spans.weekday_spans(
            datetime.date(2000, 1, 1),
            datetime.date(2099, 12, 31),
            start_time=datetime.time(9),
            end_time=datetime.time(19),
            zone=zoneinfo.ZoneInfo("Europe/London"),
            weekdays=[],
        )

    assert list(refused.value.details["fields"]) == ["last_day"]
    assert walked == []


def test_a_series_of_too_many_occurrences_is_refused_by_the_service(job, suite):
    import datetime

    day = datetime.timedelta(days=1)
    occurrences = [
        (at(1, 9, month=4) + n * day, at(1, 10, month=4) + n * day)
        for n in range(spans.MAX_OCCURRENCES + 1)
    ]

    with pytest.raises(InvalidInput) as refused:
        services.create_repeating(job=job, resources=[suite], occurrences=occurrences, actor=SYSTEM)

    assert list(refused.value.details["fields"]) == ["occurrences"]
    assert Booking.objects.count() == 0


# --- pages ----------------------------------------------------------------------------


@pytest.mark.parametrize("week", ["9999-12-31", "0001-01-01", "2100-01-04", "10000-01-01"])
def test_the_resource_page_shows_this_week_for_a_week_outside_the_window(week, page_as, suite):
    import datetime

    from postdesk.core.timeutil import facility_zone

    today = datetime.datetime.now(facility_zone()).date()

    response = page_as("bookings").get(f"/resources/{suite.pk}/", {"week": week})

    assert response.status_code == 200
    assert response.context["week"] == today - datetime.timedelta(days=today.weekday())


@pytest.mark.parametrize("date", ["9999-12-31", "0001-01-01", "2100-01-01"])
def test_the_board_page_opens_on_today_for_a_date_outside_the_window(date, page_as):
    import datetime

    from postdesk.core.timeutil import facility_zone

    response = page_as("bookings").get("/board/", {"date": date})

    assert response.status_code == 200
    today = datetime.datetime.now(facility_zone()).date().isoformat()
    assert response.context["config"]["date"] == today


def test_a_resource_page_for_an_id_no_row_can_have_is_404(page_as):
    response = page_as("bookings").get(f"/resources/{TOO_BIG}/")

    assert response.status_code == 404


@pytest.mark.parametrize(
    "query",
    [
        {"q": "a\x00b"},
        {"site": str(TOO_BIG)},
        {"site": "²"},
        {"kind": "room\x00"},
        {"ordering": "name\x00"},
        {"page": str(TOO_BIG)},
    ],
    ids=str,
)
def test_a_resource_list_filter_that_cannot_match_is_ignored(query, page_as, suite):
    response = page_as("bookings").get("/resources/", query)

    assert response.status_code == 200
    assert [r.pk for r in response.context["page_obj"]] == [suite.pk]


@pytest.mark.parametrize("view", ["4week\x00", "x" * 1000])
def test_the_board_page_takes_an_unknown_view_as_a_week(view, page_as):
    response = page_as("bookings").get("/board/", {"view": view, "date": "2026-03-02\x00"})

    assert response.status_code == 200
    assert response.context["config"]["view"] == "week"


# --- the lists' paging, ordering and filters ----------------------------------------------


@pytest.mark.parametrize("path", ["bookings", "resources", "skills"])
@pytest.mark.parametrize(
    "query",
    [
        {"page": 0},
        {"page": -1},
        {"page": "abc"},
        {"page": 10**12},
        {"page": TOO_BIG},
        {"page_size": 0},
        {"page_size": -5},
        {"page_size": 100000},
        {"page_size": "many"},
    ],
    ids=lambda q: str(q)[:40],
)
def test_bad_paging_is_422_naming_the_parameter(path, query, api):
    assert_error(call(api, "get", path, **query), 422, next(iter(query)))


@pytest.mark.parametrize(
    ("path", "query"),
    [
        ("bookings", {"ordering": "nope"}),
        ("bookings", {"status": "nope"}),
        ("bookings", {"kind": "nope"}),
        ("bookings", {"job": TOO_BIG}),
        ("bookings", {"resource": 0}),
        ("bookings", {"start": "yesterday"}),
        ("bookings", {"end": "2026-03-02T09:00:00"}),
        ("bookings", {"start": "9999-12-31T23:59:59Z"}),
        ("resources", {"ordering": "-nope"}),
        ("resources", {"kind": "spaceship"}),
        ("resources", {"q": "x" * 201}),
        ("skills", {"q": "a\x00"}),
    ],
    ids=str,
)
def test_bad_list_parameters_are_422_naming_them(path, query, api):
    assert_error(call(api, "get", path, **query), 422, next(iter(query)))
