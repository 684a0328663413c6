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


HOME_CARDS: list[HomeCard] = [
    HomeCard("Active jobs", VIEW_CLIENTS, _active_jobs, "jobs", "jobs open for work"),
    HomeCard("Productions in post", VIEW_CLIENTS, _active_productions, "productions"),
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
        cards.append(
            {"title": card.title, "count": card.count(user), "url": url, "hint": card.hint}
        )
    return cards
