"""Background work of the library: overdue reminders, swept daily and mailed with retries.

The sweep (`sweep_overdue`) records the reminders due (services/reminders.py) and
enqueues itself for the next morning, so one sweep is always waiting; the worker's
start-up runs it too (`sweep_overdue_now`, in core/tasks.py's STARTUP_SWEEPS), which
also re-plants the daily sweep if it was lost.
"""

import datetime

from django.core.mail import EmailMessage
from django.utils import timezone
from django_tasks import task
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from postdesk.core import audit, facility, mailing
from postdesk.core.timeutil import facility_zone, local_at
from postdesk.library.models import MediaItem
from postdesk.library.services import reminders

SWEEP_TASK = "postdesk.library.tasks.sweep_overdue"
SWEEP_AT = datetime.time(9, 0)  # local time: reminders arrive with the working day


def next_sweep_at(now: datetime.datetime | None = None) -> datetime.datetime:
    """The next SWEEP_AT in the facility's zone after `now`."""
    now = now or timezone.now()
    zone = facility_zone()
    today = now.astimezone(zone).date()
    at = local_at(today, SWEEP_AT, zone)
    return at if at > now else local_at(today + datetime.timedelta(days=1), SWEEP_AT, zone)


def plant_next_sweep() -> bool:
    """Enqueue the next daily sweep unless one is already waiting; True if planted."""
    waiting = DBTaskResult.objects.filter(
        task_path=SWEEP_TASK, status=TaskResultStatus.READY
    ).exists()
    if waiting:
        return False
    sweep_overdue.using(run_after=next_sweep_at()).enqueue()
    return True


@task()
def sweep_overdue() -> str:
    """Record and enqueue the overdue reminders due today, then plant tomorrow's sweep."""
    sent = reminders.send_overdue_reminders(actor=audit.WORKER)
    plant_next_sweep()
    return f"{sent} overdue reminder(s) due"


def sweep_overdue_now() -> str:
    """Start-up sweep: the reminders due while no worker ran, and the daily sweep."""
    sent = reminders.send_overdue_reminders(actor=audit.WORKER)
    planted = plant_next_sweep()
    return f"{sent} overdue reminder(s) due" + ("; daily sweep planted" if planted else "")


@task()
def mail_overdue_reminder(item_id: int, number: int, attempt: int = 1) -> str:
    """Mail reminder `number` for the item; enqueued by send_overdue_reminders on commit.
    Nothing is sent if the item came back in the meantime."""
    item = MediaItem.objects.select_related("holder").filter(pk=item_id).first()
    if item is None or item.custody != MediaItem.Custody.PERSON:
        return f"item {item_id}: back already, no reminder"
    to = reminders.recipients(item)
    if not to:
        return f"item {item_id}: nobody to remind"
    return mailing.deliver(
        lambda: reminder_message(item, number, to),
        about=item,
        what=f"overdue reminder {number} for {item.barcode}",
        task=mail_overdue_reminder,
        task_args=(item_id, number),
        attempt=attempt,
    )


def reminder_message(item: MediaItem, number: int, to: list[str]) -> EmailMessage:
    facility_name = facility.current().name
    holder = item.holder.display_name if item.holder else item.holder_name
    days = (timezone.localdate() - item.due_back).days
    last = number >= reminders.MAX_REMINDERS
    return EmailMessage(
        subject=f"Overdue: {item.barcode} {item.title}"
        + (" (final reminder)" if last else f" (reminder {number})"),
        body=(
            f"{item.barcode} {item.title} was due back at the library on "
            f"{item.due_back:%d %B %Y} and is {days} day(s) overdue.\n"
            f"Held by: {holder}, since {timezone.localtime(item.placed_at):%d %B %Y}.\n\n"
            f"Please return it to the library"
            + (" today: this is the last reminder." if last else ".")
            + f"\n\n{facility_name} library\n"
        ),
        to=to,
    )
