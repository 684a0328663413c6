"""Resources (rooms, equipment, people), skills, bookings and their allocations.

A booking spans one half-open interval [start, end) and holds one or more resources; each
held resource is an Allocation row carrying a copy of the span, so that range queries and
the PostgreSQL exclusion constraint work per resource. Blocking allocations (confirmed or
completed bookings, which includes all maintenance and leave) never overlap on a resource.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from postdesk.core.money import CURRENCIES, DEFAULT_CURRENCY

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

# The index that answers the clash check (blocking allocations by resource and start,
# with their end), named so that the check can ask SQLite for it.
CLASH_INDEX = "alloc_blocking_span"


def default_working_hours() -> dict:
    """Mon–Fri 09:00–19:00 local; weekends closed. {"mon": [["09:00", "19:00"]], ...}."""
    return {day: ([["09:00", "19:00"]] if day not in ("sat", "sun") else []) for day in WEEKDAYS}


class Skill(models.Model):
    """A capability tag: "Avid", "Baselight", "Dolby Atmos", "ADR", "Senior colourist"."""

    name = models.CharField(max_length=100, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Resource(models.Model):
    class Kind(models.TextChoices):
        ROOM = "room", "Room"
        EQUIPMENT = "equipment", "Equipment"
        PERSON = "person", "Person"

    class Employment(models.TextChoices):
        STAFF = "staff", "Staff"
        FREELANCE = "freelance", "Freelancer"

    kind = models.CharField(max_length=20, choices=Kind.choices)
    name = models.CharField(max_length=120)
    site = models.ForeignKey("core.Site", on_delete=models.PROTECT, related_name="resources")
    skills = models.ManyToManyField(Skill, blank=True, related_name="resources")
    # Rooms: seats. Other kinds leave it empty.
    capacity = models.PositiveIntegerField(null=True, blank=True)
    bookable = models.BooleanField(default=True)
    colour = models.CharField(max_length=7, default="#64748b")
    working_hours = models.JSONField(default=default_working_hours, blank=True)
    notes = models.TextField(blank=True)
    # People
    employment = models.CharField(max_length=20, choices=Employment.choices, blank=True, default="")
    day_rate = models.DecimalField(
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="Cost to the facility per day (freelancers), for margins in cost reports",
    )
    currency = models.CharField(
        max_length=3, default=DEFAULT_CURRENCY, choices=[(c, c) for c in CURRENCIES]
    )
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    # Equipment can live in a room.
    location = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="contents",
        limit_choices_to={"kind": "room"},
    )
    sort_order = models.IntegerField(default=0)
    archived_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # Part of the board's ETag: a renamed or recoloured resource changes the board.
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["site_id", "kind", "sort_order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["site", "name"], name="resource_name_per_site"),
        ]
        indexes = [models.Index(fields=["kind", "site"])]

    def __str__(self) -> str:
        return self.name

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None


class Booking(models.Model):
    class Kind(models.TextChoices):
        JOB = "job", "Job"
        MAINTENANCE = "maintenance", "Maintenance"
        LEAVE = "leave", "Leave"
        INTERNAL = "internal", "Internal"

    class Status(models.TextChoices):
        PENCIL = "pencil", "Pencil"
        CONFIRMED = "confirmed", "Confirmed"
        RELEASED = "released", "Released"
        CANCELLED = "cancelled", "Cancelled"
        COMPLETED = "completed", "Completed"

    BLOCKING_STATUSES = (Status.CONFIRMED, Status.COMPLETED)
    ACTIVE_STATUSES = (Status.PENCIL, Status.CONFIRMED, Status.COMPLETED)

    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.JOB)
    job = models.ForeignKey(
        "productions.Job",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="bookings",
        db_index=False,  # the (job, start) index leads with it
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENCIL)
    title = models.CharField(max_length=200, blank=True)
    notes = models.TextField(blank=True)
    start = models.DateTimeField()
    end = models.DateTimeField()
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_bookings",
    )
    # Repeating bookings made in one call share a series id. This and the two challenge
    # fields are empty on most bookings, so their indexes are partial (see Meta): a new
    # booking then writes three index entries fewer.
    series = models.UUIDField(null=True, blank=True)
    # Set on a pencil that a lower pencil has challenged: confirm or release by the deadline.
    challenge_deadline = models.DateTimeField(null=True, blank=True)
    challenged_by = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="challenges",
        db_index=False,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Bumped by every service write. The board's ETag sums it over the window, which
    # (unlike max(updated_at)) also changes when transactions commit out of time order.
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["start", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(start__lt=F("end")), name="booking_start_before_end"
            ),
            models.CheckConstraint(
                condition=Q(kind="job", job__isnull=False) | (~Q(kind="job") & Q(job__isnull=True)),
                name="booking_job_iff_kind_job",
            ),
        ]
        indexes = [
            models.Index(fields=["job", "start"]),
            models.Index(fields=["updated_at"], name="booking_updated_at"),
            models.Index(
                fields=["series"], name="booking_series", condition=Q(series__isnull=False)
            ),
            models.Index(
                fields=["challenge_deadline"],
                name="booking_challenge_deadline",
                condition=Q(challenge_deadline__isnull=False),
            ),
            models.Index(
                fields=["challenged_by"],
                name="booking_challenged_by",
                condition=Q(challenged_by__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"Booking {self.pk} {self.status} {self.start:%Y-%m-%d %H:%M}–{self.end:%H:%M}"

    @property
    def is_blocking(self) -> bool:
        return self.status in self.BLOCKING_STATUSES


class Allocation(models.Model):
    """One resource held by one booking, with the booking's span and status copied in.

    `blocking` is true for confirmed and completed bookings; the exclusion constraint
    (PostgreSQL) and the locked check in services (both databases) keep blocking rows of
    one resource from overlapping. `hold_rank` is the pencil's place (1st, 2nd, ...) among
    the overlapping active pencils of this resource, kept up to date by services.
    """

    # No single-column indexes on the two keys: the unique (booking, resource) constraint
    # and the (resource, start) index lead with them, and every index costs each insert.
    booking = models.ForeignKey(
        Booking, on_delete=models.CASCADE, related_name="allocations", db_index=False
    )
    resource = models.ForeignKey(
        Resource, on_delete=models.PROTECT, related_name="allocations", db_index=False
    )
    start = models.DateTimeField()
    end = models.DateTimeField()
    status = models.CharField(max_length=20, choices=Booking.Status.choices)
    blocking = models.BooleanField(default=False)
    hold_rank = models.PositiveIntegerField(null=True, blank=True)
    # When this hold on the resource was made. Pencils rank in that order (then by id),
    # and the days cut from a split pencil keep the original's place (DOMAIN: ranked
    # "in the order they were made").
    held_since = models.DateTimeField(default=timezone.now)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["resource_id", "start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(start__lt=F("end")), name="allocation_start_before_end"
            ),
            models.UniqueConstraint(
                fields=["booking", "resource"], name="allocation_resource_once_per_booking"
            ),
        ]
        indexes = [
            # Range queries: resource = ? AND start < :end AND start > :start - max_span
            # AND "end" > :start. With "end" in the index, only the rows that overlap are
            # read, not every row of the 90 days before: a week's board on SQLite read
            # ~18,500 rows for 1,306 (bench/RESULTS.md).
            models.Index(fields=["resource", "start", "end"], name="alloc_resource_span"),
            # The clash check: "end" in the index answers it from the index alone, where
            # reading each row of the last 90 days for its end made creates slower as
            # the history grew (bench/RESULTS.md).
            models.Index(
                fields=["resource", "start", "end"],
                name=CLASH_INDEX,
                condition=Q(blocking=True),
            ),
            models.Index(fields=["start"], name="alloc_start"),
        ]

    def __str__(self) -> str:
        return f"{self.resource} {self.start:%Y-%m-%d %H:%M}–{self.end:%H:%M} ({self.status})"
