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
ENGINEERING = ("Engineering", "/engineering/")
REPORT_FAULT = ("Report a fault", "/engineering/report/")
RUNNERS = ("Runners", "/runners/")
DESK = ("Front desk", "/frontdesk/")
ON_SITE = ("On site", "/frontdesk/roll-call/")
DELIVERABLES = ("Deliverables", "/coordination/deliverables/")
COORDINATION = ("Coordination", "/coordination/")
SUPERVISOR_DESK = ("Supervisor's desk", "/coordination/supervisor/")
POST = [DELIVERABLES, COORDINATION, SUPERVISOR_DESK]  # coordination (issue 16)
FEEDS = ("Calendar feeds", "/calendar-feeds/")
REPORTS = ("Reports", "/reports/")
PORTAL = ("Portal", "/portal/")
NOTIFICATIONS = ("Notifications", "/notifications/")  # every signed-in user's own

EVERYONE = [TODAY, BOARD, RESOURCES]
CLIENT_RECORDS = [CLIENTS, PRODUCTIONS, JOBS]
MONEY = [QUOTES, SHEETS, INVOICES, RATE_CARDS, COST_REPORTS]
STAFF = [REPORT_FAULT, RUNNERS]  # every role of the facility's own staff

MENU = {
    "admin": EVERYONE
    + CLIENT_RECORDS
    + MONEY
    + [
        LIBRARY,
        ENGINEERING,
        REPORT_FAULT,
        RUNNERS,
        DESK,
        ON_SITE,
        *POST,
        FEEDS,
        REPORTS,
        NOTIFICATIONS,
        FACILITY,
    ],
    "bookings": EVERYONE
    + CLIENT_RECORDS
    + MONEY
    + [ENGINEERING, *STAFF, DELIVERABLES, FEEDS, REPORTS, NOTIFICATIONS],
    "supervisor": EVERYONE
    + CLIENT_RECORDS
    + [
        QUOTES,
        SHEETS,
        INVOICES,
        COST_REPORTS,
        LIBRARY,
        ENGINEERING,
        *STAFF,
        DESK,
        ON_SITE,
        *POST,
        FEEDS,
        REPORTS,
        NOTIFICATIONS,
    ],
    "coordinator": EVERYONE
    + CLIENT_RECORDS
    + [
        LIBRARY,
        ENGINEERING,
        *STAFF,
        *POST[:2],
        FEEDS,
        NOTIFICATIONS,
    ],
    "reception": EVERYONE + CLIENT_RECORDS + [LIBRARY, *STAFF, DESK, ON_SITE, FEEDS, NOTIFICATIONS],
    "engineer": [*EVERYONE, LIBRARY, ENGINEERING, *STAFF, FEEDS, NOTIFICATIONS],
    "library": EVERYONE + CLIENT_RECORDS + [LIBRARY, ENGINEERING, *STAFF, FEEDS, NOTIFICATIONS],
    "runner": [*EVERYONE, LIBRARY, *STAFF, FEEDS, NOTIFICATIONS],
    "accounts": EVERYONE + CLIENT_RECORDS + MONEY + STAFF + [FEEDS, REPORTS, NOTIFICATIONS],
    "client": EVERYONE
    + CLIENT_RECORDS
    + [QUOTES, SHEETS, INVOICES, LIBRARY, PORTAL, DELIVERABLES, FEEDS, NOTIFICATIONS],
}
# The roles whose home is a page of their own rather than the cards (shell.register_role_home).
OWN_HOME = {
    "runner": "/runners/",
    "reception": "/frontdesk/",
    "coordinator": "/coordination/",
    "client": "/portal/",
}

BOARD_DAY = [
    ("Bookings today", "/board/?view=day"),
    ("Open challenges", "/board/"),
    ("Pencils, next two weeks", "/board/"),
]
ACTIVE_JOBS = ("Active jobs", "/jobs/")
MY_JOBS = ("My jobs", "/jobs/?mine=1")
IN_POST = ("Productions in post", "/productions/")
I_SUPERVISE = ("Productions I supervise", "/productions/?mine=1")
CLIENT_COUNT = ("Clients", "/clients/")
TO_APPROVE = ("Quotes awaiting approval", "/billing/quotes/?status=draft")
TO_CHASE = ("Quotes awaiting an answer", "/billing/quotes/?status=sent")
OVERDUE = ("Overdue invoices", "/billing/invoices/?payment_status=overdue")
TO_ISSUE = ("Invoices to issue", "/billing/invoices/?status=draft")
TO_INVOICE = ("Job sheets to invoice", "/billing/job-sheets/?status=signed_off")
RECEIVABLES = [TO_CHASE, OVERDUE, TO_ISSUE, TO_INVOICE]  # the roles that change money
MEDIA = [
    ("Media out", "/library/"),
    ("Media overdue", "/library/overdue/"),
    ("Media in today", "/library/"),
    ("Open stock-takes", "/library/stocktakes/?status=open"),
]
ROOMS_DOWN = ("Rooms down", "/engineering/tickets/?severity=room_down&open=1")
OPEN_FAULTS = ("Open faults", "/engineering/tickets/?open=1")
PAT_DUE = ("PAT due this month", "/engineering/pat/")
QC_RUNNING = ("QC running", "/engineering/qc/")
QC_FAILED = ("QC failed this week", "/engineering/qc/?verdict=fail")
WORKSHOP = [OPEN_FAULTS, PAT_DUE, QC_RUNNING, QC_FAILED]  # the roles that manage engineering
OPEN_TASKS = ("Open runner tasks", "/runners/")
MESSAGES = ("Messages for you", "/frontdesk/messages/")
RUNNING = [OPEN_TASKS, MESSAGES]
AT_RISK = ("Deliverables at risk", "/coordination/")
UNMATCHED_REELS = ("EDL reels not in the library", "/coordination/edls/unmatched-reels/")
REQUESTS = ("Booking requests", "/booking-requests/")

CARDS = {
    "admin": [
        *BOARD_DAY,
        ACTIVE_JOBS,
        MY_JOBS,
        IN_POST,
        CLIENT_COUNT,
        TO_APPROVE,
        *RECEIVABLES,
        *MEDIA,
        ROOMS_DOWN,
        *WORKSHOP,
        *RUNNING,
        AT_RISK,
        REQUESTS,
    ],
    "bookings": [
        *BOARD_DAY,
        ACTIVE_JOBS,
        MY_JOBS,
        IN_POST,
        CLIENT_COUNT,
        *RECEIVABLES,
        ROOMS_DOWN,
        *RUNNING,
        REQUESTS,
    ],
    "supervisor": [
        *BOARD_DAY,
        ACTIVE_JOBS,
        IN_POST,
        I_SUPERVISE,
        CLIENT_COUNT,
        TO_APPROVE,
        ROOMS_DOWN,
        *RUNNING,
        AT_RISK,
    ],
    "coordinator": None,  # their home is the coordinator's desk (OWN_HOME)
    "reception": None,  # their home is the front desk (OWN_HOME)
    "engineer": [*BOARD_DAY[:1], ROOMS_DOWN, *WORKSHOP, *RUNNING],
    "library": [
        *BOARD_DAY[:1],
        ACTIVE_JOBS,
        IN_POST,
        *MEDIA,
        ROOMS_DOWN,
        *RUNNING,
        UNMATCHED_REELS,
    ],
    "runner": None,  # their home is the runner board (OWN_HOME)
    "accounts": [
        *BOARD_DAY[:1],
        ACTIVE_JOBS,
        IN_POST,
        CLIENT_COUNT,
        *RECEIVABLES,
        *RUNNING,
    ],
    "client": None,  # their home is their company's portal (OWN_HOME)
}

# The cards that list today's work as rows of links (the rest are plain counts).
LISTS = {
    *(title for title, _ in BOARD_DAY),
    MY_JOBS[0],
    I_SUPERVISE[0],
    TO_APPROVE[0],
    *(title for title, _ in RECEIVABLES),
    *(title for title, _ in MEDIA),
    ROOMS_DOWN[0],
    *(title for title, _ in WORKSHOP),
    *(title for title, _ in RUNNING),
    REQUESTS[0],
}


def test_every_role_is_pinned():
    assert set(MENU) == set(ROLE_NAMES)
    assert set(CARDS) == set(ROLE_NAMES)


@pytest.mark.parametrize("role", ROLE_NAMES)
def test_each_role_gets_its_menu_in_order(role, page_as):
    response = page_as(role).get("/", follow=True)

    nav = response.context["nav_items"]
    assert [(i["label"], i["url"]) for i in nav] == MENU[role]
    home = {
        "runner": "Runners",
        "reception": "Front desk",
        "coordinator": "Coordination",
        "client": "Portal",
    }.get(role, "Today")
    assert [i["label"] for i in nav if i["active"]] == [home]


@pytest.mark.parametrize("role", ROLE_NAMES)
def test_each_role_gets_its_home_cards_in_order(role, page_as):
    response = page_as(role).get("/")

    if role in OWN_HOME:
        assert response.status_code == 302 and response["Location"] == OWN_HOME[role]
        return
    assert [(c["title"], c["url"]) for c in response.context["cards"]] == CARDS[role]
    listed = {c["title"] for c in response.context["cards"] if c["rows"] is not None}
    assert listed == LISTS & {title for title, _ in CARDS[role]}


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
