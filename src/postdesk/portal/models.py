"""Calendar feeds: a secret URL per feed, of one resource, one production, one client
company's bookings, or one's own (the person resource one is linked to). Only the
token's SHA-256 is stored; the token is shown once."""

from django.conf import settings
from django.db import models
from django.db.models import Q


class CalendarFeed(models.Model):
    class Kind(models.TextChoices):
        RESOURCE = "resource", "Room, equipment or person"
        PRODUCTION = "production", "Production"
        COMPANY = "company", "My company's bookings"
        PERSON = "person", "My own calendar"

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feeds"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    resource = models.ForeignKey(
        "scheduling.Resource", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    production = models.ForeignKey(
        "productions.Production",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    client = models.ForeignKey(
        "productions.Client", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    # Empty once revoked: no token then opens the feed.
    token_hash = models.CharField(max_length=64, unique=True, null=True, blank=True)
    prefix = models.CharField(
        max_length=12, blank=True, help_text="First characters, to recognise it"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # A new token changes the feed's ETag, so a calendar holding the old URL learns nothing.
    token_issued_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(
                        kind="resource",
                        resource__isnull=False,
                        production__isnull=True,
                        client__isnull=True,
                    )
                    | Q(
                        kind="production",
                        production__isnull=False,
                        resource__isnull=True,
                        client__isnull=True,
                    )
                    | Q(
                        kind="company",
                        client__isnull=False,
                        resource__isnull=True,
                        production__isnull=True,
                    )
                    # One's own calendar follows one's person link as it stands when read.
                    | Q(
                        kind="person",
                        client__isnull=True,
                        resource__isnull=True,
                        production__isnull=True,
                    )
                ),
                name="calendar_feed_one_target_or_own",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} feed {self.prefix}… ({self.owner})"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and self.token_hash is not None


class PersonLink(models.Model):
    """Which of scheduling's person resources a user is: what their own calendar feed
    shows (their bookings, ADR sessions as mixer, maintenance, leave) besides the
    screenings they are invited to. One person per user and one user per person."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="person_link"
    )
    resource = models.OneToOneField(
        "scheduling.Resource",
        on_delete=models.CASCADE,
        related_name="+",
        limit_choices_to={"kind": "person"},
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["user_id"]

    def __str__(self) -> str:
        return f"{self.user} is resource {self.resource_id}"


class BookingRequest(models.Model):
    """A client's "request a booking": what, when, for which production. The bookings
    coordinator places it as a pencil on the board (then it is placed, naming the pencil)
    or declines it with a reason."""

    class Status(models.TextChoices):
        OPEN = "open", "Waiting for the bookings office"
        PLACED = "placed", "Pencilled"
        DECLINED = "declined", "Declined"

    client = models.ForeignKey(
        "productions.Client", on_delete=models.CASCADE, related_name="booking_requests"
    )
    production = models.ForeignKey(
        "productions.Production", on_delete=models.CASCADE, related_name="booking_requests"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    what = models.CharField(max_length=200, help_text="e.g. grade, ADR session, screening")
    start = models.DateTimeField()
    end = models.DateTimeField()
    notes = models.TextField(blank=True, max_length=2000)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    booking = models.ForeignKey(
        "scheduling.Booking", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answer = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(start__lt=models.F("end")), name="booking_request_span"
            ),
        ]
        indexes = [models.Index(fields=["status", "start"], name="booking_request_open")]

    def __str__(self) -> str:
        return f"Request {self.pk}: {self.what} ({self.get_status_display()})"
