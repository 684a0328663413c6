"""API of billing: rate cards, quotes, job sheets, invoices, credit notes, cost reports."""

from ninja import Router

router = Router(tags=["billing"])
