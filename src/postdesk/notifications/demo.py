"""The demo's notification history. Most of it is written as the other apps' demo
loaders run (their services publish, and the notifications app hears them, as in real
use); here the morning's overdue round runs, everyone still without a notice gets a
phone message taken for them, a few choose their own preferences, and the older half of
each inbox is marked read, so the list and the header show both."""

from django.contrib.auth import get_user_model

from postdesk.billing import services as billing
from postdesk.core import audit
from postdesk.core.roles import is_outside
from postdesk.frontdesk import messages
from postdesk.notifications import services
from postdesk.notifications.kinds import Mode
from postdesk.notifications.models import Notification

CALLERS = [
    ("Dana Wu", "Dolby", "the Atmos re-mix stems: can she pick them up on Friday?"),
    ("Marcus Bell", "Northlight Films", "moving Tuesday's review to the afternoon"),
    ("Priya Shah", "Halcyon Sound", "the foley invoice reference"),
    ("Tom Okafor", "", "returning your call about the grading monitor"),
]
# Demo users who chose otherwise than their role's defaults.
CHOSEN = {
    "engineer": {"room_fault": Mode.IMMEDIATELY, "message_taken": Mode.DIGEST},
    "runner": {"runner_task_done": Mode.OFF},
}


def load() -> str:
    User = get_user_model()
    overdue = billing.announce_overdue_invoices(actor=audit.DEMO)
    demo_users = list(User.objects.filter(is_active=True).order_by("pk"))
    reception = User.objects.filter(username="reception").first()
    taken = 0
    for i, user in enumerate(demo_users):
        if reception is None or is_outside(user) or user.notifications.exists():
            continue
        name, company, about = CALLERS[i % len(CALLERS)]
        messages.take_message(
            actor=reception,
            recipient=user,
            caller=name,
            caller_company=company,
            about=about,
            callback_number="020 7946 0321",
        )
        taken += 1
    for username, modes in CHOSEN.items():
        user = User.objects.filter(username=username).first()
        if user is not None:
            services.set_preferences(actor=user, modes=modes)
    read = 0
    for user in demo_users:
        inbox = list(Notification.objects.filter(recipient=user).order_by("created_at", "pk"))
        for notification in inbox[: len(inbox) // 2]:
            services.mark_read(notification.pk, actor=user)
            read += 1
    total = Notification.objects.count()
    return (
        f"{total} notifications ({overdue} overdue invoice(s) announced, {taken} messages "
        f"taken for those with none), {read} marked read"
    )
