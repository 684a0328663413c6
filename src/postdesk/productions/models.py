"""Clients (the companies that pay), their contacts, productions and jobs."""

from django.conf import settings
from django.db import models

from postdesk.core.money import CURRENCIES, DEFAULT_CURRENCY


class Client(models.Model):
    class CreditStatus(models.TextChoices):
        GOOD = "good", "Good"
        HOLD = "hold", "On hold"
        STOP = "stop", "Stopped"

    name = models.CharField(max_length=200, unique=True)
    billing_address = models.TextField(blank=True)
    country = models.CharField(max_length=2, default="GB", help_text="ISO 3166 code")
    vat_number = models.CharField(max_length=40, blank=True)
    currency = models.CharField(
        max_length=3, default=DEFAULT_CURRENCY, choices=[(c, c) for c in CURRENCIES]
    )
    payment_terms_days = models.PositiveIntegerField(default=30)
    credit_status = models.CharField(
        max_length=10, choices=CreditStatus.choices, default=CreditStatus.GOOD
    )
    colour = models.CharField(max_length=7, default="#3b6ea5", help_text="#rrggbb on the board")
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # The board's ETag reads it: a renamed or recoloured client redraws open boards.
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Contact(models.Model):
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(max_length=200)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    position = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.client})"


class Production(models.Model):
    class Kind(models.TextChoices):
        FEATURE = "feature", "Feature film"
        SERIES = "series", "TV series"
        SINGLE = "single", "TV single / special"
        DOCUMENTARY = "documentary", "Documentary"
        COMMERCIAL = "commercial", "Commercial"
        PROMO = "promo", "Promo / music video"
        OTHER = "other", "Other"

    class Status(models.TextChoices):
        PLANNED = "planned", "Planned"
        ACTIVE = "active", "In post"
        DELIVERED = "delivered", "Delivered"
        CLOSED = "closed", "Closed"

    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.FEATURE)
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="productions")
    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="supervised_productions",
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.ACTIVE)
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # The board's ETag reads it: a renamed production redraws open boards.
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["title"]
        constraints = [
            models.UniqueConstraint(fields=["client", "title"], name="production_title_per_client")
        ]

    def __str__(self) -> str:
        return self.title


class Job(models.Model):
    class Status(models.TextChoices):
        ENQUIRY = "enquiry", "Enquiry"
        ACTIVE = "active", "Active"
        COMPLETE = "complete", "Complete"
        INVOICED = "invoiced", "Invoiced"
        CANCELLED = "cancelled", "Cancelled"

    class WorkType(models.TextChoices):
        """The kind of post work; who may book the job's sessions depends on it (the
        post coordinator books ADR and screenings only: core/roles.py)."""

        OFFLINE = "offline", "Offline edit"
        ONLINE = "online", "Online"
        GRADE = "grade", "Grade"
        MIX = "mix", "Sound mix"
        ADR = "adr", "ADR"
        SCREENING = "screening", "Screening"
        OTHER = "other", "Other"

    number = models.CharField(max_length=20, unique=True, editable=False)
    production = models.ForeignKey(Production, on_delete=models.PROTECT, related_name="jobs")
    # Denormalised from the production: every money and scope query filters by client.
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="jobs")
    description = models.CharField(max_length=300)
    work_type = models.CharField(max_length=20, choices=WorkType.choices, default=WorkType.OTHER)
    contact = models.ForeignKey(
        Contact, null=True, blank=True, on_delete=models.SET_NULL, related_name="jobs"
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_jobs",
        help_text="The coordinator looking after the job",
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.ACTIVE)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-number"]

    def __str__(self) -> str:
        return f"{self.number} {self.description}"
