"""The visibility policy helper (core/visibility.py) and the board's use of it."""

import pytest

from postdesk.core.audit import SYSTEM
from postdesk.core.visibility import COSTS, MONEY, STAFF, Policy
from postdesk.scheduling import board, queries, services
from postdesk.scheduling.visibility import BOOKING, RESOURCE
from tests.scheduling.conftest import at, board_allocations

pytestmark = pytest.mark.django_db


def test_a_policy_reads_as_a_table_of_roles_and_hidden_fields():
    policy = Policy("thing", {"cost": COSTS, "price": MONEY, "memo": STAFF})

    table = policy.table()

    assert table["bookings"] == []
    assert table["accounts"] == []
    assert table["engineer"] == ["cost", "price"]
    assert table["runner"] == ["cost", "price"]
    assert table["client"] == ["cost", "memo"]


def test_an_unknown_audience_is_a_mistake_caught_at_declaration():
    with pytest.raises(ValueError, match="unknown audiences"):
        Policy("thing", {"cost": "friends"})


def test_strip_and_shown_follow_the_users_role(users):
    data = {"id": 1, "day_rate": "950.00", "email": "a@b.example", "name": "Ana"}

    assert RESOURCE.strip(users["bookings"], data) == data
    assert RESOURCE.strip(users["engineer"], data) == {
        "id": 1,
        "email": "a@b.example",
        "name": "Ana",
    }
    assert RESOURCE.strip(users["client"], data) == {"id": 1, "name": "Ana"}
    shown = RESOURCE.shown(users["client"])
    assert (shown["day_rate"], shown["email"], shown["name"]) == (False, False, True)


def test_other_companies_rows_lose_their_names_for_client_users_only(users, other_company):
    row = {"id": 7, "title": "DI day 1", "client_name": "Other Films Ltd", "start": "x"}
    own_company = users["client"].client_id

    for_client = BOOKING.strip(users["client"], row, client_id=other_company.pk, row=True)
    own_row = BOOKING.strip(users["client"], row, client_id=own_company, row=True)
    for_runner = BOOKING.strip(users["runner"], row, client_id=other_company.pk, row=True)

    assert for_client == {"id": 7, "start": "x"}
    assert own_row == row
    assert for_runner == row


def test_a_user_without_a_role_sees_no_declared_field(make_user):
    from postdesk.core.models import User

    nobody = User.objects.create_user(username="nobody", password="pw")

    assert RESOURCE.hidden(nobody) == frozenset(RESOURCE.fields)


def test_the_board_takes_its_columns_from_the_policy(
    api_as, users, site, job, monkeypatch, django_assert_max_num_queries
):
    # given a booking with a title, and a policy that hides titles from runners
    suite = services.create_resource(actor=SYSTEM, kind="room", name="Suite 3", site=site)
    services.create_booking(
        actor=SYSTEM, job=job, resources=[suite], start=at(2, 9), end=at(2, 12), title="Conform"
    )
    hiding = Policy("booking", {"title": COSTS}, own_company=BOOKING.own_company)
    monkeypatch.setattr(board, "BOOKING", hiding)

    # when a runner and a bookings coordinator read the board
    window = {"start": "2026-03-02T00:00:00Z", "end": "2026-03-09T00:00:00Z"}
    for_runner = api_as("runner").get("board", **window).json()
    for_bookings = api_as("bookings").get("board", **window).json()

    # then the runner's rows have no title column and are otherwise whole
    assert "title" in for_bookings["allocation_fields"]
    assert "title" not in for_runner["allocation_fields"]
    assert [a["booking"] for a in board_allocations(for_runner)] == [
        a["booking"] for a in board_allocations(for_bookings)
    ]
    assert board_allocations(for_bookings)[0]["title"] == "Conform"
    assert next(iter(for_runner["jobs"].values()))["client_name"] == "Northlight Pictures"
    # and choosing the columns costs no query: the board's six (the band above the rows
    # is the sixth), as for everyone
    with django_assert_max_num_queries(6):
        queries.board(users["runner"], start=at(2, 0), end=at(9, 0))


def test_the_board_refuses_a_policy_that_hides_what_it_needs():
    with pytest.raises(ValueError, match="The board needs"):
        board._shown_columns(
            board.ALLOCATION_FIELDS,
            board.ALLOCATION_COLUMNS,
            frozenset({"version"}),
            board.ALLOCATION_REQUIRED,
        )
