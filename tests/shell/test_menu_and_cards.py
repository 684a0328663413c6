"""The menu and the home cards each role gets, pinned entry by entry and in order, so that
moving where they are declared (the apps register them with the shell) changes nothing
anyone sees."""

import pytest

from postdesk.core.roles import ROLE_NAMES

pytestmark = pytest.mark.django_db

TODAY = ("Today", "/")
BOARD = ("Board", "/board/")
RESOURCES = ("Resources", "/resources/")
CLIENTS = ("Clients", "/clients/")
PRODUCTIONS = ("Productions", "/productions/")
JOBS = ("Jobs", "/jobs/")
QUOTES = ("Quotes", "/billing/quotes/")
SHEETS = ("Job sheets", "/billing/job-sheets/")
INVOICES = ("Invoices", "/billing/invoices/")
RATE_CARDS = ("Rate cards", "/billing/rate-cards/")
COST_REPORTS = ("Cost reports", "/billing/cost-reports/")
FACILITY = ("Facility", "/settings/facility/")
RUNNERS = ("Runners", "/runners/")
DESK = ("Front desk", "/frontdesk/")
ON_SITE = ("On site", "/frontdesk/roll-call/")

EVERYONE = [TODAY, BOARD, RESOURCES]
CLIENT_RECORDS = [CLIENTS, PRODUCTIONS, JOBS]

MENU = {
    "admin": EVERYONE
    + CLIENT_RECORDS
    + [QUOTES, SHEETS, INVOICES, RATE_CARDS, COST_REPORTS, RUNNERS, DESK, ON_SITE, FACILITY],
    "bookings": EVERYONE
    + CLIENT_RECORDS
    + [QUOTES, SHEETS, INVOICES, RATE_CARDS, COST_REPORTS, RUNNERS],
    "supervisor": EVERYONE
    + CLIENT_RECORDS
    + [QUOTES, SHEETS, INVOICES, COST_REPORTS, RUNNERS, DESK, ON_SITE],
    "coordinator": EVERYONE + CLIENT_RECORDS + [RUNNERS],
    "reception": EVERYONE + CLIENT_RECORDS + [RUNNERS, DESK, ON_SITE],
    "engineer": [*EVERYONE, RUNNERS],
    "library": EVERYONE + CLIENT_RECORDS + [RUNNERS],
    "runner": [*EVERYONE, RUNNERS],
    "accounts": EVERYONE
    + CLIENT_RECORDS
    + [QUOTES, SHEETS, INVOICES, RATE_CARDS, COST_REPORTS, RUNNERS],
    "client": EVERYONE + CLIENT_RECORDS + [QUOTES, SHEETS, INVOICES],
}
# The roles whose home is a page of their own rather than the cards (shell.register_role_home).
OWN_HOME = {"runner": "/runners/", "reception": "/frontdesk/"}

BOARD_DAY = [
    ("Bookings today", "/board/"),
    ("Open challenges", "/board/"),
    ("Pencils, next two weeks", "/board/"),
]
OPEN_TASKS = ("Open runner tasks", "/runners/")
MESSAGES = ("Messages for you", "/frontdesk/")
ACTIVE_JOBS = ("Active jobs", "/jobs/")
MY_JOBS = ("My jobs", "/jobs/?mine=1")
IN_POST = ("Productions in post", "/productions/")
I_SUPERVISE = ("Productions I supervise", "/productions/?mine=1")
CLIENT_COUNT = ("Clients", "/clients/")
TO_APPROVE = ("Quotes awaiting approval", "/billing/quotes/")
OVERDUE = ("Overdue invoices", "/billing/invoices/")
TO_INVOICE = ("Job sheets to invoice", "/billing/job-sheets/")

CARDS = {
    "admin": [
        *BOARD_DAY,
        ACTIVE_JOBS,
        MY_JOBS,
        IN_POST,
        CLIENT_COUNT,
        TO_APPROVE,
        OVERDUE,
        TO_INVOICE,
        OPEN_TASKS,
        MESSAGES,
    ],
    "bookings": [
        *BOARD_DAY,
        ACTIVE_JOBS,
        MY_JOBS,
        IN_POST,
        CLIENT_COUNT,
        OVERDUE,
        TO_INVOICE,
        OPEN_TASKS,
        MESSAGES,
    ],
    "supervisor": [
        *BOARD_DAY,
        ACTIVE_JOBS,
        IN_POST,
        I_SUPERVISE,
        CLIENT_COUNT,
        TO_APPROVE,
        OPEN_TASKS,
        MESSAGES,
    ],
    "coordinator": [*BOARD_DAY, ACTIVE_JOBS, MY_JOBS, IN_POST, OPEN_TASKS, MESSAGES],
    "reception": None,  # their home is the front desk (OWN_HOME)
    "engineer": [*BOARD_DAY[:1], OPEN_TASKS, MESSAGES],
    "library": [*BOARD_DAY[:1], ACTIVE_JOBS, IN_POST, OPEN_TASKS, MESSAGES],
    "runner": None,  # their home is the runner board (OWN_HOME)
    "accounts": [
        *BOARD_DAY[:1],
        ACTIVE_JOBS,
        IN_POST,
        CLIENT_COUNT,
        OVERDUE,
        TO_INVOICE,
        OPEN_TASKS,
        MESSAGES,
    ],
    "client": [*BOARD_DAY, ACTIVE_JOBS, IN_POST],
}


def test_every_role_is_pinned():
    assert set(MENU) == set(ROLE_NAMES)
    assert set(CARDS) == set(ROLE_NAMES)


@pytest.mark.parametrize("role", ROLE_NAMES)
def test_each_role_gets_its_menu_in_order(role, page_as):
    response = page_as(role).get("/", follow=True)

    nav = response.context["nav_items"]
    assert [(i["label"], i["url"]) for i in nav] == MENU[role]
    home = {"runner": "Runners", "reception": "Front desk"}.get(role, "Today")
    assert [i["label"] for i in nav if i["active"]] == [home]


@pytest.mark.parametrize("role", ROLE_NAMES)
def test_each_role_gets_its_home_cards_in_order(role, page_as):
    response = page_as(role).get("/")

    if role in OWN_HOME:
        assert response.status_code == 302 and response["Location"] == OWN_HOME[role]
        return
    assert [(c["title"], c["url"]) for c in response.context["cards"]] == CARDS[role]


def test_a_page_marks_its_own_menu_entry_and_the_role(page_as, settings):
    response = page_as("bookings").get("/billing/invoices/")

    assert [i["label"] for i in response.context["nav_items"] if i["active"]] == ["Invoices"]
    assert response.context["user_role"] == "bookings"
    assert response.context["user_role_label"] == "Bookings coordinator"
    assert response.context["facility_name"] == settings.POSTDESK["FACILITY_NAME"]


def test_the_sign_in_page_has_the_facility_name_and_no_menu(client, settings):
    response = client.get("/login/")

    assert response.status_code == 200
    assert response.context["facility_name"] == settings.POSTDESK["FACILITY_NAME"]
    assert "nav_items" not in response.context
    assert "user_role" not in response.context
