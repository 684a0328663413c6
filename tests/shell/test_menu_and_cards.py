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
LIBRARY = ("Library", "/library/")

EVERYONE = [TODAY, BOARD, RESOURCES]
CLIENT_RECORDS = [CLIENTS, PRODUCTIONS, JOBS]

MENU = {
    "admin": EVERYONE
    + CLIENT_RECORDS
    + [QUOTES, SHEETS, INVOICES, RATE_CARDS, COST_REPORTS, LIBRARY, FACILITY],
    "bookings": EVERYONE + CLIENT_RECORDS + [QUOTES, SHEETS, INVOICES, RATE_CARDS, COST_REPORTS],
    "supervisor": EVERYONE + CLIENT_RECORDS + [QUOTES, SHEETS, INVOICES, COST_REPORTS, LIBRARY],
    "coordinator": EVERYONE + CLIENT_RECORDS + [LIBRARY],
    "reception": EVERYONE + CLIENT_RECORDS + [LIBRARY],
    "engineer": [*EVERYONE, LIBRARY],
    "library": EVERYONE + CLIENT_RECORDS + [LIBRARY],
    "runner": [*EVERYONE, LIBRARY],
    "accounts": EVERYONE + CLIENT_RECORDS + [QUOTES, SHEETS, INVOICES, RATE_CARDS, COST_REPORTS],
    "client": EVERYONE + CLIENT_RECORDS + [QUOTES, SHEETS, INVOICES, LIBRARY],
}

BOARD_DAY = [
    ("Bookings today", "/board/"),
    ("Open challenges", "/board/"),
    ("Pencils, next two weeks", "/board/"),
]
ACTIVE_JOBS = ("Active jobs", "/jobs/")
MY_JOBS = ("My jobs", "/jobs/?mine=1")
IN_POST = ("Productions in post", "/productions/")
I_SUPERVISE = ("Productions I supervise", "/productions/?mine=1")
CLIENT_COUNT = ("Clients", "/clients/")
TO_APPROVE = ("Quotes awaiting approval", "/billing/quotes/")
OVERDUE = ("Overdue invoices", "/billing/invoices/")
TO_INVOICE = ("Job sheets to invoice", "/billing/job-sheets/")
MEDIA = [("Media out", "/library/"), ("Media overdue", "/library/overdue/")]

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
        *MEDIA,
    ],
    "bookings": [*BOARD_DAY, ACTIVE_JOBS, MY_JOBS, IN_POST, CLIENT_COUNT, OVERDUE, TO_INVOICE],
    "supervisor": [*BOARD_DAY, ACTIVE_JOBS, IN_POST, I_SUPERVISE, CLIENT_COUNT, TO_APPROVE],
    "coordinator": [*BOARD_DAY, ACTIVE_JOBS, MY_JOBS, IN_POST],
    "reception": [*BOARD_DAY[:1], ACTIVE_JOBS, IN_POST, CLIENT_COUNT],
    "engineer": BOARD_DAY[:1],
    "library": [*BOARD_DAY[:1], ACTIVE_JOBS, IN_POST, *MEDIA],
    "runner": BOARD_DAY[:1],
    "accounts": [*BOARD_DAY[:1], ACTIVE_JOBS, IN_POST, CLIENT_COUNT, OVERDUE, TO_INVOICE],
    "client": [*BOARD_DAY, ACTIVE_JOBS, IN_POST],
}

# Engineering (issue 14): its pages for the roles that see them, the fault report for all
# staff; after billing's and before the administration pages (the 900s).
ENGINEERING = ("Engineering", "/engineering/")
REPORT_FAULT = ("Report a fault", "/engineering/report/")
ROOMS_DOWN = ("Rooms down", "/engineering/tickets/?severity=room_down&open=1")
OPEN_FAULTS = ("Open faults", "/engineering/tickets/")
PAT_DUE = ("PAT due this month", "/engineering/pat/")
_SEES_ENGINEERING = ("admin", "bookings", "supervisor", "coordinator", "engineer", "library")
for _role in ROLE_NAMES:
    if _role == "client":
        continue
    _extra = ([ENGINEERING] if _role in _SEES_ENGINEERING else []) + [REPORT_FAULT]
    _at = MENU[_role].index(FACILITY) if FACILITY in MENU[_role] else len(MENU[_role])
    MENU[_role] = MENU[_role][:_at] + _extra + MENU[_role][_at:]
    if _role in _SEES_ENGINEERING:
        CARDS[_role] = CARDS[_role] + [ROOMS_DOWN]
    if _role in ("admin", "engineer"):
        CARDS[_role] = CARDS[_role] + [OPEN_FAULTS, PAT_DUE]


def test_every_role_is_pinned():
    assert set(MENU) == set(ROLE_NAMES)
    assert set(CARDS) == set(ROLE_NAMES)


@pytest.mark.parametrize("role", ROLE_NAMES)
def test_each_role_gets_its_menu_in_order(role, page_as):
    response = page_as(role).get("/")

    nav = response.context["nav_items"]
    assert [(i["label"], i["url"]) for i in nav] == MENU[role]
    assert [i["label"] for i in nav if i["active"]] == ["Today"]


@pytest.mark.parametrize("role", ROLE_NAMES)
def test_each_role_gets_its_home_cards_in_order(role, page_as):
    response = page_as(role).get("/")

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
