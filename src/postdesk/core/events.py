"""What happened, told to whoever listens: the domain services publish an event inside
their own transaction, and the apps on higher floors that care subscribe from their
`apps.ready()` (the notifications app decides who hears of it).

Why a registry here rather than the notifications app imported by each service: the
sources sit on floors 2 to 5 and may not know what is built on them. Why inside the
transaction rather than after the commit: a subscriber's rows (a notification for each
recipient) are then written with the change itself, or not at all, so the change never
happens without them and they never outlive a rolled-back change. Subscribers defer
their side effects (mail) with `transaction.on_commit`, as services do.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import models

# The kinds of event published today, each by the service named beside it.
BOOKING_CONFIRMED = "booking_confirmed"  # scheduling.services.confirm_booking
BOOKING_MOVED = "booking_moved"  # scheduling.services.update_booking (new times)
BOOKING_CHALLENGED = "booking_challenged"  # scheduling.services.challenge_booking
BOOKING_RELEASED = "booking_released"  # scheduling: release, or a lapsed challenge
QUOTE_TO_APPROVE = "quote_to_approve"  # billing: a draft priced over the threshold
QUOTE_TO_ACCEPT = "quote_to_accept"  # billing.services.send_quote
INVOICE_ISSUED = "invoice_issued"  # billing.services.issue_invoice
INVOICE_OVERDUE = "invoice_overdue"  # billing.services.announce_overdue_invoices
DELIVERY_RECEIVED = "delivery_received"  # frontdesk.traffic.record_delivery
MESSAGE_TAKEN = "message_taken"  # frontdesk.messages.take_message
RUNNER_TASK_DONE = "runner_task_done"  # frontdesk.services.finish_task
ROOM_FAULT = "room_fault"  # engineering.services.report_fault (a fault on a room)

KINDS = (
    BOOKING_CONFIRMED,
    BOOKING_MOVED,
    BOOKING_CHALLENGED,
    BOOKING_RELEASED,
    QUOTE_TO_APPROVE,
    QUOTE_TO_ACCEPT,
    INVOICE_ISSUED,
    INVOICE_OVERDUE,
    DELIVERY_RECEIVED,
    MESSAGE_TAKEN,
    RUNNER_TASK_DONE,
    ROOM_FAULT,
)


@dataclass(frozen=True)
class Event:
    kind: str
    subject: models.Model  # what it is about: the booking, quote, message...
    actor: Any  # who did it: a user or a core.audit.SystemActor
    data: dict = field(default_factory=dict)  # what the subject alone no longer says


Subscriber = Callable[[Event], None]
_subscribers: list[Subscriber] = []


def subscribe(subscriber: Subscriber) -> None:
    """Hear every event from now on (subscribing the same function twice changes nothing,
    so a `ready()` run again by the test runner adds no second copy)."""
    if subscriber not in _subscribers:
        _subscribers.append(subscriber)


def unsubscribe(subscriber: Subscriber) -> None:
    if subscriber in _subscribers:
        _subscribers.remove(subscriber)


def publish(kind: str, *, subject: models.Model, actor, **data) -> None:
    """Tell every subscriber that `kind` happened to `subject`. Called inside the service's
    transaction; a subscriber that fails fails the service, as any write of it would."""
    if kind not in KINDS:
        raise ValueError(f"Unknown event kind {kind!r}")
    event = Event(kind=kind, subject=subject, actor=actor, data=data)
    for subscriber in list(_subscribers):
        subscriber(event)
