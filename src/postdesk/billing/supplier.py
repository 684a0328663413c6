"""The supplier's details a document prints: the facility's as they are now, or, for an
issued invoice or credit note, as they were when it was issued (its snapshot)."""

from postdesk.core import facility

# The facility's fields a VAT invoice must show or that its reader needs to pay it.
FIELDS = (
    "name",
    "address",
    "country",
    "vat_number",
    "company_number",
    "email",
    "phone",
    "bank_details",
    "document_footer",
)


def snapshot(settings=None) -> dict:
    """The facility's details now, as plain values to store on an issued document."""
    settings = settings or facility.current()
    return {name: getattr(settings, name) for name in FIELDS}


def of(doc=None) -> dict:
    """The supplier a document names: its own snapshot if it has one, else the facility's
    details now (drafts, quotes and job sheets)."""
    stored = getattr(doc, "supplier", None) if doc is not None else None
    if stored:
        return {name: stored.get(name, "") for name in FIELDS}
    return snapshot()
