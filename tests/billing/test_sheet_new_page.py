"""The new job sheet page: find a booking by search, choose it, and the sheet is made.

Issue 11: the form's choices were a slice of the bookings, which Django cannot look a
choice up in, so every submit was refused with "Select a valid choice"."""

import datetime

import pytest
from django.urls import reverse

from postdesk.billing.booking_search import parse_day
from postdesk.billing.models import JobSheet
from postdesk.core.audit import SYSTEM
from tests.billing.conftest import at

pytestmark = pytest.mark.django_db
URL = reverse("billing:sheet_new")


@pytest.fixture
def done(job, theatre, standard_card, make_booking):
    return make_booking(
        job, [theatre], at("2026-03-02", "09:00"), at("2026-03-02", "19:00"), status="completed"
    )


@pytest.fixture
def upcoming(job, suite, standard_card, make_booking):
    return make_booking(job, [suite], at("2099-12-24", "09:00"), at("2099-12-24", "19:00"))


def test_a_completed_booking_chosen_on_the_page_gets_its_sheet(page_as, done):
    response = page_as("bookings").post(URL, {"booking": done.pk})
    sheet = JobSheet.objects.get(booking=done)
    assert response.status_code == 302
    assert response["Location"] == reverse("billing:sheet", args=[sheet.pk])
    assert sheet.net == 1000


def test_a_future_confirmed_booking_chosen_on_the_page_gets_its_sheet(page_as, upcoming):
    response = page_as("accounts").post(URL, {"booking": upcoming.pk})
    assert response.status_code == 302
    assert JobSheet.objects.filter(booking=upcoming).count() == 1


def test_the_oldest_of_more_than_two_hundred_bookings_can_be_chosen(
    page_as, job, suite, standard_card, make_booking
):
    # Given 205 confirmed days, the earliest of which fell outside the old [:200] slice.
    first = datetime.date(2030, 1, 1)
    bookings = [
        make_booking(
            job,
            [suite],
            at((first + datetime.timedelta(days=i)).isoformat(), "09:00"),
            at((first + datetime.timedelta(days=i)).isoformat(), "19:00"),
        )
        for i in range(205)
    ]
    response = page_as("bookings").post(URL, {"booking": bookings[0].pk})
    assert response.status_code == 302
    assert JobSheet.objects.filter(booking=bookings[0]).count() == 1


@pytest.mark.parametrize("value", ["", "abc", "0", "-1", "99999999", str(2**63), "1.5"])
def test_a_missing_or_unknown_booking_is_refused_and_nothing_is_made(page_as, done, value):
    response = page_as("bookings").post(URL, {"booking": value})
    assert response.status_code == 200  # the form again, with its error
    assert JobSheet.objects.count() == 0
    assert "search again" in response.content.decode() or "Choose the booking" in (
        response.content.decode()
    )


def test_a_booking_that_has_a_sheet_or_is_a_pencil_is_refused(
    page_as, done, job, suite, make_booking
):
    page_as("bookings").post(URL, {"booking": done.pk})
    pencil = make_booking(
        job, [suite], at("2099-01-05", "09:00"), at("2099-01-05", "19:00"), "pencil"
    )
    for booking in (done, pencil):
        response = page_as("bookings").post(URL, {"booking": booking.pk})
        assert response.status_code == 200  # the form again, with its error
        assert "search again" in response.content.decode()
    assert JobSheet.objects.count() == 1


def test_roles_without_change_money_cannot_open_it(page_as, done):
    assert page_as("supervisor").get(URL).status_code == 403
    assert page_as("supervisor").post(URL, {"booking": done.pk}).status_code == 403
    assert JobSheet.objects.count() == 0


def test_results_name_job_client_production_resources_and_date(page_as, done, upcoming):
    page = page_as("bookings").get(URL).content.decode()
    assert "Done, waiting for a job sheet" in page
    assert "Confirmed, still to come" in page
    assert done.job.number in page
    assert "Northlight Pictures · The Long Tide" in page
    assert "Grading theatre 1" in page
    assert "Mon 2 Mar 2026 09:00–19:00" in page
    assert f'value="{done.pk}"' in page and f'value="{upcoming.pk}"' in page


@pytest.mark.parametrize(
    "q, finds_done, finds_upcoming",
    [
        ("grading", True, False),  # a resource
        ("offline suite", False, True),  # two words, both on the resource
        ("northlight long tide", True, True),  # client and production
        ("2 Mar 2026", True, False),  # a date
        ("2026-03-02 grading", True, False),
        ("24/12/2099", False, True),
        ("completed", True, False),  # a status
        ("nothing-like-this", False, False),
    ],
)
def test_search_narrows_by_every_word(page_as, done, upcoming, q, finds_done, finds_upcoming):
    page = page_as("bookings").get(URL, {"q": q}).content.decode()
    assert (f'value="{done.pk}"' in page) is finds_done
    assert (f'value="{upcoming.pk}"' in page) is finds_upcoming


def test_htmx_gets_the_results_alone(page_as, done):
    response = page_as("bookings").get(URL, {"q": "grading"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert f'value="{done.pk}"' in body
    assert "<html" not in body


def test_a_job_from_its_page_limits_the_list_to_its_bookings(page_as, done, other_job, site):
    from postdesk.scheduling import services as scheduling
    from postdesk.scheduling.models import Resource

    room = Resource.objects.create(kind="room", name="Elsewhere suite", site=site)
    other = scheduling.create_booking(
        job=other_job,
        resources=[room],
        start=at("2026-03-03", "09:00"),
        end=at("2026-03-03", "19:00"),
        status="confirmed",
        actor=SYSTEM,
    )
    page = page_as("bookings").get(URL, {"job": done.job_id}).content.decode()
    assert f'value="{done.pk}"' in page
    assert f'value="{other.pk}"' not in page
    assert page_as("bookings").get(URL, {"job": "x²"}).status_code == 200


def test_page_queries_are_bounded(page_as, job, suite, make_booking, django_assert_max_num_queries):
    for i in range(30):
        day = (datetime.date(2031, 1, 1) + datetime.timedelta(days=i)).isoformat()
        make_booking(job, [suite], at(day, "09:00"), at(day, "19:00"))
    http = page_as("bookings")
    with django_assert_max_num_queries(12):
        page = http.get(URL, {"q": "offline"}).content.decode()
    assert "5 more; narrow the search" in page


def test_dates_are_read_as_people_type_them():
    today = datetime.date(2026, 5, 1)
    assert parse_day("2 Mar", today) == datetime.date(2026, 3, 2)
    assert parse_day("02/03/2026", today) == datetime.date(2026, 3, 2)
    assert parse_day("2 march 2026", today) == datetime.date(2026, 3, 2)
    assert parse_day("31 Feb", today) is None
    assert parse_day("9999-12-31", today) is None  # outside the accepted window
    assert parse_day("grading", today) is None
