"""Billing's menu entries and home cards (the 300s), registered with the shell."""

from postdesk.billing.models import JobSheet
from postdesk.billing.queries import overdue_invoices, quotes_awaiting_approval
from postdesk.core.roles import APPROVE_QUOTES, CHANGE_MONEY, VIEW_MONEY
from postdesk.shell.registry import HomeCard, NavItem, register_home_card, register_nav

register_nav(
    NavItem("Quotes", "billing:quotes", VIEW_MONEY, order=300),
    NavItem("Job sheets", "billing:sheets", VIEW_MONEY, order=310),
    NavItem("Invoices", "billing:invoices", VIEW_MONEY, order=320),
    NavItem("Rate cards", "billing:rate_cards", CHANGE_MONEY, order=330),
    # Whoever may open the cost reports: the facility's staff who read money.
    NavItem("Cost reports", "billing:cost_reports", VIEW_MONEY, internal=True, order=340),
)

register_home_card(
    HomeCard(
        "Quotes awaiting approval",
        APPROVE_QUOTES,
        lambda user: quotes_awaiting_approval().count(),
        "billing:quotes",
        "over the approval threshold",
        order=300,
    ),
    HomeCard(
        "Overdue invoices",
        CHANGE_MONEY,
        lambda user: len(overdue_invoices(user)),
        "billing:invoices",
        "past their payment terms",
        order=310,
    ),
    HomeCard(
        "Job sheets to invoice",
        CHANGE_MONEY,
        lambda user: JobSheet.objects.filter(status=JobSheet.Status.SIGNED_OFF).count(),
        "billing:sheets",
        "signed off, not yet invoiced",
        order=320,
    ),
)
