"""Productions' menu entries and home cards (the 200s), registered with the shell."""

from django.urls import reverse

from postdesk.core.roles import VIEW_CLIENTS, scope_to_client
from postdesk.productions import queries
from postdesk.productions.models import Client, Job, Production
from postdesk.shell.registry import CardRow, HomeCard, NavItem, register_home_card, register_nav

register_nav(
    NavItem("Clients", "clients", VIEW_CLIENTS, order=200),
    NavItem("Productions", "productions", VIEW_CLIENTS, order=210),
    NavItem("Jobs", "jobs", VIEW_CLIENTS, order=220),
)


def _open_jobs(user):
    qs = Job.objects.filter(status__in=[Job.Status.ACTIVE, Job.Status.ENQUIRY])
    return scope_to_client(user, qs, "client")


def _active_jobs(user) -> int:
    return _open_jobs(user).count()


def _my_jobs(user) -> int:
    return queries.my_open_jobs(user).count()


def _my_job_rows(user, limit):
    return [
        CardRow(
            f"{j.number} {j.production.title}",
            reverse("job-detail", args=[j.pk]),
            f"{j.client.name} · {j.get_status_display().lower()}",
        )
        for j in queries.my_open_jobs(user)[:limit]
    ]


def _active_productions(user) -> int:
    qs = Production.objects.filter(status=Production.Status.ACTIVE)
    return scope_to_client(user, qs, "client").count()


def _my_productions(user) -> int:
    return queries.productions_supervised_by(user).count()


def _my_production_rows(user, limit):
    return [
        CardRow(p.title, reverse("production-detail", args=[p.pk]), p.client.name)
        for p in queries.productions_supervised_by(user)[:limit]
    ]


def _clients(user) -> int:
    return scope_to_client(user, Client.objects.all(), "pk").count()


register_home_card(
    HomeCard("Active jobs", VIEW_CLIENTS, _active_jobs, "jobs", "jobs open for work", order=200),
    HomeCard(
        "My jobs",
        VIEW_CLIENTS,
        _my_jobs,
        "jobs",
        "open jobs you look after",
        query="?mine=1",
        roles=("bookings", "coordinator", "admin"),
        order=210,
        rows=_my_job_rows,
        empty="No open job has you as its owner.",
    ),
    HomeCard("Productions in post", VIEW_CLIENTS, _active_productions, "productions", order=220),
    HomeCard(
        "Productions I supervise",
        VIEW_CLIENTS,
        _my_productions,
        "productions",
        "in post, with you as supervisor",
        query="?mine=1",
        roles=("supervisor",),
        order=230,
        rows=_my_production_rows,
        empty="No production in post has you as its supervisor.",
    ),
    HomeCard(
        "Clients",
        VIEW_CLIENTS,
        _clients,
        "clients",
        "companies we work for",
        roles=("admin", "bookings", "supervisor", "reception", "accounts"),
        order=240,
    ),
)
