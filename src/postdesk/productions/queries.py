"""Reads of clients, productions and jobs that pages and the API share, scoped per user."""

from django.db.models import Count, Q

from postdesk.core.roles import scope_to_client
from postdesk.productions.models import Client, Contact, Job, Production


def clients_for(user):
    return scope_to_client(user, Client.objects.all(), "pk")


def clients_with_counts(user):
    return clients_for(user).annotate(
        production_count=Count("productions", distinct=True),
        open_job_count=Count(
            "jobs",
            filter=Q(jobs__status__in=[Job.Status.ENQUIRY, Job.Status.ACTIVE]),
            distinct=True,
        ),
    )


def contacts_for(user):
    return scope_to_client(user, Contact.objects.select_related("client"), "client")


def productions_for(user):
    return scope_to_client(
        user, Production.objects.select_related("client", "supervisor"), "client"
    )


def jobs_for(user):
    return scope_to_client(
        user,
        Job.objects.select_related("production", "client", "contact", "owner"),
        "client",
    )


def job_bookings(job):
    """The job's bookings, earliest first, with their resources (one query each level)."""
    return job.bookings.prefetch_related("allocations__resource").order_by("start", "pk")
