"""Reads of clients, productions and jobs that pages and the API share, scoped per user."""

import functools

from django.db import connection
from django.db.models import Count, Q

from postdesk.core import hotsql
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


# In the model's field order, which Model.from_db expects.
JOB_FIELDS = tuple(
    f.attname
    for f in Job._meta.concrete_fields
    # work_type: the booking rights of the post coordinator depend on it (core/roles.py).
    if f.attname in {"id", "number", "client_id", "production_id", "status", "work_type"}
)


@functools.cache
def _job_sql() -> str:
    qn, col = connection.ops.quote_name, hotsql.column
    columns = ", ".join(f"j.{qn(Job._meta.get_field(f).column)}" for f in JOB_FIELDS)
    client_id, production_id, job_id = (m._meta.pk.column for m in (Client, Production, Job))
    return (
        f"SELECT {columns}, c.{col(Client, 'name')}, p.{col(Production, 'title')} "
        f"FROM {qn(Job._meta.db_table)} j "
        f"INNER JOIN {qn(Client._meta.db_table)} c ON c.{client_id} = j.{col(Job, 'client')} "
        f"INNER JOIN {qn(Production._meta.db_table)} p "
        f"ON p.{production_id} = j.{col(Job, 'production')} "
        f"WHERE j.{job_id} = %s"
    )


def job_with_names(job_id: int) -> Job | None:
    """The job with its client's name and production's title, in one hand-written query.

    Every booking create looks its job up this way; the same lookup through
    select_related cost about a millisecond of query building per request (measured,
    bench/RESULTS.md). The job, client and production come back partly loaded (the
    fields above, the name, the title); any other field loads on first use, as with
    .only().
    """
    rows = hotsql.fetch(_job_sql(), [job_id])
    if not rows:
        return None
    *values, client_name, production_title = rows[0]
    job = Job.from_db(connection.alias, JOB_FIELDS, values)
    job.client = Client.from_db(connection.alias, ["id", "name"], [job.client_id, client_name])
    job.production = Production.from_db(
        connection.alias, ["id", "title"], [job.production_id, production_title]
    )
    return job


# --- home cards ----------------------------------------------------------------------------


def open_jobs_for(user):
    """Jobs open for work (active, or still an enquiry) that the user may see, newest first."""
    open_ = jobs_for(user).filter(status__in=[Job.Status.ACTIVE, Job.Status.ENQUIRY])
    return open_.order_by("-number")


def my_open_jobs(user):
    """The open jobs the user looks after (their owner)."""
    return open_jobs_for(user).filter(owner=user)


def productions_supervised_by(user):
    """Productions in post with the user as their supervisor, by title."""
    return (
        Production.objects.filter(status=Production.Status.ACTIVE, supervisor=user)
        .select_related("client")
        .order_by("title", "pk")
    )
