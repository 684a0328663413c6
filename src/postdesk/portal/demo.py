"""The demo's client portal: a user at the first demo client, with a quote waiting for
their answer and a booking request waiting for the bookings office; and a calendar feed
for the bookings coordinator's busiest room."""

import datetime

from django.utils import timezone

from postdesk.billing import services as billing
from postdesk.billing.models import Quote
from postdesk.core import audit
from postdesk.core.demo import DEMO_PASSWORD
from postdesk.core.models import User
from postdesk.core.services import create_user
from postdesk.productions.models import Job
from postdesk.scheduling.models import Allocation

from . import services


def load() -> str:
    job = (
        Job.objects.select_related("client", "production")
        .exclude(contact=None)
        .order_by("number")
        .first()
    )
    if job is None:
        return "no demo jobs: nothing loaded"
    user = User.objects.filter(username="client").first() or create_user(
        username="client",
        role="client",
        password=DEMO_PASSWORD,
        client=job.client,
        first_name="Hannah",
        last_name="Reid",
        email="client@postdesk.test",
        actor=audit.DEMO,
    )
    today = timezone.localdate()
    quote = billing.create_quote(
        job=job,
        actor=audit.DEMO,
        include_bookings=False,
        valid_until=today + datetime.timedelta(days=21),
        free_lines=[
            {"description": "Grade: 3 days in the Baselight theatre", "unit_price": "2850"},
            {"description": "Deliverables: DCP and broadcast masters", "unit_price": "1200"},
        ],
    )
    quote = billing.send_quote(quote, actor=audit.DEMO)
    start = timezone.now().replace(minute=0, second=0, microsecond=0) + datetime.timedelta(days=16)
    services.request_booking(
        production=job.production,
        what="Mix review in a Dolby Atmos theatre",
        start=start,
        end=start + datetime.timedelta(hours=4),
        notes="Director attending",
        actor=user,
    )
    feeds = ""
    bookings_user = User.objects.filter(username="bookings").first()
    busiest = Allocation.objects.values_list("resource", flat=True).order_by("resource").first()
    if bookings_user is not None and busiest is not None:
        from postdesk.scheduling.models import Resource

        _, token = services.create_feed(
            kind="resource", resource=Resource.objects.get(pk=busiest), actor=bookings_user
        )
        feeds = f"; the bookings user's feed: /feeds/{token}.ics"
    waiting = Quote.objects.filter(job__client=job.client, status="sent").count()
    return (
        f"client user 'client' at {job.client.name}: {waiting} quote(s) to answer "
        f"({quote.reference}), 1 booking request{feeds}{_own_calendar()}"
    )


def _own_calendar() -> str:
    """The demo engineer is the board's first staff person, with their own calendar feed."""
    from postdesk.scheduling.models import Resource

    admin = User.objects.filter(username="admin").first()
    engineer = User.objects.filter(username="engineer").first()
    person = (
        Resource.objects.filter(kind="person", employment="staff", archived_at__isnull=True)
        .order_by("sort_order", "pk")
        .first()
    )
    if admin is None or engineer is None or person is None:
        return ""
    services.link_person(user=engineer, resource=person, actor=admin)
    _, token = services.create_feed(kind="person", actor=engineer)
    return f"; 'engineer' is {person.name} on the board, own feed: /feeds/{token}.ics"
