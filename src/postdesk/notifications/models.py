"""A notification is written once per recipient, in the transaction of the change it
tells of, and is never touched by the mail: whether and when it was mailed lives in its
own row (NotificationMail), which the worker updates attempt by attempt."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from postdesk.notifications.kinds import CHOICES, Mode


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=30, choices=CHOICES)
    text = models.CharField(max_length=300)
    link = models.CharField(max_length=300, blank=True)
    # What it is about ("quote:12", "booking:7:v3"): a person hears of one thing once,
    # however often its source announces it (the daily overdue round, a quote repriced).
    key = models.CharField(max_length=100)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "kind", "key"], name="notification_once_per_subject"
            )
        ]
        indexes = [
            # The header's unread count, on every page.
            models.Index(
                fields=["recipient"],
                condition=Q(read_at__isnull=True),
                name="notification_unread",
            ),
            models.Index(fields=["recipient", "-created_at"], name="notification_inbox"),
        ]

    def __str__(self) -> str:
        return self.text

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class NotificationMail(models.Model):
    """The mail of one notification: sent at once, or with the day's digest."""

    class How(models.TextChoices):
        IMMEDIATELY = Mode.IMMEDIATELY.value, Mode.IMMEDIATELY.label
        DIGEST = Mode.DIGEST.value, Mode.DIGEST.label

    notification = models.OneToOneField(Notification, on_delete=models.CASCADE, related_name="mail")
    how = models.CharField(max_length=12, choices=How.choices)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=300, blank=True)
    # The worker gave up after its last attempt; the in-app copy stays.
    failed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(
                fields=["how"],
                condition=Q(sent_at__isnull=True, failed_at__isnull=True),
                name="notification_mail_pending",
            )
        ]

    def __str__(self) -> str:
        return f"mail of notification {self.notification_id}"


class Preference(models.Model):
    """How a user hears of one kind; a kind without a row takes the role's default."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_prefs"
    )
    kind = models.CharField(max_length=30, choices=CHOICES)
    mode = models.CharField(max_length=12, choices=Mode.choices)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="notification_pref_once")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind}: {self.mode}"
