"""Every write of billing: rate cards, quotes, job sheets, invoices, credit notes, payments,
budgets. Each is one transaction with its audit record; mail goes out on commit.

One module per document: `rate_cards` (with entries and client deals), `quotes`,
`job_sheets`, `invoices` (with payments), `credit_notes`, `budgets`; beneath them
`document_lines` (the priced lines the documents share) and `records` (their audit).
The names the API, the pages, the tasks and the demo call are imported here, so
`from postdesk.billing import services` is the one way in.
"""

from postdesk.billing.services.budgets import (
    delete_budget_line,
    set_budget,
    set_budget_line,
)
from postdesk.billing.services.credit_notes import (
    create_credit_note,
    remaining_by_line,
)
from postdesk.billing.services.invoices import (
    AlreadyIssued,
    add_invoice_line,
    announce_overdue_invoices,
    create_invoice,
    delete_invoice,
    format_number,
    issue_invoice,
    record_payment,
    require_issue_date,
    update_invoice,
)
from postdesk.billing.services.job_sheets import (
    add_job_sheet_line,
    create_job_sheet,
    create_job_sheets_for_job,
    delete_job_sheet_line,
    sign_job_sheet,
    update_job_sheet,
)
from postdesk.billing.services.quotes import (
    ApprovalRequired,
    add_quote_line,
    approve_quote,
    create_quote,
    delete_quote_line,
    expire_quotes,
    respond_quote,
    send_quote,
    update_quote,
)
from postdesk.billing.services.rate_cards import (
    archive_rate_card,
    create_rate_card,
    create_rate_entry,
    delete_rate_card,
    delete_rate_entry,
    rate_card_uses,
    set_client_deal,
    update_rate_card,
    update_rate_entry,
)

__all__ = [
    "AlreadyIssued",
    "ApprovalRequired",
    "add_invoice_line",
    "add_job_sheet_line",
    "add_quote_line",
    "announce_overdue_invoices",
    "approve_quote",
    "archive_rate_card",
    "create_credit_note",
    "create_invoice",
    "create_job_sheet",
    "create_job_sheets_for_job",
    "create_quote",
    "create_rate_card",
    "create_rate_entry",
    "delete_budget_line",
    "delete_invoice",
    "delete_job_sheet_line",
    "delete_quote_line",
    "delete_rate_card",
    "delete_rate_entry",
    "expire_quotes",
    "format_number",
    "issue_invoice",
    "rate_card_uses",
    "record_payment",
    "remaining_by_line",
    "require_issue_date",
    "respond_quote",
    "send_quote",
    "set_budget",
    "set_budget_line",
    "set_client_deal",
    "sign_job_sheet",
    "update_invoice",
    "update_job_sheet",
    "update_quote",
    "update_rate_card",
    "update_rate_entry",
]
