"""Who hears about what: for each kind of event, the people it concerns, what they are
told and where the notice links to. The one place that decides it; the services only
write what this returns."""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from postdesk.billing.models import Invoice, Quote
from postdesk.core import events
from postdesk.core.money_display import format_money
from postdesk.core.roles import APPROVE_QUOTES, CHANGE_MONEY, RESPOND_QUOTES, ROLES, VIEW_MONEY
from postdesk.core.timeutil import facility_zone
from postdesk.engineering.models import FaultTicket
from postdesk.frontdesk.models import Delivery, Message, RunnerTask
from postdesk.scheduling.models import Allocation, Booking

User = get_user_model()


@dataclass
class Notice:
    """What the event says to `staff` (the facility's users) and to `clients` (users of
    the one client company the subject belongs to, each seeing only its own work)."""

    key: str
    staff_text: str
    staff_link: str
    staff: list = field(default_factory=list)
    client_text: str = ""
    client_link: str = ""
    clients: list = field(default_factory=list)


def _staff_with(capability: str):
    roles = [r for r, spec in ROLES.items() if capability in spec["capabilities"]]
    staff_roles = [r for r in roles if not ROLES[r].get("outside")]
    return list(
        User.objects.filter(is_active=True, client__isnull=True, groups__name__in=staff_roles)
    )


def _client_users(client_id: int | None, capability: str):
    if client_id is None:
        return []
    roles = [
        r for r, spec in ROLES.items() if spec.get("outside") and capability in spec["capabilities"]
    ]
    return list(User.objects.filter(is_active=True, client_id=client_id, groups__name__in=roles))


def _when(start, end) -> str:
    zone = facility_zone()
    start, end = start.astimezone(zone), end.astimezone(zone)
    if start.date() == end.date():
        return f"{start:%a %d %b %H:%M}–{end:%H:%M}"
    return f"{start:%a %d %b %H:%M} – {end:%a %d %b %H:%M}"


def _booking(event: events.Event, verb: str) -> Notice:
    booking = (
        Booking.objects.select_related("job__production", "job__client", "owner")
        .filter(pk=event.subject.pk)
        .first()
    )
    rooms = ", ".join(
        Allocation.objects.filter(booking=booking)
        .order_by("resource__name")
        .values_list("resource__name", flat=True)
    )
    own = f"{booking.job.number} {booking.job.production.title}" if booking.job_id else ""
    what = own or booking.title or booking.get_kind_display()
    client = f" ({booking.job.client.name})" if booking.job_id else ""
    line = (
        f"{_when(booking.start, booking.end)}, {rooms}"
        if rooms
        else _when(booking.start, booking.end)
    )
    if event.kind == events.BOOKING_CHALLENGED and booking.challenge_deadline:
        deadline = booking.challenge_deadline.astimezone(facility_zone())
        line += f"; confirm or release by {deadline:%a %d %b %H:%M}"
    day = booking.start.astimezone(facility_zone()).date()
    staff = [booking.owner] if booking.owner_id else []
    return Notice(
        # A booking changes many times; each change is its own news (its version).
        key=f"booking:{booking.pk}:v{booking.version}",
        staff_text=f"{verb}: {what}{client}, {line}",
        staff_link=f"{reverse('scheduling:board')}?date={day.isoformat()}",
        staff=staff,
        client_text=f"{verb}: {what}, {line}",
        client_link=reverse("portal:home"),
        clients=_client_users(booking.job.client_id if booking.job_id else None, VIEW_MONEY),
    )


def _quote_to_approve(event) -> Notice:
    quote = Quote.objects.select_related("job__client", "job__production").get(pk=event.subject.pk)
    net = format_money(quote.net, quote.currency)
    return Notice(
        key=f"quote:{quote.pk}",
        staff_text=f"Quote {quote.reference} for {quote.job.client.name} "
        f"({quote.job.production.title}) needs your approval: {net} net",
        staff_link=reverse("billing:quote", args=[quote.pk]),
        staff=_staff_with(APPROVE_QUOTES),
    )


def _quote_to_accept(event) -> Notice:
    quote = Quote.objects.select_related("job__production").get(pk=event.subject.pk)
    return Notice(
        key=f"quote:{quote.pk}",
        staff_text="",
        staff_link="",
        client_text=f"Quote {quote.reference} for {quote.job.production.title} waits for "
        f"your answer, valid until {quote.valid_until:%d %b %Y}",
        client_link=reverse("portal:quote", args=[quote.pk]),
        clients=_client_users(quote.job.client_id, RESPOND_QUOTES),
    )


def _invoice(event) -> Notice:
    invoice = Invoice.objects.select_related("job__production", "client").get(pk=event.subject.pk)
    link = reverse("billing:invoice", args=[invoice.pk])
    what = f"Invoice {invoice.number} ({invoice.job.production.title})"
    if event.kind == events.INVOICE_ISSUED:
        return Notice(
            key=f"invoice:{invoice.pk}",
            staff_text="",
            staff_link="",
            client_text=f"{what} issued: {format_money(invoice.gross, invoice.currency)}, due "
            f"{invoice.due_date:%d %b %Y}",
            client_link=link,
            clients=_client_users(invoice.client_id, VIEW_MONEY),
        )
    return Notice(
        key=f"invoice:{invoice.pk}",
        staff_text=f"{what} for {invoice.client.name} is overdue since {invoice.due_date:%d %b %Y}",
        staff_link=link,
        staff=_staff_with(CHANGE_MONEY),
        client_text=f"{what} was due on {invoice.due_date:%d %b %Y} and is not yet paid",
        client_link=link,
        clients=_client_users(invoice.client_id, VIEW_MONEY),
    )


def _delivery(event) -> Notice:
    delivery = Delivery.objects.select_related("recipient").get(pk=event.subject.pk)
    sender = f" from {delivery.sender}" if delivery.sender else ""
    return Notice(
        key=f"delivery:{delivery.pk}",
        staff_text=f"At reception for you{sender}: {delivery.description} ({delivery.courier})",
        staff_link=reverse("frontdesk:messages"),
        staff=[delivery.recipient] if delivery.recipient_id else [],
    )


def _message(event) -> Notice:
    message = Message.objects.select_related("recipient").get(pk=event.subject.pk)
    who = message.caller + (f" ({message.caller_company})" if message.caller_company else "")
    back = f"; call back on {message.callback_number}" if message.callback_number else ""
    return Notice(
        key=f"message:{message.pk}",
        staff_text=f"{who} called: {message.about}{back}"[:300],
        staff_link=reverse("frontdesk:messages"),
        staff=[message.recipient],
    )


def _runner_task(event) -> Notice:
    task = RunnerTask.objects.select_related("posted_by", "runner").get(pk=event.subject.pk)
    by = f" by {task.runner.display_name}" if task.runner_id else ""
    return Notice(
        key=f"runner-task:{task.pk}",
        staff_text=f"Done{by}: {task.title} ({task.place})",
        staff_link=reverse("frontdesk:runners"),
        staff=[task.posted_by],
    )


def _room_fault(event) -> Notice:
    ticket = FaultTicket.objects.select_related("room").get(pk=event.subject.pk)
    now = event.data.get("at") or timezone.now()
    # Whoever holds a booking of the room from now on: their session may not happen.
    owners = (
        Booking.objects.filter(
            allocations__resource_id=ticket.room_id,
            status__in=[Booking.Status.PENCIL, Booking.Status.CONFIRMED],
            end__gt=now,
            owner__isnull=False,
            owner__is_active=True,
            owner__client__isnull=True,
        )
        .values_list("owner_id", flat=True)
        .distinct()
    )
    return Notice(
        key=f"fault:{ticket.pk}",
        staff_text=f"{ticket.get_severity_display()} fault on {ticket.room.name}, which you "
        f"have booked: {ticket.description}"[:300],
        staff_link=reverse("engineering:ticket", args=[ticket.pk]),
        staff=list(User.objects.filter(pk__in=list(owners))),
    )


DECIDE: dict[str, Callable[[events.Event], Notice]] = {
    events.BOOKING_CONFIRMED: lambda e: _booking(e, "Booking confirmed"),
    events.BOOKING_MOVED: lambda e: _booking(e, "Booking moved"),
    events.BOOKING_CHALLENGED: lambda e: _booking(e, "Pencil challenged"),
    events.BOOKING_RELEASED: lambda e: _booking(e, "Booking released"),
    events.QUOTE_TO_APPROVE: _quote_to_approve,
    events.QUOTE_TO_ACCEPT: _quote_to_accept,
    events.INVOICE_ISSUED: _invoice,
    events.INVOICE_OVERDUE: _invoice,
    events.DELIVERY_RECEIVED: _delivery,
    events.MESSAGE_TAKEN: _message,
    events.RUNNER_TASK_DONE: _runner_task,
    events.ROOM_FAULT: _room_fault,
}


def notice_for(event: events.Event) -> Notice:
    return DECIDE[event.kind](event)
