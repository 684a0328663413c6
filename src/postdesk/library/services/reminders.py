"""Overdue reminders: up to three per check-out, at increasing intervals after the
due-back date (REMINDER_DAYS days overdue), to the holder (a user's email; for someone
outside, or a user without one, the library's staff, who chase them).

`send_overdue_reminders` decides and records which reminders are due (reminders_sent,
last_reminder_at, an audit entry per item) in one transaction and leaves the mail to the
worker, enqueued on commit (tasks.mail_overdue_reminder, retried by core/mailing). A
check-in or any other change of place starts the count afresh (common.relocate).
"""

import datetime

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from postdesk.core import audit, jobs
from postdesk.core.models import AuditEntry
from postdesk.library.models import MediaItem
from postdesk.library.services import common

# Reminder n (1, 2, 3) goes once the item is this many days overdue: the day after it was
# due, then two days later, then four more (intervals of 2 and 4 days).
REMINDER_DAYS = (1, 3, 7)
MAX_REMINDERS = len(REMINDER_DAYS)


def reminder_due(item: MediaItem, today: datetime.date) -> bool:
    """Whether the item's next reminder is due today: overdue long enough for it, and
    at most one reminder a day (a worker that was down catches up a step at a time)."""
    if item.reminders_sent >= MAX_REMINDERS or item.due_back is None:
        return False
    overdue_days = (today - item.due_back).days
    if overdue_days < REMINDER_DAYS[item.reminders_sent]:
        return False
    if item.last_reminder_at is not None:
        last_day = timezone.localtime(item.last_reminder_at).date()
        return last_day < today
    return True


def recipients(item: MediaItem) -> list[str]:
    """The holder's email, or (someone outside, a user without an email) the active
    library staff's, who chase the holder themselves."""
    if item.holder is not None and item.holder.email:
        return [item.holder.email]
    staff = (
        get_user_model()
        .objects.filter(groups__name="library", is_active=True)
        .exclude(email="")
        .order_by("email")
        .values_list("email", flat=True)
    )
    return list(dict.fromkeys(staff))


@transaction.atomic
def send_overdue_reminders(*, actor=audit.WORKER, today: datetime.date | None = None) -> int:
    """Record every overdue reminder due today and enqueue its mail; returns how many.
    Run by the worker's daily sweep (tasks.sweep_overdue)."""
    common.check_actor(actor)
    today = today or timezone.localdate()
    candidates = MediaItem.objects.select_for_update(of=("self",)).filter(
        custody=MediaItem.Custody.PERSON,
        due_back__lt=today,
        reminders_sent__lt=MAX_REMINDERS,
        destroyed_at__isnull=True,
    )
    sent = 0
    at = common.now()
    for item in candidates.order_by("id"):
        if not reminder_due(item, today):
            continue
        number = item.reminders_sent + 1
        item.reminders_sent = number
        item.last_reminder_at = at
        item.save(update_fields=["reminders_sent", "last_reminder_at", "updated_at"])
        audit.record(
            actor,
            item,
            AuditEntry.Action.TRANSITION,
            {"reminders_sent": [number - 1, number], "due_back": item.due_back.isoformat()},
            f"Overdue reminder {number} of {MAX_REMINDERS} for {item.barcode}",
        )
        jobs.enqueue_on_commit("postdesk.library.tasks.mail_overdue_reminder", item.pk, number)
        sent += 1
    return sent
