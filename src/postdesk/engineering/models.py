"""Engineering's records: the equipment register, fault tickets (with the maintenance
blocks a "room down" puts on the board), preventive maintenance schedules and PAT tests.

Rooms are scheduling's room resources; a bookable asset is linked to its scheduling
resource, so the board and engineering speak of the same thing.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from postdesk.engineering.pat import RISK_CLASSES

ROOM = {"kind": "room"}


class Asset(models.Model):
    class Status(models.TextChoices):
        IN_SERVICE = "in_service", "In service"
        FAULTY = "faulty", "Faulty"
        IN_REPAIR = "in_repair", "In repair"
        RETIRED = "retired", "Retired"

    # The barcode on the asset's label: what a scanner reads, unique in the house.
    tag = models.CharField(max_length=40, unique=True)
    make = models.CharField(max_length=100)
    model = models.CharField(max_length=100)
    serial = models.CharField(max_length=100, blank=True)
    supplier = models.CharField(max_length=120, blank=True)
    purchase_date = models.DateField(null=True, blank=True)
    warranty_end = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.IN_SERVICE)
    # Where it is: a room, or a library location (a store room, a shelf of spares); never
    # both (asset_in_one_place).
    room = models.ForeignKey(
        "scheduling.Resource",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assets",
        limit_choices_to=ROOM,
    )
    library_location = models.ForeignKey(
        "library.Location",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assets",
    )
    # The room cannot work without it (a grading theatre's projector): the room lists it.
    critical = models.BooleanField(default=False)
    # Bookable on the board in its own right (a portable deck, a monitor on hire).
    resource = models.OneToOneField(
        "scheduling.Resource",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="asset",
    )
    risk_class = models.CharField(
        max_length=20, choices=[(k, v.label) for k, v in RISK_CLASSES.items()], blank=True
    )
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["tag"]
        constraints = [
            models.CheckConstraint(
                condition=Q(warranty_end__isnull=True)
                | Q(purchase_date__isnull=True)
                | Q(warranty_end__gte=F("purchase_date")),
                name="asset_warranty_after_purchase",
            ),
            models.CheckConstraint(
                condition=Q(room__isnull=True) | Q(library_location__isnull=True),
                name="asset_in_one_place",
            ),
        ]
        indexes = [
            models.Index(fields=["serial"], name="asset_serial"),
            models.Index(fields=["model"], name="asset_model"),
        ]

    def __str__(self) -> str:
        return f"{self.tag} {self.make} {self.model}"


class FaultTicket(models.Model):
    class Severity(models.TextChoices):
        ROOM_DOWN = "room_down", "Room down"
        DEGRADED = "degraded", "Degraded"
        COSMETIC = "cosmetic", "Cosmetic"

    class State(models.TextChoices):
        OPEN = "open", "Open"
        IN_PROGRESS = "in_progress", "In progress"
        ON_HOLD = "on_hold", "On hold (waiting for parts)"
        RESOLVED = "resolved", "Resolved"
        CLOSED = "closed", "Closed"

    OPEN_STATES = (State.OPEN, State.IN_PROGRESS, State.ON_HOLD)

    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="fault_tickets"
    )
    room = models.ForeignKey(
        "scheduling.Resource",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="fault_tickets",
        limit_choices_to=ROOM,
    )
    asset = models.ForeignKey(
        Asset, null=True, blank=True, on_delete=models.PROTECT, related_name="tickets"
    )
    severity = models.CharField(max_length=20, choices=Severity.choices)
    description = models.TextField()
    state = models.CharField(max_length=20, choices=State.choices, default=State.OPEN)
    opened_at = models.DateTimeField()
    # A room down: until when the room is blocked (the engineer's estimate).
    estimate_until = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    # The maintenance bookings this ticket put on the room (a room down): one per free
    # stretch of [opened, estimate), more as the bookings in the way are moved off.
    blocks = models.ManyToManyField("scheduling.Booking", blank=True, related_name="+")

    class Meta:
        ordering = ["-opened_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(room__isnull=False) | Q(asset__isnull=False),
                name="ticket_room_or_asset",
            ),
            models.CheckConstraint(
                condition=~Q(severity="room_down") | Q(room__isnull=False),
                name="ticket_room_down_has_room",
            ),
        ]
        indexes = [models.Index(fields=["state", "severity"], name="ticket_state_severity")]

    def __str__(self) -> str:
        return f"Ticket {self.pk} ({self.get_severity_display()})"

    @property
    def is_open(self) -> bool:
        return self.state in self.OPEN_STATES


class TicketNote(models.Model):
    """A line of work on a ticket: what was done or found, and the minutes it took."""

    ticket = models.ForeignKey(FaultTicket, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField()
    minutes = models.PositiveIntegerField(default=0)
    # The state the ticket moved to with this note, if it moved.
    state = models.CharField(max_length=20, choices=FaultTicket.State.choices, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"Note on ticket {self.ticket_id}"


class TicketPhoto(models.Model):
    ticket = models.ForeignKey(FaultTicket, on_delete=models.CASCADE, related_name="photos")
    # Stored under a name the system makes (DESIGN: names never come from the user).
    image = models.FileField(upload_to="engineering/faults/")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Photo of ticket {self.ticket_id}"


class MaintenanceSchedule(models.Model):
    """Preventive maintenance of a room or an asset: every N days, or every N hours the
    room (or the asset's resource) has been booked, counted from the board."""

    title = models.CharField(max_length=200)
    room = models.ForeignKey(
        "scheduling.Resource",
        on_delete=models.PROTECT,
        related_name="maintenance_schedules",
        limit_choices_to=ROOM,
    )
    asset = models.ForeignKey(
        Asset, null=True, blank=True, on_delete=models.PROTECT, related_name="schedules"
    )
    every_days = models.PositiveIntegerField(null=True, blank=True)
    every_booked_hours = models.PositiveIntegerField(null=True, blank=True)
    # How long the block on the board lasts when the task is placed.
    duration_minutes = models.PositiveIntegerField(default=120)
    last_done_at = models.DateTimeField()
    # The block placed for the task now due, until it is marked done.
    placed = models.ForeignKey(
        "scheduling.Booking", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["room_id", "title"]
        constraints = [
            # Exactly one way of counting.
            models.CheckConstraint(
                condition=(Q(every_days__isnull=False) & Q(every_booked_hours__isnull=True))
                | (Q(every_days__isnull=True) & Q(every_booked_hours__isnull=False)),
                name="schedule_days_xor_hours",
            ),
            models.CheckConstraint(
                condition=Q(every_days__isnull=True) | Q(every_days__gte=1),
                name="schedule_days_positive",
            ),
            models.CheckConstraint(
                condition=Q(every_booked_hours__isnull=True) | Q(every_booked_hours__gte=1),
                name="schedule_hours_positive",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class PatTest(models.Model):
    class Result(models.TextChoices):
        PASS = "pass", "Pass"
        FAIL = "fail", "Fail"

    asset = models.ForeignKey(Asset, on_delete=models.PROTECT, related_name="pat_tests")
    tested_on = models.DateField()
    tester = models.CharField(max_length=120)
    result = models.CharField(max_length=10, choices=Result.choices)
    # The risk class the interval was taken from, as it stood on the day of the test.
    risk_class = models.CharField(max_length=20)
    next_due = models.DateField()
    notes = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-tested_on", "-pk"]
        indexes = [models.Index(fields=["asset", "-tested_on"], name="pat_asset_latest")]
        constraints = [
            models.CheckConstraint(
                condition=Q(next_due__gt=F("tested_on")), name="pat_next_due_after_test"
            )
        ]

    def __str__(self) -> str:
        return f"PAT {self.result} {self.tested_on}"


class SignalPath(models.Model):
    """A room's signal path: how picture and sound get from source to monitors, as text
    and an uploaded diagram."""

    room = models.OneToOneField(
        "scheduling.Resource",
        on_delete=models.PROTECT,
        related_name="signal_path",
        limit_choices_to=ROOM,
    )
    text = models.TextField(blank=True)
    # Stored under a name the system makes (DESIGN: names never come from the user).
    diagram = models.FileField(upload_to="engineering/signal-paths/", blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Signal path of room {self.room_id}"


class Machine(models.Model):
    """A computer or network device in a room, and where it plugs into the network."""

    room = models.ForeignKey(
        "scheduling.Resource",
        on_delete=models.PROTECT,
        related_name="machines",
        limit_choices_to=ROOM,
    )
    hostname = models.CharField(max_length=100, unique=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    vlan = models.PositiveIntegerField(null=True, blank=True)
    switch_port = models.CharField(max_length=60, blank=True)
    os = models.CharField(max_length=100, blank=True)
    asset = models.ForeignKey(
        Asset, null=True, blank=True, on_delete=models.SET_NULL, related_name="machines"
    )
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["hostname"]
        constraints = [
            models.CheckConstraint(
                condition=Q(vlan__isnull=True) | Q(vlan__gte=1, vlan__lte=4094),
                name="machine_vlan_range",
            )
        ]

    def __str__(self) -> str:
        return self.hostname


class Licence(models.Model):
    """A software licence to renew (a grading seat, a plug-in bundle), on a machine or a
    room, with the day it runs out."""

    product = models.CharField(max_length=200)
    machine = models.ForeignKey(
        Machine, null=True, blank=True, on_delete=models.SET_NULL, related_name="licences"
    )
    room = models.ForeignKey(
        "scheduling.Resource",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="licences",
        limit_choices_to=ROOM,
    )
    renews_on = models.DateField()
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["renews_on", "product"]

    def __str__(self) -> str:
        return self.product


class DeliverySpec(models.Model):
    """A broadcaster's or the house's technical delivery requirements, as data.

    The shipped versions are JSON files in engineering/specs/ (qc_specs.py); this is the
    editable copy. `file_hash` is the hash of the file's body when it was last taken in,
    so a copy edited here (`hash` differs) is never overwritten by a newer file."""

    slug = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=200)
    version = models.PositiveIntegerField()
    body = models.JSONField()
    hash = models.CharField(max_length=64)
    file_hash = models.CharField(max_length=64, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} v{self.version}"

    @property
    def edited(self) -> bool:
        return self.hash != self.file_hash


class QcReport(models.Model):
    """One media QC check of one file against one spec, from queued to its verdict.

    The spec's body, version and hash are copied in when the check starts: the report
    says what it was checked against even after the spec is edited."""

    class State(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        CANCELLED = "cancelled", "Cancelled"
        ERROR = "error", "Error"

    class Verdict(models.TextChoices):
        PASS = "pass", "Pass"
        WARN = "warn", "Warn"
        FAIL = "fail", "Fail"

    class Source(models.TextChoices):
        UPLOAD = "upload", "Upload"
        PATH = "path", "Media root"

    spec = models.ForeignKey(DeliverySpec, on_delete=models.PROTECT, related_name="reports")
    spec_name = models.CharField(max_length=200)
    spec_version = models.PositiveIntegerField()
    spec_hash = models.CharField(max_length=64)
    spec_body = models.JSONField()
    source = models.CharField(max_length=10, choices=Source.choices)
    # An upload is stored under a name the system makes; its own name is only shown.
    upload = models.FileField(upload_to="engineering/qc/", blank=True)
    # A media-root file: relative to settings.QC_MEDIA_ROOT, checked on every use.
    path = models.CharField(max_length=1000, blank=True)
    filename = models.CharField(max_length=255)
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    verdict = models.CharField(max_length=4, choices=Verdict.choices, blank=True)
    progress = models.FloatField(default=0)
    # Seen by the runner between progress reads; it then kills ffmpeg.
    cancel_requested = models.BooleanField(default=False)
    # Written with each progress update: a running report whose heartbeat stopped lost
    # its worker (tasks.sweep_lost_qc_now).
    heartbeat = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    ffmpeg_version = models.CharField(max_length=200, blank=True)
    duration_s = models.FloatField(null=True, blank=True)
    frame_rate = models.CharField(max_length=20, blank=True)
    checks = models.JSONField(default=list, blank=True)
    facts = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["state"], name="qc_report_state")]
        constraints = [
            models.CheckConstraint(
                condition=Q(progress__gte=0, progress__lte=1), name="qc_progress_fraction"
            ),
            models.CheckConstraint(
                condition=Q(verdict="") | Q(state="done"), name="qc_verdict_only_when_done"
            ),
        ]

    def __str__(self) -> str:
        return f"QC {self.filename} ({self.spec_name})"

    @property
    def active(self) -> bool:
        return self.state in (self.State.QUEUED, self.State.RUNNING)
