"""Background work of notifications: each immediate mail sent by the worker (retried by
core/mailing when the mail server fails), and each morning a digest per user of what
they chose to hear of daily."""

import datetime

from django.utils import timezone
from django_tasks import task
from django_tasks_db.models import DBTaskResult

from postdesk.core import jobs, mailing
from postdesk.notifications import mail, services
from postdesk.notifications.kinds import KINDS
from postdesk.notifications.models import NotificationMail

DIGEST_AT = datetime.time(7, 0)
DIGEST_TASK = "postdesk.notifications.tasks.send_digests"
# An immediate mail still unsent this long after its notification lost its task (a
# queue restored from backup): the start-up sweep queues it again.
LOST_AFTER = datetime.timedelta(minutes=10)

_PENDING = {"sent_at__isnull": True, "failed_at__isnull": True}


def _send(build, *, about, what, task_obj, task_args, attempt, mail_ids) -> str:
    try:
        done = mailing.deliver(
            build, about=about, what=what, task=task_obj, task_args=task_args, attempt=attempt
        )
    except OSError as exc:
        # core/mailing queued the next attempt unless this was the last.
        services.mail_failed(
            mail_ids, attempt=attempt, error=exc, last=attempt >= jobs.MAX_ATTEMPTS
        )
        raise
    except Exception as exc:
        # A message that cannot be built is not mended by waiting: no retry.
        services.mail_failed(mail_ids, attempt=attempt, error=exc, last=True)
        raise
    services.mail_sent(mail_ids, attempt=attempt)
    return done


@task()
def mail_notification(mail_id: int, attempt: int = 1) -> str:
    """Enqueued by services.send once the notification's transaction commits."""
    row = (
        NotificationMail.objects.select_related("notification__recipient")
        .filter(pk=mail_id, **_PENDING)
        .first()
    )
    if row is None or not row.notification.recipient.email:
        return f"notification mail {mail_id}: nothing to send"
    notification = row.notification
    return _send(
        lambda: mail.single(notification),
        about=notification,
        what=f"{KINDS[notification.kind].label.lower()} notification",
        task_obj=mail_notification,
        task_args=(mail_id,),
        attempt=attempt,
        mail_ids=[mail_id],
    )


@task()
def mail_digest(user_id: int, attempt: int = 1) -> str:
    """One user's digest: every digest notification not yet mailed, grouped by kind."""
    rows = list(
        NotificationMail.objects.select_related("notification__recipient")
        .filter(notification__recipient_id=user_id, how=NotificationMail.How.DIGEST, **_PENDING)
        .order_by("notification__created_at", "pk")
    )
    if not rows or not rows[0].notification.recipient.email:
        return f"user {user_id}: no digest to send"
    user = rows[0].notification.recipient
    notifications = [r.notification for r in rows]
    return _send(
        lambda: mail.digest(user, notifications),
        about=user,
        what="notification digest",
        task_obj=mail_digest,
        task_args=(user_id,),
        attempt=attempt,
        mail_ids=[r.pk for r in rows],
    )


def queue_digests() -> int:
    """Queue a digest for every user with digest notifications waiting (those whose
    digest is being retried already have their task)."""
    user_ids = (
        NotificationMail.objects.filter(how=NotificationMail.How.DIGEST, attempts=0, **_PENDING)
        .values_list("notification__recipient_id", flat=True)
        .distinct()
    )
    users = sorted(set(user_ids))
    for user_id in users:
        mail_digest.enqueue(user_id)
    return len(users)


@task()
def send_digests() -> str:
    """Daily at DIGEST_AT: the digests, then tomorrow's run queued."""
    count = queue_digests()
    jobs.enqueue_daily(DIGEST_TASK, DIGEST_AT)
    return f"{count} digest(s) queued"


def catch_up_now() -> str:
    """Start-up sweep: immediate mails whose task was lost are queued again, and the
    daily digest chain is started if no run of it waits."""
    lost = NotificationMail.objects.filter(
        how=NotificationMail.How.IMMEDIATELY,
        attempts=0,
        notification__created_at__lt=timezone.now() - LOST_AFTER,
        **_PENDING,
    ).values_list("pk", flat=True)
    waiting = {
        r.args_kwargs["args"][0]
        for r in DBTaskResult.objects.filter(
            task_path=services.MAIL_TASK, status__in=["READY", "RUNNING"]
        )
    }
    lost = [pk for pk in lost if pk not in waiting]
    for mail_id in lost:
        mail_notification.enqueue(mail_id)
    jobs.enqueue_daily(DIGEST_TASK, DIGEST_AT)
    return f"{len(lost)} lost notification mail(s) queued again; digests scheduled"
