"""The billing API: every flow end to end, permissions, scoping and refusals."""

import datetime
import io

import pytest
from pypdf import PdfReader

from postdesk.billing import services
from postdesk.billing.models import Invoice, Quote
from postdesk.core.audit import SYSTEM
from tests.billing.conftest import at

pytestmark = pytest.mark.django_db
MONEY_ENDPOINTS = ["rate-cards", "quotes", "job-sheets", "invoices", "credit-notes"]


@pytest.fixture
def booked(job, theatre, standard_card, make_booking):
    return make_booking(job, [theatre], at("2026-03-02", "09:00"), at("2026-03-02", "19:00"))


@pytest.fixture
def issued(draft_invoice):
    return services.issue_invoice(
        draft_invoice, actor=SYSTEM, issue_date=datetime.date(2026, 3, 10)
    )


@pytest.mark.parametrize("role", ["runner", "reception", "coordinator", "engineer", "library"])
@pytest.mark.parametrize("endpoint", MONEY_ENDPOINTS)
def test_roles_without_money_get_403_everywhere(api_as, role, endpoint):
    assert api_as(role).get(endpoint).status_code == 403


@pytest.mark.parametrize("role", ["runner", "reception"])
def test_roles_without_money_cannot_read_a_quote_pdf_or_cost_report(
    api_as, role, job, booked, production
):
    quote = services.create_quote(job=job, actor=SYSTEM)
    assert api_as(role).get(f"quotes/{quote.pk}").status_code == 403
    assert api_as(role).get(f"quotes/{quote.pk}/pdf").status_code == 403
    assert api_as(role).get(f"productions/{production.pk}/cost-report").status_code == 403


def test_rate_card_and_entry_through_the_api(api_as, theatre):
    api = api_as("bookings")
    card = api.post("rate-cards", {"name": "Standard", "is_standard": True}).json()
    response = api.post(
        f"rate-cards/{card['id']}/entries",
        {
            "resource_kind": "room",
            "hourly": "150",
            "half_day": "600",
            "day": "1000",
            "category": "grade",
        },
    )
    assert response.status_code == 201
    resolved = api.get("rate-cards/resolve", resource=theatre.pk).json()
    assert (resolved["source"], resolved["day"]) == ("standard kind", "1000.00")
    bad = api.post(
        f"rate-cards/{card['id']}/entries", {"resource_kind": "room", "service": "Courier"}
    )
    assert bad.status_code == 422


def test_supervisor_may_read_but_not_change_rate_cards(api_as, standard_card):
    assert api_as("supervisor").get("rate-cards").status_code == 200
    assert api_as("supervisor").post("rate-cards", {"name": "X"}).status_code == 403


def test_client_user_cannot_read_internal_rate_cards(api_as, standard_card):
    assert api_as("client").get("rate-cards").status_code == 403


def test_quote_flow_create_approve_send_accept(api_as, job, booked, settings):
    settings.POSTDESK = {**settings.POSTDESK, "QUOTE_APPROVAL_THRESHOLD": "500"}
    created = api_as("bookings").post(
        "quotes",
        {"job": job.pk, "lines": [{"description": "Drive", "unit_price": "90", "kind": "stock"}]},
    )
    assert created.status_code == 201
    quote = created.json()
    assert (quote["version"], quote["net"], quote["needs_approval"]) == (1, "1090.00", True)
    refused = api_as("bookings").post(f"quotes/{quote['id']}/send")
    assert (refused.status_code, refused.json()["code"]) == (409, "approval_required")
    assert api_as("bookings").post(f"quotes/{quote['id']}/approve").status_code == 403
    assert api_as("supervisor").post(f"quotes/{quote['id']}/approve").status_code == 200
    sent = api_as("bookings").post(f"quotes/{quote['id']}/send")
    assert sent.json()["status"] == "sent"
    accepted = api_as("client").post(f"quotes/{quote['id']}/accept")
    assert accepted.json()["status"] == "accepted"


def test_client_user_sees_only_own_sent_quotes(api_as, job, other_job, booked):
    own_draft = services.create_quote(job=job, actor=SYSTEM)
    own_sent = services.send_quote(services.create_quote(job=job, actor=SYSTEM), actor=SYSTEM)
    other = services.create_quote(
        job=other_job,
        actor=SYSTEM,
        include_bookings=False,
        free_lines=[{"description": "x", "unit_price": "1"}],
    )
    client = api_as("client")
    assert [q["id"] for q in client.get("quotes").json()["results"]] == [own_sent.pk]
    assert client.get(f"quotes/{own_draft.pk}").status_code == 404
    assert client.get(f"quotes/{other.pk}").status_code == 404
    assert client.post(f"quotes/{other.pk}/accept").status_code == 404


def test_job_sheet_invoice_issue_pay_and_credit_via_api(
    api_as, job, theatre, standard_card, make_booking
):
    booking = make_booking(
        job, [theatre], at("2026-03-02", "09:00"), at("2026-03-02", "19:00"), status="completed"
    )
    api = api_as("bookings")
    sheet = api.post("job-sheets", {"booking": booking.pk}).json()
    patched = api.patch(f"job-sheets/{sheet['id']}", {"actual_end": "2026-03-02T21:00:00Z"})
    assert patched.json()["net"] == "1450.00"
    api.post(f"job-sheets/{sheet['id']}/lines", {"service": "Courier", "kind": "courier"})
    api.post(f"job-sheets/{sheet['id']}/sign", {"party": "operator", "name": "Ana"})
    signed = api_as("client").post(
        f"job-sheets/{sheet['id']}/sign", {"party": "client", "name": "Hannah Reid"}
    )
    assert signed.json()["status"] == "signed_off"
    invoice = api.post("invoices", {"job": job.pk, "job_sheets": [sheet["id"]]}).json()
    assert (invoice["status"], invoice["net"]) == ("draft", "1485.00")
    assert api_as("client").get(f"invoices/{invoice['id']}").status_code == 404
    # Dated months back: an administrator issues it, saying why (issue 10).
    issued = (
        api_as("admin")
        .post(
            f"invoices/{invoice['id']}/issue",
            {"issue_date": "2026-03-10", "reason": "March work, invoiced late"},
        )
        .json()
    )
    assert (issued["number"], issued["payment_status"]) == ("INV-2026-000001", "overdue")
    paid = api.post(
        f"invoices/{invoice['id']}/payments", {"amount": "500.00", "received_on": "2026-03-11"}
    ).json()
    assert paid["paid"] == "500.00"
    note = api.post(
        "credit-notes",
        {
            "invoice": invoice["id"],
            "reason": "Courier not used",
            "lines": [{"invoice_line": issued["lines"][1]["id"], "net": "35.00"}],
        },
    )
    assert note.status_code == 201
    assert note.json()["gross"] == "42.00"
    after = api.get(f"invoices/{invoice['id']}").json()
    assert (after["gross"], after["credited"], after["outstanding"]) == (
        "1782.00",
        "42.00",
        "1240.00",
    )


def test_issued_invoice_refuses_patch_put_delete_and_lines_with_409(api_as, issued):
    api = api_as("accounts")
    for response in (
        api.patch(f"invoices/{issued.pk}", {"notes": "x"}),
        api.put(f"invoices/{issued.pk}", {"notes": "x"}),
        api.delete(f"invoices/{issued.pk}"),
        api.post(f"invoices/{issued.pk}/lines", {"description": "x", "unit_price": "1"}),
        api.post(f"invoices/{issued.pk}/issue"),
    ):
        assert response.status_code == 409, response.content
        assert set(response.json()) == {"code", "message", "details"}
    invoice = Invoice.objects.get()
    assert (invoice.notes, invoice.number, invoice.lines.count()) == ("", "INV-2026-000001", 1)


def test_bad_input_is_422_and_writes_nothing(api_as, job):
    api = api_as("bookings")
    assert api.post("quotes", {"job": 999999}).status_code == 422
    assert api.post("quotes", {"job": job.pk, "surprise": 1}).status_code == 422
    assert api.post("invoices", {"job": job.pk, "job_sheets": [424242]}).status_code == 422
    assert api.post("credit-notes", {"invoice": 1, "reason": ""}).status_code == 422
    assert Quote.objects.count() == 0


def test_client_sees_only_own_issued_invoices(api_as, issued, other_job):
    other = Invoice.objects.create(job=other_job, client=other_job.client)
    client = api_as("client")
    assert [i["id"] for i in client.get("invoices").json()["results"]] == [issued.pk]
    assert client.get(f"invoices/{other.pk}").status_code == 404
    assert client.get(f"invoices/{issued.pk}/pdf").status_code == 200


def test_invoice_pdf_and_csv_export(api_as, issued):
    pdf = api_as("accounts").get(f"invoices/{issued.pk}/pdf")
    assert pdf["Content-Type"] == "application/pdf"
    text = PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text()
    assert "INV-2026-000001" in text
    csv_text = api_as("accounts").get("invoices/export.csv").content.decode()
    lines = csv_text.strip().splitlines()
    assert lines[0].startswith("invoice_number,issue_date,due_date,customer")
    assert lines[1] == (
        "INV-2026-000001,2026-03-10,2026-04-09,Northlight Pictures,GB123456789,"
        'GBP,1,"Grading theatre 1, Mon 02 Mar 2026, 10 h",4000,standard,'
        "20.00,1000.00,200.00,1200.00,no"
    )


def test_cost_report_json_csv_xlsx_and_budget(api_as, production, issued):
    budget = api_as("supervisor").put(
        f"productions/{production.pk}/budget", [{"category": "offline", "amount": "5000"}]
    )
    assert budget.status_code == 200
    assert (
        api_as("bookings")
        .put(f"productions/{production.pk}/budget", [{"category": "offline", "amount": "1"}])
        .status_code
        == 403
    )
    report = api_as("supervisor").get(f"productions/{production.pk}/cost-report").json()
    assert report["total"]["budget"] == "5000.00"
    assert report["total"]["invoiced"] == "1000.00"
    csv_response = api_as("accounts").get(f"productions/{production.pk}/cost-report", format="csv")
    assert csv_response["Content-Type"] == "text/csv"
    xlsx = api_as("accounts").get(f"productions/{production.pk}/cost-report", format="xlsx")
    assert xlsx.content[:2] == b"PK"
    assert api_as("client").get(f"productions/{production.pk}/cost-report").status_code == 403


def test_invoice_list_has_bounded_queries(api_as, job, signed_sheet, django_assert_max_num_queries):
    for day in ("2026-03-02", "2026-03-03", "2026-03-04", "2026-03-05"):
        services.create_invoice(job=job, sheets=[signed_sheet(day)], actor=SYSTEM)
    api = api_as("accounts")
    api.get("invoices")  # warm the token and permission caches
    with django_assert_max_num_queries(8):
        response = api.get("invoices")
    assert response.json()["count"] == 4


def test_completed_bookings_of_a_job_feed_job_sheets(
    api_as, job, theatre, standard_card, make_booking
):
    for day in ("2026-03-02", "2026-03-03"):
        make_booking(job, [theatre], at(day, "09:00"), at(day, "19:00"), status="completed")
    make_booking(job, [theatre], at("2026-03-04", "09:00"), at("2026-03-04", "19:00"))
    response = api_as("bookings").post("job-sheets/from-job", {"job": job.pk})
    assert response.status_code == 201
    assert [s["net"] for s in response.json()] == ["1000.00", "1000.00"]
    assert api_as("bookings").post("job-sheets/from-job", {"job": job.pk}).json() == []


def test_invoices_filter_by_payment_status_in_the_database(api_as, job, signed_sheet):
    first, second, third = (
        services.create_invoice(job=job, sheets=[signed_sheet(day)], actor=SYSTEM)
        for day in ("2026-03-02", "2026-03-03", "2026-03-04")
    )
    today = datetime.date.today()
    services.issue_invoice(first, actor=SYSTEM, issue_date=today)
    services.issue_invoice(second, actor=SYSTEM, issue_date=today)
    services.record_payment(second, actor=SYSTEM, amount="100.00", received_on=today)

    def ids(status):
        return [
            i["id"]
            for i in api_as("accounts").get("invoices", payment_status=status).json()["results"]
        ]

    assert ids("unpaid") == [first.pk]
    assert ids("part_paid") == [second.pk]
    assert ids("draft") == [third.pk]
    assert ids("paid") == []
    assert ids("overdue") == []


@pytest.mark.parametrize("endpoint", ["quotes", "job-sheets", "credit-notes"])
def test_lists_have_bounded_queries(
    api_as, job, signed_sheet, endpoint, django_assert_max_num_queries
):
    for day in ("2026-03-02", "2026-03-03", "2026-03-04"):
        sheet = signed_sheet(day)
        invoice = services.issue_invoice(
            services.create_invoice(job=job, sheets=[sheet], actor=SYSTEM), actor=SYSTEM
        )
        services.create_credit_note(invoice=invoice, actor=SYSTEM, reason="x")
        services.create_quote(
            job=job,
            actor=SYSTEM,
            include_bookings=False,
            free_lines=[{"description": "x", "unit_price": "1"}],
        )
    api = api_as("bookings")
    api.get(endpoint)
    with django_assert_max_num_queries(8):
        response = api.get(endpoint)
    assert response.json()["count"] == 3


def test_job_sheet_and_credit_note_pdfs_read_back(api_as, issued):
    note = services.create_credit_note(invoice=issued, actor=SYSTEM, reason="Late start")
    sheet = issued.job_sheets.get()
    sheet_text = (
        PdfReader(io.BytesIO(api_as("bookings").get(f"job-sheets/{sheet.pk}/pdf").content))
        .pages[0]
        .extract_text()
    )
    assert "Grading theatre 1, Mon 02 Mar 2026, 10 h" in sheet_text
    assert "Hannah Reid" in sheet_text
    note_text = (
        PdfReader(io.BytesIO(api_as("accounts").get(f"credit-notes/{note.pk}/pdf").content))
        .pages[0]
        .extract_text()
    )
    assert "Credit note CN-2026-000001" in note_text
    assert "INV-2026-000001" in note_text
    assert "£1,200.00" in note_text


def test_client_deal_read_and_set(api_as, client_company, standard_card):
    assert api_as("accounts").get(f"clients/{client_company.pk}/deal").json()["card"] is None
    card = services.create_rate_card(actor=SYSTEM, name="Northlight deal")
    response = api_as("accounts").put(
        f"clients/{client_company.pk}/deal", {"card": card.pk, "discount_percent": "7.5"}
    )
    assert response.json() == {
        "client": client_company.pk,
        "card": card.pk,
        "discount_percent": "7.50",
        "notes": "",
    }
    assert (
        api_as("supervisor")
        .put(f"clients/{client_company.pk}/deal", {"discount_percent": "1"})
        .status_code
        == 403
    )
    assert (
        api_as("accounts")
        .put(f"clients/{client_company.pk}/deal", {"discount_percent": "101"})
        .status_code
        == 422
    )


def test_a_quote_patch_with_null_text_is_refused_and_changes_nothing(api_as, job, booked):
    # Found by the API fuzz: {"notes": null} reached the NOT NULL column as a 500.
    quote = services.create_quote(job=job, actor=SYSTEM)
    terms_before = quote.terms

    response = api_as("bookings").patch(f"quotes/{quote.pk}", {"notes": None, "terms": "Net 7"})

    assert response.status_code == 422
    assert list(response.json()["details"]["fields"]) == ["notes"]
    quote.refresh_from_db()
    assert (quote.notes, quote.terms) == ("", terms_before)
