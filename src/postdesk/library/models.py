"""The media library: locations, media items and where each one is, lineage, the
movement history, stock-takes, destruction and archive research.

The custody invariant is held by the database: an item is at a location, with a person,
or in transit, exactly one of the three (`library_item_in_one_place`). Services move items
only by changing those fields and appending a Movement in the same transaction.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from postdesk.core.timecode import RATE_NAMES

BARCODE_MAX = 64
# The SMPTE rates core/timecode.py understands (an item's timecodes are validated there).
TIMECODE_RATES = RATE_NAMES


class LibraryPermissions(models.Model):
    """Holds no rows: it carries the library's capabilities as permissions, which
    core/roles.py writes into the role groups (sync_roles) beside core's own
    (core.RolePermissions). Declared here, not on core's carrier, so that the library's
    capabilities ship with the library's migrations."""

    class Meta:
        managed = False
        default_permissions = ()
        permissions = [
            ("view_media", "See media items, locations, custody and history"),
            ("manage_library", "Register and change media and locations, stock-takes, imports"),
            ("move_media", "Move, check out and check in media"),
            ("dispatch_media", "Receive media and dispatch it to couriers"),
            ("approve_destruction", "Approve or reject the destruction of media"),
        ]

    def __str__(self) -> str:
        return "library permissions"


class Location(models.Model):
    """A place that holds media: a tree of any depth (site › vault › rack › shelf › slot).

    `path` is the chain of ids from the root, "/1/7/31/", so that a subtree is one indexed
    prefix match (`path__startswith`) however deep it goes; services keep it in step with
    `parent` (a location is never re-parented under its own subtree).
    """

    class Kind(models.TextChoices):
        SITE = "site", "Site"
        VAULT = "vault", "Vault"
        ROOM = "room", "Room"
        RACK = "rack", "Rack"
        SHELF = "shelf", "Shelf"
        SLOT = "slot", "Slot"

    name = models.CharField(max_length=100)
    barcode = models.CharField(max_length=BARCODE_MAX, unique=True)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    site = models.ForeignKey(
        "core.Site", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    path = models.CharField(max_length=500, db_index=True, editable=False, default="")
    archived = models.BooleanField(default=False)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["path"]
        constraints = [
            models.UniqueConstraint(fields=["parent", "name"], name="library_location_name_unique")
        ]

    def __str__(self) -> str:
        return self.name

    @classmethod
    def ids_under(cls, path: str) -> models.QuerySet:
        """The ids of the location whose path is `path` and of every one below it, as a
        subquery (or, listed, as literal ids).

        Items of a subtree are filtered by `location_id__in` this, not by
        `location__path__startswith` through a join: at 1,000,000 items the join left the
        database walking every item (a stock-take's close took 404 ms on SQLite, whose
        LIKE cannot use the path's index). As a subquery the few locations are read first
        and their items through the item's location index."""
        return cls.objects.filter(path__startswith=path).values("id")


class Badge(models.Model):
    """A person's badge code, which the scan station takes as a destination: scanning
    items then a badge checks them out to that person."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="library_badge"
    )
    code = models.CharField(max_length=BARCODE_MAX, unique=True)

    def __str__(self) -> str:
        return self.code


class MediaItem(models.Model):
    class Kind(models.TextChoices):
        TAPE = "tape", "Tape"
        DRIVE = "drive", "Drive"
        CAMERA_CARD = "camera_card", "Camera card"
        FILM_CAN = "film_can", "Film can"
        FILE = "file", "File deliverable"

    class Format(models.TextChoices):
        HDCAM_SR = "hdcam_sr", "HDCAM SR"
        HDCAM = "hdcam", "HDCAM"
        DIGIBETA = "digibeta", "Digibeta"
        DVCPRO_HD = "dvcpro_hd", "DVCPRO HD"
        XDCAM = "xdcam", "XDCAM disc"
        LTO7 = "lto7", "LTO-7"
        LTO8 = "lto8", "LTO-8"
        LTO9 = "lto9", "LTO-9"
        HDD = "hdd", "HDD"
        SSD = "ssd", "SSD"
        CARD = "card", "Camera card"
        FILM = "film", "Film"
        FILE = "file", "File"

    # Which formats each kind may have; services refuse any other pair.
    FORMATS_BY_KIND = {
        Kind.TAPE: {
            Format.HDCAM_SR,
            Format.HDCAM,
            Format.DIGIBETA,
            Format.DVCPRO_HD,
            Format.XDCAM,
            Format.LTO7,
            Format.LTO8,
            Format.LTO9,
        },
        Kind.DRIVE: {Format.HDD, Format.SSD},
        Kind.CAMERA_CARD: {Format.CARD},
        Kind.FILM_CAN: {Format.FILM},
        Kind.FILE: {Format.FILE},
    }

    class Generation(models.TextChoices):
        CAMERA_ORIGINAL = "camera_original", "Camera original"
        MASTER = "master", "Master"
        PROTECTION_MASTER = "protection_master", "Protection master"
        SUB_MASTER = "sub_master", "Sub-master"
        DUB = "dub", "Dub / viewing copy"
        CLONE = "clone", "Clone"
        ARCHIVE_COPY = "archive_copy", "Archive copy"

    class Condition(models.TextChoices):
        GOOD = "good", "Good"
        FAIR = "fair", "Fair"
        POOR = "poor", "Poor"
        DAMAGED = "damaged", "Damaged"

    class Owner(models.TextChoices):
        FACILITY = "facility", "Facility"
        CLIENT = "client", "Client"

    class Custody(models.TextChoices):
        LOCATION = "location", "At a location"
        PERSON = "person", "With a person"
        TRANSIT = "transit", "In transit"

    # Identity
    barcode = models.CharField(max_length=BARCODE_MAX, unique=True)
    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    format = models.CharField(max_length=20, choices=Format.choices)
    generation = models.CharField(max_length=20, choices=Generation.choices)

    # Technical
    standard = models.CharField(max_length=40, blank=True, help_text="e.g. 1080i25, UHD p24")
    resolution = models.CharField(max_length=20, blank=True, help_text="e.g. 1920x1080")
    frame_rate = models.CharField(
        max_length=8, blank=True, choices=[(r, r) for r in TIMECODE_RATES]
    )
    drop_frame = models.BooleanField(default=False)
    aspect_ratio = models.CharField(max_length=20, blank=True)
    audio_layout = models.CharField(max_length=100, blank=True)
    # SMPTE timecodes as entered, validated at `frame_rate` by core/timecode.py.
    start_timecode = models.CharField(max_length=11, blank=True)
    duration = models.CharField(max_length=11, blank=True)
    reel = models.CharField(max_length=40, blank=True)
    condition = models.CharField(max_length=10, choices=Condition.choices, default=Condition.GOOD)
    notes = models.TextField(blank=True)

    # A file deliverable's whereabouts on disk or the network.
    file_path = models.CharField(max_length=1000, blank=True)
    file_size = models.BigIntegerField(null=True, blank=True)
    checksum = models.CharField(max_length=128, blank=True)

    # Ties
    client = models.ForeignKey(
        "productions.Client", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    production = models.ForeignKey(
        "productions.Production",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="media_items",
    )
    job = models.ForeignKey(
        "productions.Job", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    owner = models.CharField(max_length=10, choices=Owner.choices, default=Owner.CLIENT)
    retention_until = models.DateField(null=True, blank=True)
    on_hold = models.BooleanField(default=False, help_text="Legal or client hold: never destroy")

    # Lineage: what this item was made from (a dub's master, an archive's file).
    parents = models.ManyToManyField(
        "self", symmetrical=False, blank=True, related_name="children", through="Derivation"
    )

    # Custody: exactly one place, which the check constraint below enforces.
    custody = models.CharField(max_length=10, choices=Custody.choices)
    location = models.ForeignKey(
        Location, null=True, blank=True, on_delete=models.PROTECT, related_name="items"
    )
    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="library_items",
    )
    holder_name = models.CharField(
        max_length=200, blank=True, help_text="An external person holding the item"
    )
    due_back = models.DateField(null=True, blank=True)
    courier = models.CharField(max_length=100, blank=True)
    tracking = models.CharField(max_length=100, blank=True)
    destination = models.CharField(max_length=300, blank=True)
    # When the item reached its current place (checked out, dispatched, shelved).
    placed_at = models.DateTimeField()
    # Overdue reminders sent for the current check-out (reset by check-in).
    reminders_sent = models.PositiveSmallIntegerField(default=0)
    last_reminder_at = models.DateTimeField(null=True, blank=True)

    destroyed_at = models.DateTimeField(null=True, blank=True)
    # Withdrawn from the catalogue (registered by mistake, returned to its owner for good):
    # still in one place, but left out of lists and stock-takes and never moved again
    # until restored.
    archived_at = models.DateTimeField(null=True, blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["barcode"]
        indexes = [
            models.Index(fields=["production", "generation"]),
            models.Index(fields=["custody", "due_back"]),
            models.Index(fields=["retention_until"]),
        ]
        constraints = [
            models.CheckConstraint(
                name="library_item_in_one_place",
                condition=(
                    Q(
                        custody="location",
                        location__isnull=False,
                        holder__isnull=True,
                        holder_name="",
                        courier="",
                    )
                    | (
                        Q(custody="person", location__isnull=True, courier="")
                        & (
                            Q(holder__isnull=False, holder_name="")
                            | (Q(holder__isnull=True) & ~Q(holder_name=""))
                        )
                    )
                    | (
                        Q(
                            custody="transit",
                            location__isnull=True,
                            holder__isnull=True,
                            holder_name="",
                        )
                        & ~Q(courier="")
                    )
                ),
            ),
            models.CheckConstraint(
                name="library_item_file_size_not_negative",
                condition=Q(file_size__isnull=True) | Q(file_size__gte=0),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.barcode} {self.title}"


class Derivation(models.Model):
    """`child` was made from `parent` (a dub from a master, an LTO from a file)."""

    parent = models.ForeignKey(MediaItem, on_delete=models.PROTECT, related_name="+")
    child = models.ForeignKey(MediaItem, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["parent", "child"], name="library_derivation_unique"),
            models.CheckConstraint(
                name="library_derivation_not_self", condition=~Q(parent=models.F("child"))
            ),
        ]
        indexes = [models.Index(fields=["child", "parent"])]

    def __str__(self) -> str:
        return f"{self.child_id} made from {self.parent_id}"


class Movement(models.Model):
    """One step of an item's history: where it was, where it went, who did it and who
    signed. Appended by the services, never edited: replaying an item's movements in
    order gives where it is now."""

    class Action(models.TextChoices):
        REGISTER = "register", "Registered"
        MOVE = "move", "Moved"
        CHECK_OUT = "check_out", "Checked out"
        CHECK_IN = "check_in", "Checked in"
        DISPATCH = "dispatch", "Dispatched"
        RECEIVE = "receive", "Received"
        STOCKTAKE = "stocktake", "Moved by stock-take"
        DESTROY = "destroy", "Destroyed"

    item = models.ForeignKey(MediaItem, on_delete=models.CASCADE, related_name="movements")
    at = models.DateTimeField(db_index=True)
    action = models.CharField(max_length=12, choices=Action.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_label = models.CharField(max_length=150)
    # Each place as {"custody": ..., "location": id, "holder": id, "holder_name": ...,
    # "due_back": ..., "courier": ..., "tracking": ..., "destination": ..., "label": ...};
    # `from_place` is empty for a registration.
    from_place = models.JSONField(default=dict)
    to_place = models.JSONField(default=dict)
    signer_name = models.CharField(max_length=200, blank=True)
    note = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["item", "at", "id"]
        indexes = [models.Index(fields=["item", "at", "id"])]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.at:%Y-%m-%d %H:%M}"


class StockTake(models.Model):
    """A count of what is physically in a location's subtree, in one or more sessions."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="stocktakes")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    started_at = models.DateTimeField()
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    # The classes at closing: {"found": [...], "missing": [...], "misplaced": [...],
    # "unknown": [...]}, frozen so the report reads the same after later moves.
    result = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"Stock-take {self.pk} of {self.location}"


class StockTakeScan(models.Model):
    """One code scanned during a stock-take: a shelf (which the items scanned after it
    were found on), an item, or a code the library does not know."""

    class Kind(models.TextChoices):
        SHELF = "shelf", "Shelf"
        ITEM = "item", "Item"
        UNKNOWN = "unknown", "Unknown code"

    stocktake = models.ForeignKey(StockTake, on_delete=models.CASCADE, related_name="scans")
    code = models.CharField(max_length=BARCODE_MAX)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    item = models.ForeignKey(
        MediaItem, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Where in the subtree it was found (the shelf scanned before it; for a shelf scan,
    # the shelf itself).
    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="+")
    scanned_at = models.DateTimeField()
    scanned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["scanned_at", "id"]
        indexes = [models.Index(fields=["stocktake", "code"])]

    def __str__(self) -> str:
        return self.code


class DestructionRequest(models.Model):
    class Status(models.TextChoices):
        REQUESTED = "requested", "Requested"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"
        DONE = "done", "Destroyed"

    class Method(models.TextChoices):
        SHRED = "shred", "Shredding"
        DEGAUSS = "degauss", "Degaussing and shredding"
        CRYPTO_ERASE = "crypto_erase", "Cryptographic erase"
        SECURE_WIPE = "secure_wipe", "Secure wipe"
        RETURN = "return", "Returned to client, then destroyed by them"

    items = models.ManyToManyField(MediaItem, related_name="destruction_requests")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.REQUESTED)
    method = models.CharField(max_length=20, choices=Method.choices)
    reason = models.CharField(max_length=500)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField()
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    rejection_reason = models.CharField(max_length=500, blank=True)
    client_signoff_name = models.CharField(max_length=200, blank=True)
    client_signoff_date = models.DateField(null=True, blank=True)
    witness = models.CharField(max_length=200, blank=True)
    destroyed_at = models.DateTimeField(null=True, blank=True)
    certificate_number = models.PositiveIntegerField(null=True, blank=True, unique=True)

    class Meta:
        ordering = ["-requested_at", "-id"]

    def __str__(self) -> str:
        return f"Destruction request {self.pk} ({self.get_status_display()})"


class ResearchRequest(models.Model):
    """Someone wants archive footage: who, for which production, what, and by when."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        SEARCHING = "searching", "Searching"
        FOUND = "found", "Found"
        DELIVERED = "delivered", "Delivered"
        CLOSED = "closed", "Closed"

    requested_by = models.CharField(max_length=200)
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    production = models.ForeignKey(
        "productions.Production",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="research_requests",
    )
    wanted = models.TextField(help_text="What footage is wanted")
    wanted_by = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    items = models.ManyToManyField(MediaItem, blank=True, related_name="research_requests")
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Research request {self.pk}: {self.wanted[:60]}"
