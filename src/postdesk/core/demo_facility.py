"""The demo facility's business details, so its documents read like a real post house's.

Only blank details are filled: what an administrator has set on the Facility page stays.
"""

from postdesk.core import audit, facility

DETAILS = {
    "address": "Dean Street\nLondon W1D 3RS",
    "vat_number": "GB 123 4567 89",
    "company_number": "09876543",
    "email": "accounts@postdesk.test",
    "phone": "+44 20 7946 0000",
    "bank_details": "Sort code 12-34-56 · Account 12345678\n"
    "IBAN GB29 NWBK 6016 1331 9268 19 · BIC NWBKGB2L",
    "document_footer": "Registered in England and Wales no. 09876543.",
}


def load() -> str:
    row = facility.current()
    blank = {name: value for name, value in DETAILS.items() if not getattr(row, name)}
    if blank:
        facility.update_facility_settings(actor=audit.DEMO, **blank)
    return f"facility details: {len(blank)} filled in"
