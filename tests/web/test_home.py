"""Each role's home page: its day at a glance, nothing it may not see."""

import pytest

from postdesk.core.audit import SYSTEM
from postdesk.core.roles import ROLE_NAMES, ROLES, VIEW_CLIENTS, VIEW_MONEY
from postdesk.productions import services

pytestmark = pytest.mark.django_db

# The roles whose home is a page of their own (registered by the front desk, coordination
# and the portal).
ROLE_HOMES = {
    "runner": "/runners/",
    "reception": "/frontdesk/",
    "coordinator": "/coordination/",
    "client": "/portal/",
}


def cards(http) -> dict[str, dict]:
    return {c["title"]: c for c in http.get("/").context["cards"]}


@pytest.mark.parametrize("role", ROLE_NAMES)
def test_every_card_needs_a_capability_the_role_holds(role, page_as, job):
    response = page_as(role).get("/")

    if role in ROLE_HOMES:  # a role whose home is its own page has no cards
        assert response.status_code == 302 and response["Location"] == ROLE_HOMES[role]
        return
    assert response.status_code == 200
    for card in response.context["cards"]:
        assert card["capability"] in ROLES[role]["capabilities"], card["title"]


def test_runner_home_has_no_money_and_no_client_counts(page_as, job, other_job):
    response = page_as("runner").get("/", follow=True)  # their home: the runner board

    shown = {c["capability"] for c in response.context.get("cards", [])}
    assert not shown & {VIEW_CLIENTS, VIEW_MONEY}
    page = response.content.decode()
    # (each word is on the home page of a role with money and clients)
    for_accounts = page_as("accounts").get("/").content.decode()
    for word in ("Clients", "Active jobs", "Productions", "nvoice"):
        assert word in for_accounts, word
        assert word not in page, word
    # Money cards show amounts (billing's rows), to money roles only.
    assert "£" not in page


def test_bookings_home_counts_open_jobs_and_their_own(page_as, users, job, other_job):
    services.update_job(job, actor=SYSTEM, owner=users["bookings"])
    services.create_job(
        actor=SYSTEM, production=job.production, description="Done", status="complete"
    )

    shown = cards(page_as("bookings"))

    assert shown["Active jobs"]["count"] == 2
    assert shown["My jobs"]["count"] == 1
    assert shown["My jobs"]["url"] == "/jobs/?mine=1"
    assert shown["Clients"]["count"] == 2
    assert shown["Productions in post"]["url"] == "/productions/"


def test_my_jobs_and_my_productions_list_each_with_a_link(home_card, users, job, other_job):
    services.update_job(job, actor=SYSTEM, owner=users["bookings"])
    services.update_production(job.production, actor=SYSTEM, supervisor=users["supervisor"])

    jobs, _, page = home_card("bookings", "My jobs")
    productions, _, _ = home_card("supervisor", "Productions I supervise")

    (row,) = jobs["rows"]
    assert (row.label, row.url) == (
        f"{job.number} {job.production.title}",
        f"/jobs/{job.pk}/",
    )
    assert row.detail.startswith(job.client.name)
    assert f'href="/jobs/{job.pk}/"' in page
    assert 'href="/jobs/?mine=1" aria-label="See all: My jobs"' in page
    (row,) = productions["rows"]
    assert (row.label, row.url, row.detail) == (
        job.production.title,
        f"/productions/{job.production.pk}/",
        job.client.name,
    )


def test_a_card_with_nothing_to_list_says_so(home_card, job):
    card, _, page = home_card("bookings", "My jobs")

    assert card["rows"] == []
    assert "No open job has you as its owner." in page


def test_my_jobs_link_lists_only_mine(page_as, users, job, other_job):
    services.update_job(job, actor=SYSTEM, owner=users["bookings"])

    response = page_as("bookings").get("/jobs/?mine=1")

    assert [j.pk for j in response.context["page_obj"]] == [job.pk]


def test_supervisor_home_shows_their_productions(page_as, users, production, other_job):
    services.update_production(production, actor=SYSTEM, supervisor=users["supervisor"])

    shown = cards(page_as("supervisor"))

    assert shown["Productions I supervise"]["count"] == 1
    assert shown["Productions in post"]["count"] == 2


def test_client_home_is_their_companys_portal(page_as, job, other_job):
    response = page_as("client").get("/", follow=True)

    assert response.redirect_chain == [("/portal/", 302)]
    assert response.context["company"] == "Northlight Pictures"
    assert b"Other Films" not in response.content
    assert b"Elsewhere" not in response.content


def test_home_issues_a_bounded_number_of_queries(
    page_as, users, site, job, django_assert_max_num_queries
):
    from datetime import timedelta

    from django.utils import timezone

    from postdesk.scheduling import services as scheduling

    now = timezone.now()
    for i in range(8):  # more than a card lists, each on two resources
        rooms = [
            scheduling.create_resource(actor=SYSTEM, kind="room", name=f"S{i}{n}", site=site)
            for n in "ab"
        ]
        scheduling.create_booking(
            job=job,
            resources=rooms,
            start=now,
            end=now + timedelta(minutes=30),
            status="pencil",
            actor=SYSTEM,
        )
    http = page_as("admin")

    # The admin sees every card: a count each (board 3, jobs and clients 4, money 5, media
    # 4, engineering 5, runners and messages 2, deliverables at risk and booking requests
    # 1 each), and the rows of the cards that list them (board 3, my jobs 1, money 5,
    # media 4, engineering 6 (PAT reads its two lists again), runners and messages 2,
    # booking requests 1), plus the session, the user, the menu's and the header's unread
    # notifications: 52 here. At most 4 more on a busier day: each board card's resources
    # (a prefetch, skipped when it lists nothing) and the money locale once. None grows
    # with the data: each app's tests/<app>/test_home_cards.py counts its cards with few
    # rows and with many.
    with django_assert_max_num_queries(56):
        response = http.get("/")

    shown = {c["title"]: c for c in response.context["cards"]}
    assert len(shown["Bookings today"]["rows"]) == 6
    assert shown["Bookings today"]["count"] == 8


def test_coordinator_home_shows_the_day_on_the_board(page_as, users, site, job, other_job):
    from datetime import timedelta

    from django.utils import timezone

    from postdesk.scheduling import services as scheduling

    suite = scheduling.create_resource(actor=SYSTEM, kind="room", name="Suite 1", site=site)
    suite2 = scheduling.create_resource(actor=SYSTEM, kind="room", name="Suite 2", site=site)
    now = timezone.now()
    tomorrow = now + timedelta(days=1)

    def book(resource, start, booked_job, status):
        return scheduling.create_booking(
            job=booked_job,
            resources=[resource],
            start=start,
            end=start + timedelta(minutes=30),
            status=status,
            actor=SYSTEM,
        )

    book(suite, now, job, "confirmed")  # now: today in any zone
    book(suite2, tomorrow, job, "pencil")
    second = book(suite2, tomorrow, other_job, "pencil")
    scheduling.challenge_booking(second, actor=SYSTEM)

    shown = cards(page_as("bookings"))

    assert shown["Bookings today"]["count"] == 1
    assert shown["Bookings today"]["url"] == "/board/?view=day"
    assert shown["Open challenges"]["count"] == 1
    assert shown["Pencils, next two weeks"]["count"] == 2
    # A client user's home, the portal, lists only their own company's bookings.
    portal = page_as("client").get("/portal/").context
    assert [b["booking__job__number"] for b in portal["bookings"]] == [job.number, job.number]
    assert [u["label"] for u in portal["unavailable"]] == []
