"""The runner board's tasks: who asked for what, where, by when, and who ran it."""

from django.conf import settings
from django.db import models


class FrontdeskPermissions(models.Model):
    """Holds no rows: it carries the front desk's capabilities (core/roles.py) as
    permissions for the role groups, shipped with the front desk's migrations, as
    library.LibraryPermissions does for the library."""

    class Meta:
        managed = False
        default_permissions = ()
        permissions = [
            ("use_runner_board", "Post runner tasks and follow them"),
            ("run_tasks", "Claim, start and finish runner tasks"),
            ("assign_tasks", "Assign runner tasks to runners"),
            ("host_visitors", "Pre-register visitors as their host"),
            ("receive_visitors", "See visitor details, sign visitors in and out, roll call"),
            ("keep_accident_book", "Read and write the accident book"),
            ("run_front_office", "Order catering and keep the supplies"),
        ]

    def __str__(self) -> str:
        return "front desk permissions"


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
    # A media move ("take LIB-000123 to Grading 2"): finishing the task moves the item
    # there in the library (services.finish_task), so custody follows the runner.
    media_item = models.ForeignKey(
        "library.MediaItem", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    move_to = models.ForeignKey(
        "library.Location", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
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
            models.CheckConstraint(
                condition=models.Q(media_item__isnull=True, move_to__isnull=True)
                | models.Q(media_item__isnull=False, move_to__isnull=False),
                name="frontdesk_task_media_has_destination",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.place})"


class Attendee(models.Model):
    """A client contact attending a booking's session: the booking names its attendees
    here (scheduling's own models are left as they are); a client session naming none
    expects its job's contact."""

    booking = models.ForeignKey(
        "scheduling.Booking", on_delete=models.CASCADE, related_name="frontdesk_attendees"
    )
    contact = models.ForeignKey(
        "productions.Contact", on_delete=models.CASCADE, related_name="frontdesk_attendances"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["booking", "contact"], name="frontdesk_attendee_once")
        ]

    def __str__(self) -> str:
        return f"{self.contact_id} at booking {self.booking_id}"


class PreRegistration(models.Model):
    """A visitor announced by a member of staff, who becomes the host."""

    name = models.CharField(max_length=200)
    company = models.CharField(max_length=200, blank=True)
    email = models.EmailField(blank=True)
    host = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="frontdesk_guests"
    )
    expected_at = models.DateTimeField(db_index=True)
    production = models.ForeignKey(
        "productions.Production", on_delete=models.PROTECT, null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    anonymised_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["expected_at", "id"]

    def __str__(self) -> str:
        return f"{self.name}, expected {self.expected_at:%Y-%m-%d %H:%M}"


class NdaText(models.Model):
    """One version of a production's NDA. A production with any requires one at sign-in;
    the latest version is the one to accept, so a new version asks everyone again."""

    production = models.ForeignKey(
        "productions.Production", on_delete=models.CASCADE, related_name="frontdesk_ndas"
    )
    version = models.PositiveIntegerField()
    text = models.TextField(max_length=20000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["production_id", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["production", "version"], name="frontdesk_nda_version")
        ]

    def __str__(self) -> str:
        return f"NDA v{self.version} of production {self.production_id}"


class NdaAcceptance(models.Model):
    """Who accepted which NDA text, when. `person` identifies the visitor across visits:
    the contact when known, else the name and company as typed (folded to lower case)."""

    nda = models.ForeignKey(NdaText, on_delete=models.PROTECT, related_name="acceptances")
    person = models.CharField(max_length=420)
    name = models.CharField(max_length=200)
    accepted_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["nda", "person"], name="frontdesk_nda_accepted_once")
        ]

    def __str__(self) -> str:
        return f"{self.name} accepted NDA {self.nda_id}"


class Visit(models.Model):
    """A visitor's time in the building: signed in at reception or the kiosk, signed out
    by one tap or, if still in at midnight, by the worker (`auto_signed_out`)."""

    class Kind(models.TextChoices):
        VISITOR = "visitor", "Visitor"
        CONTRACTOR = "contractor", "Contractor"

    kind = models.CharField(max_length=12, choices=Kind, default=Kind.VISITOR)
    name = models.CharField(max_length=200)
    company = models.CharField(max_length=200, blank=True)
    host = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="frontdesk_visits_hosted",
    )
    car_registration = models.CharField(max_length=20, blank=True)
    contact = models.ForeignKey(
        "productions.Contact", on_delete=models.SET_NULL, null=True, blank=True
    )
    preregistration = models.ForeignKey(
        PreRegistration, on_delete=models.SET_NULL, null=True, blank=True
    )
    booking = models.ForeignKey(
        "scheduling.Booking", on_delete=models.SET_NULL, null=True, blank=True
    )
    nda_accepted = models.ForeignKey(NdaAcceptance, on_delete=models.PROTECT, null=True, blank=True)
    # An NDA another app required of this visit (a screening's, sign_in_requirements.py):
    # the name the visitor typed to sign it, and what it was for.
    nda_signature = models.CharField(max_length=200, blank=True)
    nda_signed_for = models.CharField(max_length=300, blank=True)
    signed_in_at = models.DateTimeField()
    signed_out_at = models.DateTimeField(null=True, blank=True)
    auto_signed_out = models.BooleanField(default=False)
    # Set when the retention period's sweep blanked the visitor's details (privacy.py).
    anonymised_at = models.DateTimeField(null=True, blank=True)
    signed_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-signed_in_at", "-id"]
        indexes = [
            # Who is in now (signed_out_at IS NULL) and a day's visits by arrival.
            models.Index(fields=["signed_out_at", "signed_in_at"], name="frontdesk_visit_in"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(signed_out_at__isnull=False) | models.Q(auto_signed_out=False),
                name="frontdesk_visit_auto_out_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.company})" if self.company else self.name


class StaffPresence(models.Model):
    """The simple staff in/out: a member of staff's time in the building today, for the
    roll call (staff booked on a shift count as in without it)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="frontdesk_presence"
    )
    in_at = models.DateTimeField()
    out_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["out_at", "in_at"], name="frontdesk_presence_in")]
        constraints = [
            # One open stay per person: signing in twice is a no-op, not a second row.
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(out_at__isnull=True),
                name="frontdesk_presence_one_open",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id} in at {self.in_at:%Y-%m-%d %H:%M}"


class RollCall(models.Model):
    """A fire roll call: started by a marshal, closed when everyone is accounted for."""

    started_at = models.DateTimeField()
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    closed_at = models.DateTimeField(null=True, blank=True)
    # True while open, NULL once closed: unique, so two marshals starting at once share one
    # roll call (NULLs never clash, so closed ones pile up freely).
    is_open = models.BooleanField(null=True, default=True, unique=True)

    def __str__(self) -> str:
        return f"Roll call {self.started_at:%Y-%m-%d %H:%M}"


class RollCallMark(models.Model):
    """One person ticked off as safe. `person` is the roll call's key of the row
    ("visit:12", "staff:3", "shift:7"), so two marshals ticking one person make one row."""

    roll_call = models.ForeignKey(RollCall, on_delete=models.CASCADE, related_name="marks")
    person = models.CharField(max_length=40)
    name = models.CharField(max_length=200)
    marked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    marked_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["roll_call", "person"], name="frontdesk_marked_once")
        ]

    def __str__(self) -> str:
        return f"{self.name} safe"


class Message(models.Model):
    """A phone message taken at reception: who called, for whom, about what, a number to
    call back. The recipient sees it at once (home card, e-mail) and marks it dealt with."""

    caller = models.CharField(max_length=200)
    caller_company = models.CharField(max_length=200, blank=True)
    callback_number = models.CharField(max_length=40, blank=True)
    about = models.TextField(max_length=2000)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="frontdesk_messages"
    )
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    taken_at = models.DateTimeField()
    dealt_with_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-taken_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "dealt_with_at"], name="frontdesk_message_open"),
        ]

    def __str__(self) -> str:
        return f"Message from {self.caller}"


class Delivery(models.Model):
    """Something a courier brought to the front door: what, by whom, for whom. Media in
    it are registered in (or received into) the library as they arrive (`media`), so
    their chain of custody starts at the door."""

    received_at = models.DateTimeField(db_index=True)
    courier = models.CharField(max_length=100)
    tracking = models.CharField(max_length=100, blank=True)
    description = models.CharField(max_length=300)
    sender = models.CharField(max_length=200, blank=True)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="frontdesk_deliveries",
    )
    # For whom, when not a member of staff (a client in a suite, "the Grading 2 team").
    recipient_name = models.CharField(max_length=200, blank=True)
    job = models.ForeignKey("productions.Job", on_delete=models.PROTECT, null=True, blank=True)
    media = models.ManyToManyField("library.MediaItem", blank=True, related_name="+")
    # The media's barcodes, space-separated: the log's search finds "LIB-000123" without a
    # join that would repeat the row once per item.
    barcodes = models.TextField(blank=True)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-received_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(recipient__isnull=False) | ~models.Q(recipient_name=""),
                name="frontdesk_delivery_for_someone",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.courier} delivery: {self.description}"


class Dispatch(models.Model):
    """Something handed to a courier at the front door: what, where to, the courier's
    booking reference and who signed for it. Media in it go into the courier's custody
    in the library (library.services.dispatch)."""

    dispatched_at = models.DateTimeField(db_index=True)
    items = models.CharField(max_length=500)
    destination = models.CharField(max_length=300)
    courier = models.CharField(max_length=100)
    booking_reference = models.CharField(max_length=100, blank=True)
    tracking = models.CharField(max_length=100, blank=True)
    signed_for_by = models.CharField(max_length=200)
    job = models.ForeignKey("productions.Job", on_delete=models.PROTECT, null=True, blank=True)
    media = models.ManyToManyField("library.MediaItem", blank=True, related_name="+")
    barcodes = models.TextField(blank=True)  # as Delivery.barcodes
    dispatched_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-dispatched_at", "-id"]

    def __str__(self) -> str:
        return f"{self.courier} to {self.destination}: {self.items}"


class AccidentEntry(models.Model):
    """One entry of the accident book: who, when, where, what happened, the injury, the
    first aid given, and whether it is reportable under RIDDOR. Kept at least three years
    (`keep_until`): no service deletes or anonymises an entry, and the admin only reads."""

    class Person(models.TextChoices):
        STAFF = "staff", "Staff"
        VISITOR = "visitor", "Visitor"
        CONTRACTOR = "contractor", "Contractor"

    person = models.CharField(max_length=200)
    person_kind = models.CharField(max_length=12, choices=Person, default=Person.STAFF)
    happened_at = models.DateTimeField(db_index=True)
    place = models.CharField(max_length=200)
    what_happened = models.TextField(max_length=5000)
    injury = models.TextField(max_length=2000)
    first_aid = models.TextField(max_length=2000, blank=True)
    first_aider = models.CharField(max_length=200, blank=True)
    riddor_reportable = models.BooleanField(default=False)
    keep_until = models.DateField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["-happened_at", "-id"]
        verbose_name_plural = "accident book entries"

    def __str__(self) -> str:
        return f"Accident {self.happened_at:%Y-%m-%d}: {self.person}"


class CateringOrder(models.Model):
    """A drinks round, a lunch order or other catering for a session (a booking) or a
    job: from a supplier at a cost (the facility's), charged to the job as a catering
    line on its job sheet priced by the rate card (`service`), so it is billed."""

    class Kind(models.TextChoices):
        DRINKS = "drinks", "Drinks round"
        LUNCH = "lunch", "Lunch"
        OTHER = "other", "Other catering"

    job = models.ForeignKey("productions.Job", on_delete=models.PROTECT, related_name="+")
    booking = models.ForeignKey(
        "scheduling.Booking", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    contact = models.ForeignKey(
        "productions.Contact", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(max_length=10, choices=Kind, default=Kind.DRINKS)
    items = models.CharField(max_length=500)
    dietary = models.CharField(max_length=300, blank=True)
    covers = models.PositiveSmallIntegerField(default=1)
    supplier = models.CharField(max_length=200)
    cost = models.DecimalField(max_digits=10, decimal_places=2)
    currency = models.CharField(max_length=3, default="GBP")
    service = models.CharField(max_length=120)
    sheet_line = models.ForeignKey(
        "billing.JobSheetLine", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    ordered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    ordered_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["-ordered_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(cost__gte=0), name="frontdesk_catering_cost"),
            models.CheckConstraint(
                condition=models.Q(covers__gte=1, covers__lte=500),
                name="frontdesk_catering_covers",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for job {self.job_id}: {self.items}"


class CateringPreference(models.Model):
    """What a client contact takes (drinks, dietary needs), remembered from their last
    order and offered the next time they are in."""

    contact = models.OneToOneField(
        "productions.Contact", on_delete=models.CASCADE, related_name="frontdesk_catering"
    )
    drinks = models.CharField(max_length=500, blank=True)
    dietary = models.CharField(max_length=300, blank=True)
    updated_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"Catering preferences of contact {self.contact_id}"


class StockItem(models.Model):
    """A supply the front office keeps (milk, coffee, printer paper, blank drives): how
    many are left, in what unit, when to reorder and from whom. Use is a quick decrement,
    receiving adds; the shopping list is what is at or below its reorder level."""

    name = models.CharField(max_length=120, unique=True)
    unit = models.CharField(max_length=20, default="each")
    quantity = models.PositiveIntegerField(default=0)
    reorder_level = models.PositiveIntegerField(default=0)
    supplier = models.CharField(max_length=200, blank=True)
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(quantity__lte=1_000_000, reorder_level__lte=1_000_000),
                name="frontdesk_stock_bounded",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}: {self.quantity} {self.unit}"
