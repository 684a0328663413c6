"""Reception's message log: a call for someone becomes a message they get at once (their
home card and an e-mail through the worker) and mark dealt with."""

from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone

from postdesk.core import audit, crud, jobs
from postdesk.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from postdesk.core.models import AuditEntry
from postdesk.core.roles import RECEIVE_VISITORS, can
from postdesk.frontdesk.models import Message

MAIL_TASK = "postdesk.frontdesk.tasks.mail_message"


@transaction.atomic
def take_message(*, actor, recipient, caller, about, caller_company="", callback_number=""):
    if recipient is None or not recipient.is_active or getattr(recipient, "client_id", None):
        raise InvalidInput.field("recipient", "Messages are for active members of staff")
    message = crud.create(
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
    if recipient.email:
        jobs.enqueue_on_commit(MAIL_TASK, message.pk)
    return message


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


def notice(message: Message) -> EmailMessage:
    who = message.caller + (f" ({message.caller_company})" if message.caller_company else "")
    back = f"\nCall back on {message.callback_number}." if message.callback_number else ""
    return EmailMessage(
        subject=f"Message from {message.caller}",
        body=f"{who} called for you:\n\n{message.about}\n{back}\n",
        to=[message.recipient.email],
    )
