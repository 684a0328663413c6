"""Which VAT applies to a client: the place-of-supply rule, in one place (DOMAIN rule 10).

The rule (VAT Act 1994 s.7A(2)(a); HMRC VAT Notice 741A, section 6, "the general rule"):
a supply of services to a business customer is made where the customer belongs. The
facility's clients are the companies that pay for productions, so every client is taken to
be a business customer, and:

- a client that belongs in the facility's own VAT area ("home", FacilitySettings.country;
  for GB that is the UK and the Isle of Man, one VAT area) → DOMESTIC: each line bears UK
  VAT at its own code's rate (standard 20%, zero, exempt);
- a client in an EU member state that gave its VAT number → REVERSE_CHARGE: no UK VAT (the
  supply is made in the client's country); the client accounts for the VAT there (EU VAT
  Directive arts. 44 and 196), so the invoice says "Reverse charge" and carries the
  client's VAT number (art. 226(11a));
- any other client abroad → OUTSIDE_SCOPE: no UK VAT; the invoice says the supply is
  outside the scope of UK VAT. This includes an EU client without a VAT number: it is
  still a business belonging abroad (the facility keeps other commercial evidence of that,
  as Notice 741A allows), but with no number to quote, the reverse-charge statement cannot
  be made on the invoice, so it reads "outside the scope of UK VAT".

A client with no country recorded is taken to belong at home (the safe side: UK VAT is
charged). The treatment is decided at the tax point, when an invoice is issued, from the
client's details at that moment (billing.services.issue_invoice); quotes show the treatment
they expect from the client's details today. Services with their own place-of-supply rules
(land, admission to events, Schedule 4A) are not priced by postdesk and not handled here.
"""

from postdesk.billing.models import LineVatCode, VatCode
from postdesk.billing.models import VatTreatment as Treatment

# What the invoice must say for each treatment that charges no UK VAT.
NOTES = {
    Treatment.REVERSE_CHARGE: (
        "Reverse charge: services supplied to a business in the EU. No UK VAT is charged; "
        "the customer must account for VAT in its own country (Article 196, Council "
        "Directive 2006/112/EC)."
    ),
    Treatment.OUTSIDE_SCOPE: (
        "Outside the scope of UK VAT: services supplied to a business belonging outside "
        "the UK (place of supply: where the customer belongs, VAT Act 1994 s.7A)."
    ),
}

# fmt: off
EU_MEMBER_STATES = frozenset({
    "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU",
    "IE", "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK",
})
# fmt: on

# Territories inside one VAT area with a home country (the Isle of Man shares the UK's).
VAT_AREAS = {"GB": frozenset({"GB", "IM"})}


def _area(country: str) -> frozenset[str]:
    return VAT_AREAS.get(country, frozenset({country}))


def treatment_for(*, country: str, vat_number: str, home: str) -> Treatment:
    """The treatment for a client belonging in `country` with `vat_number` (may be blank),
    supplied by a facility whose home country is `home`."""
    home = (home or "GB").upper()
    country = (country or home).strip().upper()
    if country in _area(home):
        return Treatment.DOMESTIC
    if country in EU_MEMBER_STATES and vat_number.strip():
        return Treatment.REVERSE_CHARGE
    return Treatment.OUTSIDE_SCOPE


def treatment_of_client(client, home: str | None = None) -> Treatment:
    """The treatment for `client` as it stands now (home: the facility's country)."""
    if home is None:
        from postdesk.core.facility import current

        home = current().country
    return treatment_for(country=client.country, vat_number=client.vat_number, home=home)


def line_code(treatment: str, supply_code: str) -> str:
    """The VAT code a line applies: its own code at home, outside the scope abroad."""
    if treatment == Treatment.DOMESTIC:
        return supply_code
    return LineVatCode.OUTSIDE


def supply_code_of(line) -> str:
    """A saved line's own code; lines priced before it was kept stand on their applied code
    (one applied abroad says nothing of the supply, which is then taken as standard)."""
    if line.supply_vat_code:
        return line.supply_vat_code
    return VatCode.STANDARD if line.vat_code == LineVatCode.OUTSIDE else line.vat_code


def note(treatment: str) -> str:
    """What a document must say of a treatment that charges no UK VAT ("" for domestic)."""
    return NOTES.get(treatment, "")
