"""Resource pages: the list (search, filters, sorting, pages) and the detail with its
calendar and utilisation."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from postdesk.core.audit import SYSTEM
from postdesk.core.timeutil import facility_zone, local_at
from postdesk.scheduling import services
from postdesk.scheduling.models import Resource, Skill

pytestmark = pytest.mark.django_db


@pytest.fixture
def rooms(site):
    avid = services.create_skill(actor=SYSTEM, name="Avid")
    suite = services.create_resource(
        actor=SYSTEM, kind="room", name="Suite 3", site=site, capacity=4, skills=[avid]
    )
    services.create_resource(actor=SYSTEM, kind="room", name="Grading Theatre", site=site)
    services.create_resource(
        actor=SYSTEM,
        kind="person",
        name="Alex Editor",
        site=site,
        employment="freelance",
        day_rate=Decimal("450.00"),
    )
    services.create_resource(
        actor=SYSTEM, kind="equipment", name="Old Deck", site=site, archived_at=timezone.now()
    )
    return suite


def this_monday() -> datetime.date:
    today = timezone.now().astimezone(facility_zone()).date()
    return today - datetime.timedelta(days=today.weekday())


def book(resource, job, day, start_hour, end_hour, status="confirmed"):
    zone = facility_zone()
    return services.create_booking(
        actor=SYSTEM,
        job=job,
        resources=[resource],
        status=status,
        start=local_at(day, datetime.time(start_hour), zone),
        end=local_at(day, datetime.time(end_hour), zone),
    )


def test_resource_list_shows_bookable_resources_but_not_archived_ones(page_as, rooms):
    html = page_as("runner").get("/resources/").content.decode()

    assert "Suite 3" in html
    assert "Grading Theatre" in html
    assert "Alex Editor" in html
    assert "Old Deck" not in html
    assert "3 resources" in html
    assert "Old Deck" in page_as("runner").get("/resources/?archived=yes").content.decode()


def test_resource_list_searches_by_name_and_skill(page_as, rooms):
    http = page_as("bookings")

    by_skill = http.get("/resources/?q=avid").content.decode()
    by_name = http.get("/resources/?q=grading").content.decode()

    assert "Suite 3" in by_skill and "Grading Theatre" not in by_skill
    assert "Grading Theatre" in by_name and "Suite 3" not in by_name


def test_resource_list_filters_by_kind_and_sorts(page_as, rooms):
    http = page_as("bookings")

    people = http.get("/resources/?kind=person").content.decode()
    by_name_desc = http.get("/resources/?ordering=-name").content.decode()

    assert "Alex Editor" in people and "Suite 3" not in people
    assert by_name_desc.index("Suite 3") < by_name_desc.index("Grading Theatre")
    assert by_name_desc.index("Grading Theatre") < by_name_desc.index("Alex Editor")


def test_resource_list_says_so_when_nothing_matches(page_as, rooms):
    html = page_as("bookings").get("/resources/?q=nothing-like-this").content.decode()

    assert "No resources match “nothing-like-this”" in html


def test_resource_list_pages_by_fifty(page_as, site):
    Resource.objects.bulk_create(
        [Resource(kind="room", name=f"Room {i:03d}", site=site) for i in range(55)]
    )

    first = page_as("bookings").get("/resources/").content.decode()
    second = page_as("bookings").get("/resources/?page=2").content.decode()

    assert "Room 049" in first and "Room 050" not in first
    assert "Room 050" in second and "Page 2 of 2" in second


def test_resource_list_costs_a_bounded_number_of_queries(
    page_as, site, django_assert_max_num_queries
):
    for i in range(30):
        r = Resource.objects.create(kind="room", name=f"Room {i}", site=site)
        r.skills.add(Skill.objects.get_or_create(name=f"Skill {i % 3}")[0])
    http = page_as("bookings")

    with django_assert_max_num_queries(10):
        assert http.get("/resources/").status_code == 200


def test_resource_detail_shows_the_week_calendar_and_utilisation(page_as, rooms, job):
    # given Suite 3 confirmed 09:00-19:00 on Monday and pencilled 10:00-14:00 on Tuesday
    monday = this_monday()
    book(rooms, job, monday, 9, 19)
    book(rooms, job, monday + datetime.timedelta(days=1), 10, 14, status="pencil")

    # when the coordinator opens its page
    html = page_as("bookings").get(f"/resources/{rooms.pk}/").content.decode()

    # then the calendar lists both, with the pencil's rank as text
    assert "09:00–19:00" in html
    assert "10:00–14:00" in html
    assert "1st pencil" in html
    assert "Northlight Pictures / The Long Tide" in html
    # and this week's utilisation: 50 working hours, 10 confirmed (20%), 4 pencilled
    assert '<td class="num">50.0</td><td class="num">10.0</td><td class="num">4.0</td>' in html
    assert "20%" in html


def test_resource_detail_moves_between_weeks(page_as, rooms, job):
    next_monday = this_monday() + datetime.timedelta(days=7)
    book(rooms, job, next_monday, 11, 12)

    this_week = page_as("bookings").get(f"/resources/{rooms.pk}/").content.decode()
    next_week = (
        page_as("bookings")
        .get(f"/resources/{rooms.pk}/?week={next_monday.isoformat()}")
        .content.decode()
    )

    assert "11:00–12:00" not in this_week
    assert "11:00–12:00" in next_week


def test_resource_detail_shows_cost_rates_only_to_roles_that_see_money(page_as, rooms):
    editor = Resource.objects.get(name="Alex Editor")

    for_bookings = page_as("bookings").get(f"/resources/{editor.pk}/").content.decode()
    for_runner = page_as("runner").get(f"/resources/{editor.pk}/").content.decode()

    assert "£450.00" in for_bookings
    assert "Day rate" in for_bookings
    assert "450" not in for_runner
    assert "Day rate" not in for_runner


def test_client_user_sees_other_companies_bookings_only_as_booked(page_as, rooms, job, other_job):
    monday = this_monday()
    book(rooms, job, monday, 9, 12)
    book(rooms, other_job, monday, 13, 15)

    html = page_as("client").get(f"/resources/{rooms.pk}/").content.decode()
    for_staff = page_as("bookings").get(f"/resources/{rooms.pk}/").content.decode()

    assert "Other Films Ltd / Elsewhere" in for_staff
    assert "Northlight Pictures / The Long Tide" in html
    assert "Other Films" not in html
    assert "Elsewhere" not in html
    assert "Booked" in html


def test_resource_detail_of_a_missing_resource_is_404(page_as, db):
    assert page_as("bookings").get("/resources/999999/").status_code == 404


def test_resource_detail_costs_a_bounded_number_of_queries(
    page_as, rooms, job, django_assert_max_num_queries
):
    monday = this_monday()
    for day in range(5):
        book(rooms, job, monday + datetime.timedelta(days=day), 9, 12)
    http = page_as("bookings")

    with django_assert_max_num_queries(20):
        assert http.get(f"/resources/{rooms.pk}/").status_code == 200
