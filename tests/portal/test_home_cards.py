"""The bookings office's home lists clients' booking requests waiting to be placed, each
a link to it on the requests page, soonest asked-for time first; the administrator sees
it too, and no other role."""

import pytest

from postdesk.portal import services
from tests.portal.conftest import soon

pytestmark = pytest.mark.django_db

TITLE = "Booking requests"


def ask(users, job, what, days_ahead):
    start, end = soon(days_ahead)
    return services.request_booking(
        production=job.production, what=what, start=start, end=end, actor=users["client"]
    )


def test_the_bookings_office_sees_open_requests_soonest_first(home_card, page_as, users, job):
    later = ask(users, job, "Mix review", 50)
    sooner = ask(users, job, "Grade review", 10)
    declined = ask(users, job, "Screening", 20)
    services.decline_request(declined, answer="Fully booked", actor=users["bookings"])

    card, _, _ = home_card("bookings", TITLE)

    assert card["count"] == 2
    assert [(r.label, r.url) for r in card["rows"]] == [
        ("Northlight Pictures: Grade review", f"/booking-requests/#request-{sooner.pk}"),
        ("Northlight Pictures: Mix review", f"/booking-requests/#request-{later.pk}"),
    ]
    assert card["rows"][0].detail.startswith(f"{job.production.title}, ")
    # Each row's link lands on its request.
    listed = page_as("bookings").get("/booking-requests/").content.decode()
    assert f'id="request-{sooner.pk}"' in listed and f'id="request-{later.pk}"' in listed


@pytest.mark.parametrize(
    ("role", "shown"),
    [("admin", True), ("bookings", True), ("supervisor", False), ("engineer", False)],
)
def test_only_the_bookings_office_and_the_admin_get_the_card(home_card, role, shown):
    card, _, _ = home_card(role, TITLE)

    assert (card is not None) == shown


def test_no_requests_says_so_and_the_card_costs_the_same_with_many(home_card, users, job):
    card, empty_queries, page = home_card("bookings", TITLE)
    assert card["rows"] == [] and "No client is waiting for an answer." in page

    for n in range(8):
        ask(users, job, f"Session {n}", 10 + n)
    card, queries, _ = home_card("bookings", TITLE)

    assert card["count"] == 8 and len(card["rows"]) == 6
    assert queries == empty_queries
