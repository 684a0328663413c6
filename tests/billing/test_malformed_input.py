"""Every billing endpoint driven with malformed input (issue 10): ids past a bigint in the
path, the query and body lists, NUL in query strings, dates and instants at the calendar's
edges. Always a 4xx naming what was wrong, never a 500, and nothing changed."""

import datetime
import json

import pytest

from postdesk.billing import services
from postdesk.billing.models import (
    BudgetLine,
    ClientDeal,
    CreditNote,
    CreditNoteLine,
    Invoice,
    InvoiceLine,
    JobSheet,
    JobSheetLine,
    Payment,
    Quote,
    QuoteLine,
    RateCard,
    RateEntry,
)
from postdesk.core.audit import SYSTEM
from postdesk.core.models import AuditEntry, Sequence
from tests.billing.conftest import at

pytestmark = pytest.mark.django_db

TOO_BIG = 2**63  # one more than a bigint holds

MODELS = (
    RateCard,
    RateEntry,
    ClientDeal,
    Quote,
    QuoteLine,
    JobSheet,
    JobSheetLine,
    Invoice,
    InvoiceLine,
    Payment,
    CreditNote,
    CreditNoteLine,
    BudgetLine,
    Sequence,
)


def state() -> dict:
    """Everything a billing endpoint could write."""
    return {m.__name__: list(m.objects.order_by("pk").values()) for m in MODELS} | {
        "audit": AuditEntry.objects.count()
    }


@pytest.fixture
def world(job, production, theatre, standard_card, signed_sheet, make_booking, contact):
    """One of each billing record, so every path id has a real neighbour."""
    quote = services.create_quote(job=job, actor=SYSTEM, include_bookings=False)
    services.add_quote_line(quote, actor=SYSTEM, description="Drive", unit_price="100")
    booking = make_booking(
        job, [theatre], at("2026-03-09", "09:00"), at("2026-03-09", "19:00"), "completed"
    )
    sheet = services.create_job_sheet(booking=booking, actor=SYSTEM)
    draft = services.create_invoice(job=job, sheets=[signed_sheet("2026-03-03")], actor=SYSTEM)
    issued = services.create_invoice(job=job, sheets=[signed_sheet("2026-03-04")], actor=SYSTEM)
    services.issue_invoice(issued, actor=SYSTEM, issue_date=datetime.date(2026, 3, 10))
    note = services.create_credit_note(invoice=issued, actor=SYSTEM, reason="Goodwill")
    return {
        "card": standard_card.pk,
        "entry": standard_card.entries.first().pk,
        "client": job.client_id,
        "job": job.pk,
        "production": production.pk,
        "resource": theatre.pk,
        "quote": quote.pk,
        "quote_line": quote.lines.first().pk,
        "sheet": sheet.pk,
        "sheet_line": sheet.lines.first().pk,
        "draft": draft.pk,
        "issued": issued.pk,
        "invoice_line": issued.lines.first().pk,
        "note": note.pk,
    }


@pytest.fixture
def api(api_as, world):
    return api_as("admin")


def call(api, method, path, body=None, **query):
    url = f"/api/v1/{path}"
    if method == "get" or (method == "delete" and body is None):
        return getattr(api.http, method)(url, query or None, **api.headers)
    return getattr(api.http, method)(
        url, json.dumps(body), content_type="application/json", **api.headers
    )


def assert_422_naming(response, field):
    assert response.status_code == 422, response.content
    body = response.json()
    assert body["code"] == "invalid"
    assert field in body["details"]["fields"], body


# --- ids in the path: unknown is 404, no id a row can have (past a bigint, below 1, not a
# number) is malformed input, 422, as on every other app's endpoints (issue 12) ----------

LINE = {"description": "Drive", "unit_price": "10"}

BY_ID = [
    ("get", "rate-cards/{id}", None),
    ("patch", "rate-cards/{id}", {"notes": "x"}),
    ("delete", "rate-cards/{id}", None),
    ("post", "rate-cards/{id}/archive", {}),
    ("post", "rate-cards/{id}/entries", {"service": "Tape", "unit_price": "1"}),
    ("patch", "rate-entries/{id}", {"label": "x"}),
    ("delete", "rate-entries/{id}", None),
    ("get", "clients/{id}/deal", None),
    ("put", "clients/{id}/deal", {"discount_percent": "5"}),
    ("get", "quotes/{id}", None),
    ("patch", "quotes/{id}", {"notes": "x"}),
    ("post", "quotes/{id}/lines", LINE),
    ("delete", "quotes/{id}/lines/{quote_line}", None),
    ("delete", "quotes/{quote}/lines/{id}", None),
    ("post", "quotes/{id}/approve", {}),
    ("post", "quotes/{id}/send", {}),
    ("post", "quotes/{id}/accept", {}),
    ("post", "quotes/{id}/decline", {}),
    ("get", "quotes/{id}/pdf", None),
    ("get", "job-sheets/{id}", None),
    ("patch", "job-sheets/{id}", {"notes": "x"}),
    ("post", "job-sheets/{id}/lines", LINE),
    ("delete", "job-sheets/{id}/lines/{sheet_line}", None),
    ("delete", "job-sheets/{sheet}/lines/{id}", None),
    ("post", "job-sheets/{id}/sign", {"party": "operator", "name": "Ana"}),
    ("get", "job-sheets/{id}/pdf", None),
    ("get", "invoices/{id}", None),
    ("patch", "invoices/{id}", {"notes": "x"}),
    ("put", "invoices/{id}", {"notes": "x"}),
    ("delete", "invoices/{id}", None),
    ("post", "invoices/{id}/lines", LINE),
    ("post", "invoices/{id}/issue", {}),
    ("post", "invoices/{id}/payments", {"amount": "1.00", "received_on": "2026-03-11"}),
    ("get", "invoices/{id}/pdf", None),
    ("get", "credit-notes/{id}", None),
    ("get", "credit-notes/{id}/pdf", None),
    ("get", "productions/{id}/budget", None),
    ("put", "productions/{id}/budget", [{"category": "offline", "amount": "1"}]),
    ("get", "productions/{id}/cost-report", None),
]


@pytest.mark.parametrize(("method", "path", "body"), BY_ID, ids=[f"{m} {p}" for m, p, _ in BY_ID])
@pytest.mark.parametrize(
    ("given", "status", "code"),
    [
        (987654, 404, "not_found"),
        (TOO_BIG, 422, "invalid"),
        (0, 422, "invalid"),
        (-1, 422, "invalid"),
        ("abc", 422, "invalid"),
    ],
)
def test_unknown_or_malformed_path_ids(method, path, body, given, status, code, api, world):
    before = state()

    response = call(api, method, path.format(id=given, **world), body)

    assert response.status_code == status, response.content
    assert set(response.json()) == {"code", "message", "details"}
    assert response.json()["code"] == code
    assert state() == before


COSTING_BY_ID = [
    ("post", "jobs/{id}/invoice", None),
    ("delete", "exchange-rates/{id}", None),
    ("patch", "category-rules/{id}", {"rank": 5}),
    ("delete", "category-rules/{id}", None),
]


@pytest.mark.parametrize(("method", "path", "body"), COSTING_BY_ID, ids=lambda v: str(v))
@pytest.mark.parametrize(("given", "status"), [(987654, 404), (TOO_BIG, 422), (0, 422)])
def test_costing_path_ids(method, path, body, given, status, api, world):
    before = state()

    response = call(api, method, path.format(id=given), body)

    assert response.status_code == status, response.content
    assert state() == before


# --- the lists' paging, ordering and filters ----------------------------------------------

LISTS = ["rate-cards", "quotes", "job-sheets", "invoices", "credit-notes"]


@pytest.mark.parametrize("path", LISTS)
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
        {"ordering": "nope"},
        {"ordering": "x" * 201},
        {"q": "x" * 201},
    ],
    ids=lambda q: str(q)[:40],
)
def test_bad_list_parameters_are_422_naming_them(path, query, api, world):
    response = call(api, "get", path, **query)

    assert_422_naming(response, next(iter(query)))


@pytest.mark.parametrize(
    ("path", "query"),
    [
        ("quotes", {"status": "nope"}),
        ("quotes", {"job": TOO_BIG}),
        ("job-sheets", {"status": "nope"}),
        ("invoices", {"payment_status": "nope"}),
        ("invoices", {"client": 0}),
        ("credit-notes", {"invoice": -1}),
        ("exchange-rates", {"currency": "XYZ"}),
        ("invoices/export.csv", {"issued_from": "9999-12-31"}),
    ],
    ids=str,
)
def test_bad_list_filters_are_422_naming_them(path, query, api, world):
    response = call(api, "get", path, **query)

    assert_422_naming(response, next(iter(query)))


# --- ids past a bigint (or below 1) in the query ------------------------------------------

QUERY_IDS = [
    ("quotes", "job"),
    ("job-sheets", "job"),
    ("invoices", "job"),
    ("invoices", "client"),
    ("credit-notes", "invoice"),
    ("rate-cards/resolve", "resource"),
    ("rate-cards/resolve", "client"),
]


@pytest.mark.parametrize(("path", "field"), QUERY_IDS, ids=[f"{p}?{f}" for p, f in QUERY_IDS])
@pytest.mark.parametrize("given", [TOO_BIG, 0, -1])
def test_query_ids_out_of_range_are_422_naming_the_field(path, field, given, api, world):
    query = {"resource": world["resource"]} if path == "rate-cards/resolve" else {}
    query[field] = given

    response = call(api, "get", path, **query)

    assert_422_naming(response, field)


# --- ids past a bigint in bodies, lists too -----------------------------------------------

BODY_IDS = [
    ("post", "quotes", {"job": TOO_BIG}, "job"),
    ("post", "job-sheets", {"booking": TOO_BIG}, "booking"),
    ("post", "job-sheets/from-job", {"job": TOO_BIG}, "job"),
    ("post", "invoices", {"job": TOO_BIG, "job_sheets": [1]}, "job"),
    ("post", "invoices", {"job": "{job}", "job_sheets": [TOO_BIG]}, "job_sheets.0"),
    ("post", "invoices", {"job": "{job}", "job_sheets": ["{sheet}", 0]}, "job_sheets.1"),
    ("post", "credit-notes", {"invoice": TOO_BIG, "reason": "x"}, "invoice"),
    (
        "post",
        "credit-notes",
        {"invoice": "{issued}", "reason": "x", "lines": [{"invoice_line": TOO_BIG, "net": "1"}]},
        "lines.0.invoice_line",
    ),
    ("post", "rate-cards/{card}/entries", {"resource": TOO_BIG}, "resource"),
    ("post", "rate-cards/{card}/entries", {"skill": TOO_BIG}, "skill"),
    ("put", "clients/{client}/deal", {"card": TOO_BIG}, "card"),
]


def fill(template, world):
    if isinstance(template, dict):
        return {k: fill(v, world) for k, v in template.items()}
    if isinstance(template, list):
        return [fill(v, world) for v in template]
    if isinstance(template, str) and template.startswith("{") and template.endswith("}"):
        return world[template[1:-1]]
    return template


@pytest.mark.parametrize(
    ("method", "path", "body", "field"), BODY_IDS, ids=[f"{b[1]} {b[3]}" for b in BODY_IDS]
)
def test_body_ids_past_a_bigint_are_422_naming_the_field(method, path, body, field, api, world):
    before = state()

    response = call(api, method, path.format(**world), fill(body, world))

    assert_422_naming(response, field)
    assert state() == before


# --- NUL in query strings (PostgreSQL text cannot hold it) --------------------------------


@pytest.mark.parametrize("path", ["rate-cards", "quotes", "job-sheets", "invoices", "credit-notes"])
def test_nul_in_a_search_is_422_naming_it(path, api, world):
    response = call(api, "get", path, q="a\x00b")

    assert_422_naming(response, "q")


@pytest.mark.parametrize(
    ("path", "query", "field"),
    [
        ("quotes", {"ordering": "job\x00"}, "ordering"),
        ("rate-cards/resolve", {"resource": "1", "currency": "GBP\x00"}, "currency"),
        ("rate-cards/standard", {"currency": "\x00"}, "currency"),
    ],
)
def test_nul_in_other_query_parameters_is_422(path, query, field, api, world):
    response = call(api, "get", path, **query)

    assert_422_naming(response, field)


# --- dates and instants at the calendar's edges -------------------------------------------

EDGE_DATES = ["0001-01-01", "1999-12-31", "2100-01-01", "9999-12-31"]
EDGE_INSTANTS = [
    "0001-01-01T00:00:00Z",
    "0001-01-01T00:00:00+14:00",
    "9999-12-31T23:59:59Z",
    "9999-12-31T23:59:59-14:00",
]


@pytest.mark.parametrize("day", EDGE_DATES)
@pytest.mark.parametrize(
    ("path", "field"),
    [
        ("rate-cards/resolve", "on"),
        ("rate-cards/standard", "on"),
        ("invoices/export.csv", "issued_from"),
        ("invoices/export.csv", "issued_to"),
    ],
)
def test_query_dates_outside_the_window_are_422(path, field, day, api, world):
    query = {"resource": world["resource"]} if path == "rate-cards/resolve" else {}

    response = call(api, "get", path, **query, **{field: day})

    assert_422_naming(response, field)


BODY_DATES = [
    ("post", "quotes", {"job": "{job}", "valid_until": "{day}"}, "valid_until"),
    ("patch", "quotes/{quote}", {"valid_until": "{day}"}, "valid_until"),
    ("post", "rate-cards", {"name": "Edge", "valid_from": "{day}"}, "valid_from"),
    ("patch", "rate-cards/{card}", {"valid_from": "{day}"}, "valid_from"),
    ("post", "invoices/{draft}/issue", {"issue_date": "{day}"}, "issue_date"),
    ("post", "invoices/{issued}/payments", {"amount": "1", "received_on": "{day}"}, "received_on"),
]


@pytest.mark.parametrize("day", EDGE_DATES)
@pytest.mark.parametrize(
    ("method", "path", "body", "field"), BODY_DATES, ids=[f"{b[1]} {b[3]}" for b in BODY_DATES]
)
def test_body_dates_outside_the_window_are_422(method, path, body, field, day, api, world):
    before = state()
    payload = {k: (day if v == "{day}" else fill(v, world)) for k, v in body.items()}

    response = call(api, method, path.format(**world), payload)

    assert_422_naming(response, field)
    assert state() == before


@pytest.mark.parametrize("instant", EDGE_INSTANTS)
@pytest.mark.parametrize("field", ["actual_start", "actual_end"])
def test_job_sheet_times_outside_the_window_are_422(field, instant, api, world):
    before = state()

    response = call(api, "patch", f"job-sheets/{world['sheet']}", {field: instant})

    assert_422_naming(response, field)
    assert state() == before


def test_a_naive_job_sheet_time_is_422(api, world):
    before = state()

    response = call(
        api, "patch", f"job-sheets/{world['sheet']}", {"actual_end": "2026-03-09T20:00"}
    )

    assert_422_naming(response, "actual_end")
    assert state() == before


# --- the pages' forms -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "data"),
    [
        ("/billing/invoices/new/", {"job_sheets": [str(TOO_BIG)]}),
        ("/billing/invoices/new/", {"job_sheets": ["0"]}),
        ("/billing/job-sheets/new/", {"booking": str(TOO_BIG)}),
        ("/billing/quotes/new/", {"job": str(TOO_BIG)}),
    ],
    ids=str,
)
def test_page_forms_refuse_ids_past_a_bigint(url, data, page_as, world):
    http = page_as("bookings")
    before = state()

    response = http.post(url, data)

    assert response.status_code == 200  # the form again, with its error
    assert b"errorlist" in response.content
    assert state() == before


@pytest.mark.parametrize(
    "url",
    [
        "/billing/quotes/",
        "/billing/job-sheets/",
        "/billing/invoices/",
        "/billing/credit-notes/",
        "/billing/rate-cards/",
        "/billing/cost-reports/",
    ],
)
def test_page_lists_drop_nul_from_a_search(url, page_as):
    # Pages are forgiving where the API is strict, as every app's list pages are
    # (web/listing.py): NUL, which PostgreSQL text cannot hold, is dropped from the search
    # and the rest searched for, never a 500.
    response = page_as("admin").get(url, {"q": "a\x00b"})

    assert response.status_code == 200
    assert response.context["q"] == "ab"
    assert "Nothing matches “ab”" in response.content.decode()


def test_the_quote_list_ignores_a_status_it_does_not_know(page_as):
    response = page_as("admin").get("/billing/quotes/", {"status": "x\x00"})

    assert response.status_code == 200
    assert response.context["status"] == ""  # no filter applied: "Any" stays chosen
