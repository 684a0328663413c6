"""Reception's message log: a call for someone becomes a message they get at once (their
home card, and a notification: in the app and by mail) and mark dealt with."""

from django.db import transaction
from django.utils import timezone

from postdesk.core import audit, crud, events
from postdesk.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from postdesk.core.models import AuditEntry
from postdesk.core.roles import RECEIVE_VISITORS, can
from postdesk.frontdesk.models import Message


@transaction.atomic
def take_message(*, actor, recipient, caller, about, caller_company="", callback_number=""):
    """Log a call for `recipient`, who hears of it at once (the notifications app: in the
    app, and by mail as they prefer)."""
    message = log_message(
        actor=actor,
        recipient=recipient,
        caller=caller,
        about=about,
        caller_company=caller_company,
        callback_number=callback_number,
    )
    events.publish(events.MESSAGE_TAKEN, subject=message, actor=actor)
    return message


@transaction.atomic
def log_message(*, actor, recipient, caller, about, caller_company="", callback_number=""):
    """Log a message without announcing it: for a caller that announces it as something
    else (a delivery at reception is told as a delivery, not as a call)."""
    if recipient is None or not recipient.is_active or getattr(recipient, "client_id", None):
        raise InvalidInput.field("recipient", "Messages are for active members of staff")
    return crud.create(
        Message,
        actor=actor,
        caller=caller,
        caller_company=caller_company,
        callback_number=callback_number,
        about=about,
        recipient=recipient,
        taken_by=actor,
        taken_at=timezone.now(),
    )


@transaction.atomic
def mark_dealt_with(message_id: int, *, actor) -> Message:
    """The recipient (or reception on their behalf) marks the message dealt with."""
    message = Message.objects.filter(pk=message_id).first()
    if message is None:
        raise NotFound("No such message")
    if message.recipient_id != actor.pk and not can(actor, RECEIVE_VISITORS):
        raise Forbidden("Only its recipient or reception marks a message dealt with")
    now = timezone.now()
    if not Message.objects.filter(pk=message_id, dealt_with_at__isnull=True).update(
        dealt_with_at=now
    ):
        raise Conflict("This message was dealt with already")
    audit.record(
        actor,
        message,
        AuditEntry.Action.TRANSITION,
        audit.diff({}, {"dealt_with_at": now}),
        f"Dealt with the message from {message.caller}",
    )
    message.dealt_with_at = now
    return message


def open_for(user):
    """The user's messages not yet dealt with."""
    return Message.objects.filter(recipient=user, dealt_with_at__isnull=True).order_by(
        "taken_at", "pk"
    )


def visible_to(user):
    """Reception sees the whole log; everyone else their own messages."""
    qs = Message.objects.select_related("recipient", "taken_by")
    return qs if can(user, RECEIVE_VISITORS) else qs.filter(recipient=user)
