"""API of billing: one router per document type, mounted here under the billing tag.

The routes keep the operation ids they had when they all lived in this module
(`postdesk_billing_api_<function>`), so clients generated from the OpenAPI document
keep working; "Invoice this job", exchange rates and category rules keep theirs
(`postdesk_billing_costing_api_<function>`)."""

from ninja import Router

from postdesk.billing import (
    budgets_api,
    costing_api,
    credit_notes_api,
    invoices_api,
    job_sheets_api,
    quotes_api,
    rate_cards_api,
)

router = Router(tags=["billing"])

# Order matters where paths overlap within a router (rate-cards/resolve before
# rate-cards/{card_id}); across these routers no two paths overlap.
for module, prefix in (
    (rate_cards_api, "postdesk_billing_api"),
    (quotes_api, "postdesk_billing_api"),
    (job_sheets_api, "postdesk_billing_api"),
    (invoices_api, "postdesk_billing_api"),
    (credit_notes_api, "postdesk_billing_api"),
    (budgets_api, "postdesk_billing_api"),
    (costing_api, "postdesk_billing_costing_api"),
):
    for path_view in module.router.path_operations.values():
        for operation in path_view.operations:
            operation.operation_id = operation.operation_id or (
                f"{prefix}_{operation.view_func.__name__}"
            )
    router.add_router("", module.router)
