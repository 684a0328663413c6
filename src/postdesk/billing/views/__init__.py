"""Billing's pages, one module per document: quotes, job sheets, invoices, credit notes,
rate cards, cost reports, the reference data cost reports read (exchange rates, budget
categories) and the job page's "Invoice this job". `common` holds what they share.
As thin as the API: parse, call a service or a query, render; the same capabilities
apply (403 page; other companies' records are 404)."""
