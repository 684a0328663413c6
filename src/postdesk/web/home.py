"""The cards on each role's home page. Each card is a count and a link, shown to the roles
that hold its capability; the apps' pages register theirs here."""

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse

from postdesk.core.roles import VIEW_CLIENTS, can, scope_to_client


@dataclass(frozen=True)
class HomeCard:
    title: str
    capability: str
    count: Callable  # (user) -> int
    url_name: str
    hint: str = ""


def _active_jobs(user) -> int:
    from postdesk.productions.models import Job

    qs = Job.objects.filter(status__in=[Job.Status.ACTIVE, Job.Status.ENQUIRY])
    return scope_to_client(user, qs, "client").count()


def _active_productions(user) -> int:
    from postdesk.productions.models import Production

    qs = Production.objects.filter(status=Production.Status.ACTIVE)
    return scope_to_client(user, qs, "client").count()


def _quotes_awaiting_approval(user) -> int:
    from postdesk.billing.queries import quotes_awaiting_approval

    return quotes_awaiting_approval().count()


def _overdue_invoices(user) -> int:
    from postdesk.billing.queries import overdue_invoices

    return len(overdue_invoices(user))


def _sheets_to_invoice(user) -> int:
    from postdesk.billing.models import JobSheet

    return JobSheet.objects.filter(status="signed_off").count()


HOME_CARDS: list[HomeCard] = [
    HomeCard("Active jobs", VIEW_CLIENTS, _active_jobs, "jobs", "jobs open for work"),
    HomeCard("Productions in post", VIEW_CLIENTS, _active_productions, "productions"),
    HomeCard("Quotes awaiting approval", "approve_quotes", _quotes_awaiting_approval,
             "billing:quotes", "over the approval threshold"),
    HomeCard("Overdue invoices", "change_money", _overdue_invoices, "billing:invoices",
             "past their payment terms"),
    HomeCard("Job sheets to invoice", "change_money", _sheets_to_invoice, "billing:sheets",
             "signed off, not yet invoiced"),
]


def cards_for(user) -> list[dict]:
    cards = []
    for card in HOME_CARDS:
        if not can(user, card.capability):
            continue
        try:
            url = reverse(card.url_name)
        except NoReverseMatch:
            url = None
        cards.append({"title": card.title, "count": card.count(user), "url": url,
                      "hint": card.hint})
    return cards
