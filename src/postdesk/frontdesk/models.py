"""The runner board's tasks: who asked for what, where, by when, and who ran it."""

from django.conf import settings
from django.db import models


class RunnerTask(models.Model):
    """One errand: "two teas, one oat milk, Suite 3". Never deleted: a task no longer
    wanted is cancelled, so the board's ETag (a sum over its rows) sees every change."""

    class Priority(models.TextChoices):
        LOW = "low", "Low"
        NORMAL = "normal", "Normal"
        URGENT = "urgent", "Urgent"

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        CLAIMED = "claimed", "Claimed"
        STARTED = "started", "Started"
        DONE = "done", "Done"
        CANCELLED = "cancelled", "Cancelled"

    title = models.CharField(max_length=200)
    place = models.CharField(max_length=100)
    details = models.TextField(max_length=2000, blank=True)
    priority = models.CharField(max_length=10, choices=Priority, default=Priority.NORMAL)
    due_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status, default=Status.OPEN)
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="runner_tasks_posted"
    )
    runner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="runner_tasks_run",
    )
    created_at = models.DateTimeField()
    claimed_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # Bumped by every write (a conditional UPDATE sets it with the status): the board's
    # ETag sums it, which changes with every committed write whatever their commit order.
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            # The board and its ETag: the live tasks, and those that ended today.
            models.Index(fields=["status", "updated_at"], name="frontdesk_task_board"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=["open", "cancelled"])
                | models.Q(runner__isnull=False),
                name="frontdesk_task_taken_has_runner",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.place})"
