"""Writes of clients, contacts, productions and jobs; each audited in its transaction."""

import datetime

from django.db import transaction
from django.utils import timezone

from postdesk.core import crud
from postdesk.core.errors import InvalidInput
from postdesk.core.sequences import next_value
from postdesk.productions.models import Client, Contact, Job, Production


def create_client(*, actor, **fields) -> Client:
    return crud.create(Client, actor=actor, **fields)


def update_client(client: Client, *, actor, **changes) -> Client:
    return crud.update(client, actor=actor, **changes)


def delete_client(client: Client, *, actor) -> None:
    crud.delete(client, actor=actor)


def create_contact(*, actor, client: Client, **fields) -> Contact:
    return crud.create(Contact, actor=actor, client=client, **fields)


def update_contact(contact: Contact, *, actor, **changes) -> Contact:
    return crud.update(contact, actor=actor, **changes)


def delete_contact(contact: Contact, *, actor) -> None:
    crud.delete(contact, actor=actor)


def create_production(*, actor, client: Client, **fields) -> Production:
    return crud.create(Production, actor=actor, client=client, **fields)


def update_production(production: Production, *, actor, **changes) -> Production:
    return crud.update(production, actor=actor, **changes)


def delete_production(production: Production, *, actor) -> None:
    crud.delete(production, actor=actor)


def _check_contact(contact: Contact | None, client: Client) -> None:
    if contact is not None and contact.client_id != client.pk:
        raise InvalidInput.field("contact", f"{contact.name} does not work for {client.name}")


def next_job_number(today: datetime.date | None = None) -> str:
    """J-2026-00042: a counter per year, handed out inside the creating transaction."""
    year = (today or timezone.localdate()).year
    return f"J-{year}-{next_value(f'job-{year}'):05d}"


@transaction.atomic
def create_job(
    *,
    actor,
    production: Production,
    description: str,
    contact: Contact | None = None,
    owner=None,
    status: str = Job.Status.ACTIVE,
    work_type: str = Job.WorkType.OTHER,
) -> Job:
    _check_contact(contact, production.client)
    return crud.create(
        Job,
        actor=actor,
        number=next_job_number(),
        production=production,
        client=production.client,
        description=description,
        work_type=work_type,
        contact=contact,
        owner=owner,
        status=status,
    )


def update_job(job: Job, *, actor, **changes) -> Job:
    if "production" in changes:
        changes["client"] = changes["production"].client
    _check_contact(changes.get("contact", job.contact), changes.get("client", job.client))
    return crud.update(job, actor=actor, **changes)


def delete_job(job: Job, *, actor) -> None:
    crud.delete(job, actor=actor)
