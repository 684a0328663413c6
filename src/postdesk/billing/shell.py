"""Billing's menu entries and home cards (the 300s), registered with the shell.

Every card here needs a money capability, so amounts on its rows reach money roles only."""

from django.urls import reverse
from django.utils import timezone

from postdesk.billing import queries
from postdesk.core.money_display import format_money
from postdesk.core.roles import APPROVE_QUOTES, CHANGE_MONEY, VIEW_MONEY
from postdesk.shell.registry import CardRow, HomeCard, NavItem, register_home_card, register_nav

register_nav(
    NavItem("Quotes", "billing:quotes", VIEW_MONEY, order=300),
    NavItem("Job sheets", "billing:sheets", VIEW_MONEY, order=310),
    NavItem("Invoices", "billing:invoices", VIEW_MONEY, order=320),
    NavItem("Rate cards", "billing:rate_cards", CHANGE_MONEY, order=330),
    # Whoever may open the cost reports: the facility's staff who read money.
    NavItem("Cost reports", "billing:cost_reports", VIEW_MONEY, internal=True, order=340),
)


def _job(job) -> str:
    return f"{job.number} {job.production.title}"


def _quote_rows(user, limit):
    return [
        CardRow(
            f"Quote {_job(q.job)} v{q.version}",
            reverse("billing:quote", args=[q.pk]),
            format_money(q.net, q.currency),
        )
        for q in queries.quotes_awaiting_approval()[:limit]
    ]


def _answer_rows(user, limit):
    return [
        CardRow(
            f"Quote {_job(q.job)} v{q.version}",
            reverse("billing:quote", args=[q.pk]),
            f"{format_money(q.net, q.currency)} · valid to {q.valid_until:%d %b}",
        )
        for q in queries.quotes_awaiting_answer(user)[:limit]
    ]


def _overdue_rows(user, limit):
    today = timezone.localdate()
    return [
        CardRow(
            f"{inv.number} {inv.client_name or inv.client.name}",
            reverse("billing:invoice", args=[inv.pk]),
            f"{format_money(inv.outstanding, inv.currency)} · {(today - inv.due_date).days}d late",
        )
        for inv in queries.overdue_invoices_qs(user)[:limit]
    ]


def _draft_rows(user, limit):
    return [
        CardRow(
            f"Draft {inv.pk} · {inv.client.name} {inv.job.number}",
            reverse("billing:invoice", args=[inv.pk]),
            format_money(inv.gross, inv.currency),
        )
        for inv in queries.invoices_to_issue(user)[:limit]
    ]


def _sheet_rows(user, limit):
    return [
        CardRow(
            f"Job sheet {s.pk} · {_job(s.job)}",
            reverse("billing:sheet", args=[s.pk]),
            s.operator_name,
        )
        for s in queries.sheets_to_invoice()[:limit]
    ]


register_home_card(
    HomeCard(
        "Quotes awaiting approval",
        APPROVE_QUOTES,
        lambda user: queries.quotes_awaiting_approval().count(),
        "billing:quotes",
        "over the approval threshold",
        query="?status=draft",
        order=300,
        rows=_quote_rows,
        empty="No quote is waiting for approval.",
    ),
    HomeCard(
        "Quotes awaiting an answer",
        CHANGE_MONEY,
        lambda user: queries.quotes_awaiting_answer(user).count(),
        "billing:quotes",
        "sent, not yet accepted or declined",
        query="?status=sent",
        order=305,
        rows=_answer_rows,
        empty="No sent quote is waiting for the client.",
    ),
    HomeCard(
        "Overdue invoices",
        CHANGE_MONEY,
        lambda user: queries.overdue_invoices_qs(user).count(),
        "billing:invoices",
        "past their payment terms",
        query="?payment_status=overdue",
        order=310,
        rows=_overdue_rows,
        empty="No invoice is overdue.",
    ),
    HomeCard(
        "Invoices to issue",
        CHANGE_MONEY,
        lambda user: queries.invoices_to_issue(user).count(),
        "billing:invoices",
        "drafts not yet issued",
        query="?status=draft",
        order=315,
        rows=_draft_rows,
        empty="No draft invoice is waiting.",
    ),
    HomeCard(
        "Job sheets to invoice",
        CHANGE_MONEY,
        lambda user: queries.sheets_to_invoice().count(),
        "billing:sheets",
        "signed off, not yet invoiced",
        query="?status=signed_off",
        order=320,
        rows=_sheet_rows,
        empty="Every signed-off job sheet is invoiced.",
    ),
)
