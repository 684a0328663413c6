"""Post coordination per production: deliverables, the post schedule's milestones and
crew deal memos."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from postdesk.core.money import CURRENCIES, DEFAULT_CURRENCY
from postdesk.core.timecode import RATE_NAMES


class CoordinationPermissions(models.Model):
    """Holds no rows: it carries coordination's capabilities (core/roles.py) as
    permissions for the role groups, as library.LibraryPermissions does."""

    class Meta:
        managed = False
        default_permissions = ()
        permissions = [
            ("view_deliverables", "See productions' deliverables and post schedules"),
            ("manage_deliverables", "Keep deliverables lists and post schedules"),
            ("supervise_post", "Crew deal memos and the supervisor's desk"),
        ]

    def __str__(self) -> str:
        return "Coordination permissions"


class Deliverable(models.Model):
    class Status(models.TextChoices):
        NOT_STARTED = "not_started", "Not started"
        IN_PROGRESS = "in_progress", "In progress"
        IN_QC = "in_qc", "In QC"
        DELIVERED = "delivered", "Delivered"
        ACCEPTED = "accepted", "Accepted"
        REJECTED = "rejected", "Rejected"

    class Method(models.TextChoices):
        COURIER = "courier", "Courier"
        FILE_TRANSFER = "file_transfer", "File transfer"

    production = models.ForeignKey(
        "productions.Production", on_delete=models.CASCADE, related_name="deliverables"
    )
    name = models.CharField(max_length=200)
    spec = models.CharField(max_length=300, blank=True)
    # The template the item came from ("" when added by hand).
    template = models.CharField(max_length=40, blank=True)
    position = models.PositiveIntegerField(default=0)
    due = models.DateField(null=True, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_deliverables",
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.NOT_STARTED)
    rejection_reason = models.CharField(max_length=500, blank=True)
    # The delivery record.
    delivered_to = models.CharField(max_length=200, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    method = models.CharField(max_length=20, choices=Method.choices, blank=True)
    courier = models.CharField(max_length=100, blank=True)
    reference = models.CharField(max_length=200, blank=True)  # tracking or transfer ref
    accepted_by = models.CharField(max_length=200, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    notes = models.TextField(blank=True)
    media_items = models.ManyToManyField("library.MediaItem", blank=True, related_name="+")
    # The engineering QC report of the item's file, once one was run.
    qc_report = models.ForeignKey(
        "engineering.QcReport",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # What making and delivering the item costs the production (stock, transfers,
    # couriers), in the client's billing currency: billing's cost report adds it up.
    cost = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    cost_currency = models.CharField(max_length=3, blank=True, choices=[(c, c) for c in CURRENCIES])
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["production_id", "position", "id"]
        indexes = [models.Index(fields=["production", "status", "due"])]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="rejected") | ~Q(rejection_reason=""),
                name="deliverable_rejected_has_reason",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["delivered", "accepted"]) | Q(delivered_at__isnull=False),
                name="deliverable_delivered_has_time",
            ),
            models.CheckConstraint(
                condition=Q(cost__isnull=True, cost_currency="")
                | Q(cost__gte=0) & ~Q(cost_currency=""),
                name="deliverable_cost_has_currency",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Milestone(models.Model):
    class Kind(models.TextChoices):
        TURNOVER = "turnover", "Turnover"
        PICTURE_LOCK = "picture_lock", "Picture lock"
        ONLINE = "online", "Online"
        GRADE = "grade", "Grade"
        MIX = "mix", "Mix"
        QC = "qc", "QC"
        DELIVERY = "delivery", "Delivery"

    production = models.ForeignKey(
        "productions.Production", on_delete=models.CASCADE, related_name="milestones"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    planned = models.DateField()
    revised = models.DateField(null=True, blank=True)
    actual = models.DateField(null=True, blank=True)
    notes = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["production_id", "planned", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["production", "kind"], name="milestone_kind_per_production"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.production_id}"

    @property
    def current(self):
        """The date the schedule now holds: actual, else revised, else planned."""
        return self.actual or self.revised or self.planned

    @property
    def slipped(self) -> bool:
        return self.current > self.planned


class DealMemo(models.Model):
    class Status(models.TextChoices):
        OFFERED = "offered", "Offered"
        ACCEPTED = "accepted", "Accepted"
        CONTRACTED = "contracted", "Contracted"
        WITHDRAWN = "withdrawn", "Withdrawn"

    production = models.ForeignKey(
        "productions.Production", on_delete=models.CASCADE, related_name="deal_memos"
    )
    # The job the person's booking is made on: one of the production's.
    job = models.ForeignKey("productions.Job", on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(
        "scheduling.Resource", on_delete=models.PROTECT, related_name="deal_memos"
    )
    role = models.CharField(max_length=100)
    start = models.DateField()
    end = models.DateField()
    day_rate = models.DecimalField(max_digits=10, decimal_places=2)
    currency = models.CharField(
        max_length=3, default=DEFAULT_CURRENCY, choices=[(c, c) for c in CURRENCIES]
    )
    overtime_terms = models.CharField(max_length=300, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OFFERED)
    booking = models.OneToOneField(
        "scheduling.Booking", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["production_id", "start", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(end__gte=models.F("start")), name="deal_memo_dates"),
            models.CheckConstraint(condition=Q(day_rate__gte=0), name="deal_memo_rate"),
        ]

    def __str__(self) -> str:
        return f"{self.role}: {self.person_id}"


class Document(models.Model):
    """A production's paper (a contract, a script, a cue sheet, an EDL, a delivery
    schedule): its versions are never overwritten."""

    class Kind(models.TextChoices):
        CONTRACT = "contract", "Contract"
        SCRIPT = "script", "Script"
        CUE_SHEET = "cue_sheet", "Cue sheet"
        EDL = "edl", "EDL"
        DELIVERY_SCHEDULE = "delivery_schedule", "Delivery schedule"
        PAPERWORK = "paperwork", "Paperwork"

    production = models.ForeignKey(
        "productions.Production", on_delete=models.CASCADE, related_name="documents"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    title = models.CharField(max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)
    # A new version asked for: who, why and by when; cleared when one is uploaded.
    version_requested_at = models.DateTimeField(null=True, blank=True)
    version_requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    version_request_reason = models.CharField(max_length=300, blank=True)
    version_wanted_by = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["production_id", "kind", "title", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["production", "title"], name="document_title_per_production"
            ),
            models.CheckConstraint(
                condition=Q(
                    version_requested_at__isnull=True,
                    version_request_reason="",
                    version_wanted_by__isnull=True,
                )
                | Q(version_requested_at__isnull=False) & ~Q(version_request_reason=""),
                name="document_version_request_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class DocumentVersion(models.Model):
    """One upload of a document. The stored name is made by the service (production,
    document, version and a random part), never taken from the user; `filename` is the
    uploaded name, cleaned, shown and offered on download only."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    file = models.FileField(max_length=300)
    filename = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["document_id", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["document", "number"], name="document_version_number")
        ]

    def __str__(self) -> str:
        return f"{self.document_id} v{self.number}"


class AdrSession(models.Model):
    """An ADR session: one booking of the stage and the mixer (through the scheduling
    service) for a cast member, who is a person of the production, not a staff resource."""

    production = models.ForeignKey(
        "productions.Production", on_delete=models.CASCADE, related_name="adr_sessions"
    )
    booking = models.OneToOneField(
        "scheduling.Booking", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    talent = models.CharField(max_length=200)
    character = models.CharField(max_length=200, blank=True)
    agent_contact = models.CharField(max_length=300, blank=True)
    # Where the call sheet is mailed: the agent's address, apart from the free-text
    # contact so that a call sheet is never sent to something that is not an address.
    agent_email = models.EmailField(blank=True)
    remote = models.BooleanField(default=False)
    remote_studio = models.CharField(max_length=200, blank=True)
    rate = models.CharField(max_length=10, default="25")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["production_id", "id"]

    def __str__(self) -> str:
        return f"ADR: {self.talent}"


class Cue(models.Model):
    """One line to re-record: its number, character, timecode in and out (at the
    session's rate) and the line; recorded with take notes."""

    session = models.ForeignKey(AdrSession, on_delete=models.CASCADE, related_name="cues")
    number = models.CharField(max_length=20)
    character = models.CharField(max_length=200)
    tc_in = models.CharField(max_length=11)
    tc_out = models.CharField(max_length=11)
    frame_in = models.PositiveIntegerField()
    frame_out = models.PositiveIntegerField()
    line = models.TextField()
    recorded = models.BooleanField(default=False)
    take_notes = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["session_id", "frame_in", "id"]
        constraints = [
            models.UniqueConstraint(fields=["session", "number"], name="cue_number_per_session"),
            models.CheckConstraint(
                condition=Q(frame_out__gt=models.F("frame_in")), name="cue_out_after_in"
            ),
        ]

    def __str__(self) -> str:
        return self.number


class Screening(models.Model):
    """A preview screening of a cut: a booked screening room, or an external venue noted
    as such with its seats."""

    production = models.ForeignKey(
        "productions.Production", on_delete=models.CASCADE, related_name="screenings"
    )
    booking = models.OneToOneField(
        "scheduling.Booking", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    room = models.ForeignKey(
        "scheduling.Resource", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    external_venue = models.CharField(max_length=200, blank=True)
    venue_capacity = models.PositiveIntegerField(null=True, blank=True)
    starts_at = models.DateTimeField()
    cut_version = models.CharField(max_length=100)
    nda_required = models.BooleanField(default=False)
    plus_ones_allowed = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["production_id", "starts_at", "id"]

    def __str__(self) -> str:
        return f"Screening of {self.cut_version}"


class Invitee(models.Model):
    class Response(models.TextChoices):
        PENDING = "pending", "Not answered"
        ACCEPTED = "accepted", "Accepted"
        DECLINED = "declined", "Declined"

    screening = models.ForeignKey(Screening, on_delete=models.CASCADE, related_name="invitees")
    name = models.CharField(max_length=200)
    email = models.EmailField()
    # The RSVP link's secret: 256 random bits; it answers only with its own screening's id.
    token = models.CharField(max_length=64, unique=True)
    response = models.CharField(max_length=10, choices=Response.choices, default=Response.PENDING)
    plus_ones = models.PositiveSmallIntegerField(default=0)
    attended = models.BooleanField(default=False)

    class Meta:
        ordering = ["screening_id", "name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["screening", "email"], name="invitee_once_per_screening"
            )
        ]

    def __str__(self) -> str:
        return self.name


class WalkIn(models.Model):
    """Someone who came to a screening without an invitation, by name (attendance)."""

    screening = models.ForeignKey(Screening, on_delete=models.CASCADE, related_name="walk_ins")
    name = models.CharField(max_length=200)

    class Meta:
        ordering = ["screening_id", "name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["screening", "name"], name="walk_in_once_per_screening")
        ]

    def __str__(self) -> str:
        return self.name


class FeedbackNote(models.Model):
    """A note of what the audience said about the cut, taken after the screening began:
    who said it (any name, or none) and who wrote it down."""

    screening = models.ForeignKey(Screening, on_delete=models.CASCADE, related_name="feedback")
    given_by = models.CharField(max_length=200, blank=True)
    note = models.TextField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["screening_id", "recorded_at", "id"]

    def __str__(self) -> str:
        return f"Feedback on {self.screening_id}"


class Edl(models.Model):
    """A CMX 3600 EDL read from one version of a production's EDL document. Its events are
    stored once, at import; the reels are matched to the library each time the pull list
    is shown, so a tape registered after the import is found."""

    production = models.ForeignKey(
        "productions.Production", on_delete=models.CASCADE, related_name="edls"
    )
    version = models.OneToOneField(DocumentVersion, on_delete=models.CASCADE, related_name="edl")
    # The EDL's own TITLE line, as OpenTimelineIO read it.
    title = models.CharField(max_length=200, blank=True)
    rate = models.CharField(max_length=8, choices=[(r, r) for r in RATE_NAMES])
    drop_frame = models.BooleanField(default=False)
    event_count = models.PositiveIntegerField()
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    imported_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["production_id", "-imported_at", "-id"]

    def __str__(self) -> str:
        return f"EDL {self.title or self.version_id}"


class EdlEvent(models.Model):
    """One clip of an EDL event on one track (an AA/V event is three rows). Timecodes are
    frame numbers at the EDL's rate, labelled by core/timecode.py when shown; `reel` is ""
    for black, bars and auxiliary sources, which no tape holds."""

    edl = models.ForeignKey(Edl, on_delete=models.CASCADE, related_name="events")
    number = models.PositiveIntegerField()
    track = models.CharField(max_length=10)
    reel = models.CharField(max_length=40, blank=True)
    source = models.CharField(max_length=10, blank=True)  # "black", "bars" or ""
    clip_name = models.CharField(max_length=200, blank=True)
    source_in = models.PositiveIntegerField()
    source_out = models.PositiveIntegerField()
    record_in = models.PositiveIntegerField()
    record_out = models.PositiveIntegerField()

    class Meta:
        ordering = ["edl_id", "record_in", "number", "id"]
        indexes = [models.Index(fields=["edl", "reel"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(record_out__gte=models.F("record_in")), name="edl_event_record_order"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number:03d} {self.reel or self.source}"
