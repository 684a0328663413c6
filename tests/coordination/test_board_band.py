# ruff: noqa: F811 (the fixtures imported below are redefined as arguments)
"""Milestones on the board: a band above the rows carrying the milestones, in the
board's window, of the productions whose bookings it shows (scheduling/board_bands.py,
filled by coordination); the ETag changes when a milestone does; one query for it."""

import datetime

import pytest

from postdesk.coordination import services
from postdesk.coordination.board import milestone_band
from postdesk.core.audit import SYSTEM
from postdesk.productions import services as productions
from postdesk.scheduling import board_bands, queries
from tests.scheduling.conftest import at, book, suite  # noqa: F401

pytestmark = pytest.mark.django_db

WEEK = {"start": "2026-03-02T00:00:00Z", "end": "2026-03-09T00:00:00Z"}


def day(n: int) -> datetime.date:
    return datetime.date(2026, 3, n)


@pytest.fixture
def plan(production, users):
    """The Long Tide's schedule: picture lock on the 3rd, the grade planned for the 5th
    and revised to the 6th (slipped), the mix on the 20th (outside the week)."""
    coordinator = users["coordinator"]
    for kind, planned, revised in (
        ("picture_lock", day(3), None),
        ("grade", day(5), day(6)),
        ("mix", day(20), None),
    ):
        services.set_milestone(
            production=production, kind=kind, planned=planned, revised=revised, actor=coordinator
        )


@pytest.fixture
def other_production(client_company, users):
    other = productions.create_production(
        actor=SYSTEM, client=client_company, title="Night Shift", kind="series"
    )
    services.set_milestone(
        production=other, kind="online", planned=day(4), actor=users["coordinator"]
    )
    return other


def test_coordination_registers_the_band_with_scheduling():
    assert milestone_band in board_bands._providers


def test_the_band_holds_the_shown_productions_milestones_in_the_window(
    api_as,
    book,
    suite,
    plan,
    other_production,
):
    book([suite], at(2, 9), at(2, 19))  # a booking of The Long Tide's job
    data = api_as("bookings").get("board", **WEEK).json()

    assert [(b["label"], b["date"], b["flag"]) for b in data["bands"]] == [
        ("Picture lock", "2026-03-03", ""),
        ("Grade", "2026-03-06", "slipped"),
    ]
    grade = data["bands"][1]
    assert grade["production_title"] == "The Long Tide"
    assert grade["kind"] == "milestone"
    assert "slipped from Thu 05 Mar" in grade["detail"]
    # Night Shift has no booking on the board: its online is not in the band


def test_the_band_follows_the_productions_filter_and_an_empty_board(
    api_as,
    book,
    suite,
    plan,
    other_production,
    job,
):
    other_job = productions.create_job(
        actor=SYSTEM, production=other_production, description="Online"
    )
    book([suite], at(2, 9), at(2, 12))
    book([suite], at(3, 9), at(3, 12), job=other_job)
    api = api_as("bookings")
    both = api.get("board", **WEEK).json()["bands"]
    assert [b["label"] for b in both] == ["Picture lock", "Online", "Grade"]
    only = api.get("board", production=other_production.pk, **WEEK).json()["bands"]
    assert [b["label"] for b in only] == ["Online"]
    later = api.get("board", start="2026-04-06T00:00:00Z", end="2026-04-13T00:00:00Z").json()
    assert later["bands"] == []


def test_a_client_sees_only_its_own_productions_band(api_as, book, suite, plan):
    book([suite], at(2, 9), at(2, 19))
    assert len(api_as("client").get("board", **WEEK).json()["bands"]) == 2


def test_the_etag_changes_when_a_milestone_does(api_as, book, suite, plan, production, users):
    book([suite], at(2, 9), at(2, 19))
    api = api_as("bookings")
    etag = api.get("board", **WEEK)["ETag"]

    def poll(tag):
        return api.http.get("/api/v1/board", WEEK, HTTP_IF_NONE_MATCH=tag, **api.headers)

    assert poll(etag).status_code == 304
    services.set_milestone(
        production=production,
        kind="picture_lock",
        planned=day(3),
        revised=day(4),
        actor=users["coordinator"],
    )
    moved = poll(etag)
    assert moved.status_code == 200
    assert moved.json()["bands"][0]["flag"] == "slipped"
    assert poll(moved["ETag"]).status_code == 304
    services.set_milestone(
        production=production, kind="online", planned=day(5), actor=users["coordinator"]
    )
    assert poll(moved["ETag"]).status_code == 200


def test_the_full_read_and_the_poll_agree_and_the_band_is_one_query(
    book,
    suite,
    plan,
    users,
    django_assert_max_num_queries,
):
    book([suite], at(2, 9), at(2, 19))
    user = users["bookings"]
    window = {"start": at(2, 0), "end": at(9, 0)}
    with django_assert_max_num_queries(6):
        data, etag = queries.board(user, **window)
    assert len(data["bands"]) == 2
    with django_assert_max_num_queries(3):
        assert queries.board_etag(user, **window) == etag
