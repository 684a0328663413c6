"""VAT follows the place of supply, decided at the tax point (issue 11, DOMAIN rule 10):
UK clients pay UK VAT; EU businesses with a VAT number are reverse-charged; every other
client abroad (a US company, an EU business without a number) is outside the scope."""

import datetime
from decimal import Decimal

import pytest

from postdesk.billing import services, vat
from postdesk.billing.models import Invoice, InvoiceLine, QuoteLine
from postdesk.core.audit import SYSTEM
from postdesk.core.errors import InvalidInput
from postdesk.core.models import AuditEntry
from postdesk.productions.services import update_client
from tests.billing.conftest import at

pytestmark = pytest.mark.django_db
ISSUE_DAY = datetime.date(2026, 3, 10)


@pytest.mark.parametrize(
    ("country", "vat_number", "home", "expected"),
    [
        ("GB", "GB123456789", "GB", "domestic"),
        ("GB", "", "GB", "domestic"),
        ("IM", "", "GB", "domestic"),  # the Isle of Man shares the UK's VAT area
        ("", "", "GB", "domestic"),  # no country recorded: the safe side, UK VAT
        ("US", "", "GB", "outside_scope"),
        ("US", "98-7654321", "GB", "outside_scope"),
        ("JE", "", "GB", "outside_scope"),  # Jersey is outside the UK's VAT area
        ("FR", "FR12345678901", "GB", "reverse_charge"),
        ("de", "DE123456789", "GB", "reverse_charge"),
        ("FR", "", "GB", "outside_scope"),  # EU business without a number: no RC note
        ("FR", "   ", "GB", "outside_scope"),
        ("IE", "", "IE", "domestic"),  # home is the facility's country, whatever it is
        ("GB", "", "IE", "outside_scope"),
    ],
)
def test_the_place_of_supply_rule(country, vat_number, home, expected):
    assert vat.treatment_for(country=country, vat_number=vat_number, home=home) == expected


def test_home_is_the_facilitys_country(client_company):
    from postdesk.core import facility

    facility.update_facility_settings(actor=SYSTEM, country="IE")

    assert vat.treatment_of_client(client_company) == "outside_scope"


def _move(client, country: str, vat_number: str = ""):
    return update_client(client, actor=SYSTEM, country=country, vat_number=vat_number)


def _issue(invoice, day=ISSUE_DAY):
    return services.issue_invoice(invoice, actor=SYSTEM, issue_date=day)


def _lines(invoice):
    return [
        (line.vat_code, line.vat_rate, line.vat, line.gross)
        for line in InvoiceLine.objects.filter(invoice=invoice)
    ]


def test_a_uk_client_pays_uk_vat(draft_invoice):
    invoice = _issue(draft_invoice)

    assert invoice.vat_treatment == "domestic"
    assert invoice.reverse_charge is False
    assert _lines(invoice) == [
        ("standard", Decimal("20.00"), Decimal("200.00"), Decimal("1200.00"))
    ]
    assert (invoice.net, invoice.vat, invoice.gross) == (
        Decimal("1000.00"),
        Decimal("200.00"),
        Decimal("1200.00"),
    )


def test_a_us_business_pays_no_uk_vat(job, signed_sheet, client_company):
    _move(client_company, "US")
    invoice = _issue(services.create_invoice(job=job, sheets=[signed_sheet()], actor=SYSTEM))

    assert invoice.vat_treatment == "outside_scope"
    assert invoice.reverse_charge is False
    assert _lines(invoice) == [("outside", Decimal("0.00"), Decimal("0.00"), Decimal("1000.00"))]
    assert (invoice.vat, invoice.gross) == (Decimal("0.00"), Decimal("1000.00"))


def test_an_eu_business_with_a_vat_number_is_reverse_charged(job, signed_sheet, client_company):
    _move(client_company, "FR", "FR12345678901")
    invoice = _issue(services.create_invoice(job=job, sheets=[signed_sheet()], actor=SYSTEM))

    assert (invoice.vat_treatment, invoice.reverse_charge) == ("reverse_charge", True)
    assert invoice.client_vat_number == "FR12345678901"
    assert _lines(invoice) == [("outside", Decimal("0.00"), Decimal("0.00"), Decimal("1000.00"))]


def test_an_eu_business_without_a_vat_number_is_outside_the_scope(
    job, signed_sheet, client_company
):
    _move(client_company, "DE")
    invoice = _issue(services.create_invoice(job=job, sheets=[signed_sheet()], actor=SYSTEM))

    assert (invoice.vat_treatment, invoice.reverse_charge) == ("outside_scope", False)
    assert invoice.gross == Decimal("1000.00")


def test_zero_rated_and_exempt_lines_keep_their_own_code_at_home(draft_invoice):
    services.add_invoice_line(
        draft_invoice, actor=SYSTEM, description="Archive", unit_price="100", vat_code="exempt"
    )
    services.add_invoice_line(
        draft_invoice, actor=SYSTEM, description="Books", unit_price="50", vat_code="zero"
    )

    invoice = _issue(draft_invoice)

    assert [line.vat_code for line in invoice.lines.all()] == ["standard", "exempt", "zero"]
    assert (invoice.net, invoice.vat) == (Decimal("1150.00"), Decimal("200.00"))


def test_a_client_that_moves_abroad_after_the_quote_is_invoiced_as_it_is_at_issue(
    job, theatre, standard_card, make_booking, signed_sheet, client_company
):
    # Given a quote and a signed job sheet while the client was in the UK
    make_booking(job, [theatre], at("2026-03-09", "09:00"), at("2026-03-09", "19:00"))
    quote = services.create_quote(job=job, actor=SYSTEM)
    draft = services.create_invoice(job=job, sheets=[signed_sheet()], actor=SYSTEM)
    assert _lines(draft) == [("standard", Decimal("20.00"), Decimal("200.00"), Decimal("1200.00"))]

    # When the client moves to the US before the invoice is issued
    _move(client_company, "US")
    invoice = _issue(draft)

    # Then the invoice is decided at its tax point: no UK VAT, totals follow
    assert invoice.vat_treatment == "outside_scope"
    assert _lines(invoice) == [("outside", Decimal("0.00"), Decimal("0.00"), Decimal("1000.00"))]
    assert (invoice.net, invoice.vat, invoice.gross) == (
        Decimal("1000.00"),
        Decimal("0.00"),
        Decimal("1000.00"),
    )
    assert invoice.client_country == "US"
    # and the correction of the line is audited
    line = invoice.lines.get()
    entry = AuditEntry.objects.filter(
        object_type="billing.invoiceline", object_id=str(line.pk), action="update"
    ).get()
    assert entry.changes == {
        "vat_code": ["standard", "outside"],
        "vat_rate": ["20.00", "0.00"],
        "vat": ["200.00", "0.00"],
        "gross": ["1200.00", "1000.00"],
    }
    assert entry.summary == "VAT at the tax point: Outside the scope of UK VAT"
    # while the quote, a record of what was offered then, keeps its UK VAT
    assert [(x.vat_code, x.vat) for x in QuoteLine.objects.filter(quote=quote)] == [
        ("standard", Decimal("200.00"))
    ]


def test_a_client_that_comes_home_before_issue_pays_uk_vat_again(job, signed_sheet, client_company):
    _move(client_company, "US")
    draft = services.create_invoice(job=job, sheets=[signed_sheet()], actor=SYSTEM)
    assert _lines(draft) == [("outside", Decimal("0.00"), Decimal("0.00"), Decimal("1000.00"))]

    _move(client_company, "GB")
    invoice = _issue(draft)

    assert invoice.vat_treatment == "domestic"
    assert _lines(invoice) == [
        ("standard", Decimal("20.00"), Decimal("200.00"), Decimal("1200.00"))
    ]
    assert invoice.gross == Decimal("1200.00")


def test_issuing_a_draft_already_right_audits_no_line(draft_invoice):
    _issue(draft_invoice)

    assert not AuditEntry.objects.filter(object_type="billing.invoiceline", action="update")


def test_a_refused_issue_leaves_the_drafts_vat_as_it_was(job, signed_sheet, client_company):
    draft = services.create_invoice(job=job, sheets=[signed_sheet()], actor=SYSTEM)
    _move(client_company, "US")
    empty = Invoice.objects.create(job=job, client=client_company)

    with pytest.raises(InvalidInput):
        _issue(empty)
    with pytest.raises(InvalidInput):
        _issue(draft, day=datetime.date(2099, 1, 1))

    assert Invoice.objects.get(pk=draft.pk).status == "draft"
    assert _lines(draft) == [("standard", Decimal("20.00"), Decimal("200.00"), Decimal("1200.00"))]
    assert not AuditEntry.objects.filter(object_type="billing.invoiceline", action="update")


def test_a_quote_prices_the_treatment_it_expects(
    job, theatre, standard_card, make_booking, client_company
):
    _move(client_company, "FR", "FR12345678901")
    make_booking(job, [theatre], at("2026-03-09", "09:00"), at("2026-03-09", "19:00"))

    quote = services.create_quote(job=job, actor=SYSTEM)

    assert [(x.vat_code, x.supply_vat_code, x.vat) for x in quote.lines.all()] == [
        ("outside", "standard", Decimal("0.00"))
    ]
    assert quote.gross == Decimal("1000.00")


def test_the_api_says_which_treatment_an_issued_invoice_has(
    api_as, job, signed_sheet, client_company
):
    _move(client_company, "US")
    draft = services.create_invoice(job=job, sheets=[signed_sheet()], actor=SYSTEM)
    assert api_as("accounts").get(f"invoices/{draft.pk}").json()["vat_treatment"] is None

    invoice = _issue(draft)

    body = api_as("accounts").get(f"invoices/{invoice.pk}").json()
    assert (body["vat_treatment"], body["reverse_charge"], body["vat"], body["gross"]) == (
        "outside_scope",
        False,
        "0.00",
        "1000.00",
    )
