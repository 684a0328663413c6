"""The cards on each role's home page. Each card is a count and a link, shown to the roles
that hold its capability (and, for personal cards, to those it concerns); the apps'
pages register theirs here."""

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse

from postdesk.core.roles import VIEW_BOARD, VIEW_CLIENTS, can, role_of, scope_to_client


@dataclass(frozen=True)
class HomeCard:
    title: str
    capability: str
    count: Callable  # (user) -> int
    url_name: str
    hint: str = ""
    query: str = ""  # appended to the link, e.g. "?mine=1"
    roles: tuple[str, ...] = ()  # empty: every role holding the capability


def _open_jobs(user):
    from postdesk.productions.models import Job

    qs = Job.objects.filter(status__in=[Job.Status.ACTIVE, Job.Status.ENQUIRY])
    return scope_to_client(user, qs, "client")


def _active_jobs(user) -> int:
    return _open_jobs(user).count()


def _my_jobs(user) -> int:
    return _open_jobs(user).filter(owner=user).count()


def _active_productions(user) -> int:
    from postdesk.productions.models import Production

    qs = Production.objects.filter(status=Production.Status.ACTIVE)
    return scope_to_client(user, qs, "client").count()


def _my_productions(user) -> int:
    from postdesk.productions.models import Production

    return Production.objects.filter(status=Production.Status.ACTIVE, supervisor=user).count()


def _clients(user) -> int:
    from postdesk.productions.models import Client

    return scope_to_client(user, Client.objects.all(), "pk").count()


def _quotes_awaiting_approval(user) -> int:
    from postdesk.billing.queries import quotes_awaiting_approval

    return quotes_awaiting_approval().count()


def _overdue_invoices(user) -> int:
    from postdesk.billing.queries import overdue_invoices

    return len(overdue_invoices(user))


def _bookings_today(user) -> int:
    from postdesk.scheduling.queries import bookings_today

    return bookings_today(user).count()


def _open_challenges(user) -> int:
    from postdesk.scheduling.queries import open_challenges

    return open_challenges(user).count()


def _pencils_ahead(user) -> int:
    from postdesk.scheduling.queries import pencils_ahead

    return pencils_ahead(user).count()


def _sheets_to_invoice(user) -> int:
    from postdesk.billing.models import JobSheet

    return JobSheet.objects.filter(status="signed_off").count()


HOME_CARDS: list[HomeCard] = [
    HomeCard("Bookings today", VIEW_BOARD, _bookings_today, "scheduling:board", "on the board"),
    HomeCard(
        "Open challenges",
        VIEW_BOARD,
        _open_challenges,
        "scheduling:board",
        "pencils that must confirm or release",
        roles=("admin", "bookings", "supervisor", "coordinator", "client"),
    ),
    HomeCard(
        "Pencils, next two weeks",
        VIEW_BOARD,
        _pencils_ahead,
        "scheduling:board",
        "holds still to confirm",
        roles=("admin", "bookings", "supervisor", "coordinator", "client"),
    ),
    HomeCard("Active jobs", VIEW_CLIENTS, _active_jobs, "jobs", "jobs open for work"),
    HomeCard(
        "My jobs",
        VIEW_CLIENTS,
        _my_jobs,
        "jobs",
        "open jobs you look after",
        query="?mine=1",
        roles=("bookings", "coordinator", "admin"),
    ),
    HomeCard("Productions in post", VIEW_CLIENTS, _active_productions, "productions"),
    HomeCard(
        "Productions I supervise",
        VIEW_CLIENTS,
        _my_productions,
        "productions",
        "in post, with you as supervisor",
        query="?mine=1",
        roles=("supervisor",),
    ),
    HomeCard(
        "Clients",
        VIEW_CLIENTS,
        _clients,
        "clients",
        "companies we work for",
        roles=("admin", "bookings", "supervisor", "reception", "accounts"),
    ),
    HomeCard(
        "Quotes awaiting approval",
        "approve_quotes",
        _quotes_awaiting_approval,
        "billing:quotes",
        "over the approval threshold",
    ),
    HomeCard(
        "Overdue invoices",
        "change_money",
        _overdue_invoices,
        "billing:invoices",
        "past their payment terms",
    ),
    HomeCard(
        "Job sheets to invoice",
        "change_money",
        _sheets_to_invoice,
        "billing:sheets",
        "signed off, not yet invoiced",
    ),
]


def cards_for(user) -> list[dict]:
    role = role_of(user)
    cards = []
    for card in HOME_CARDS:
        if not can(user, card.capability) or (card.roles and role not in card.roles):
            continue
        try:
            url = reverse(card.url_name) + card.query
        except NoReverseMatch:
            url = None
        cards.append(
            {
                "title": card.title,
                "count": card.count(user),
                "url": url,
                "hint": card.hint,
                "capability": card.capability,
            }
        )
    return cards
