"""Users, sites, the audit log, API tokens and number sequences."""

import datetime
import zoneinfo

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models


class User(AbstractUser):
    """A person who signs in. Their role is the Django group they belong to (see roles.py).

    A client user belongs to one client company and sees only that company's records.
    """

    client = models.ForeignKey(
        "productions.Client",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
        help_text="Only for users of the client role: the company whose records they see.",
    )

    @property
    def role(self) -> str | None:
        from postdesk.core.roles import role_of

        return role_of(self)

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username


class RolePermissions(models.Model):
    """Holds no rows: it only carries the permissions that roles are made of (roles.py)."""

    class Meta:
        managed = False
        default_permissions = ()
        permissions = [
            ("view_board", "See the booking board, bookings and resources"),
            ("change_bookings", "Create, move, confirm, release and cancel bookings"),
            ("manage_resources", "Create and change resources and skills"),
            ("view_clients", "See clients, contacts, productions and jobs"),
            ("change_clients", "Create and change clients, contacts, productions and jobs"),
            ("view_money", "See rates, quotes, job sheets, invoices and cost reports"),
            ("change_money", "Change rate cards, quotes, job sheets, invoices and credit notes"),
            ("approve_quotes", "Approve quotes over the approval threshold"),
            ("change_budgets", "Enter production budgets"),
            ("respond_quotes", "Accept or decline quotes sent to the user's company"),
            ("view_audit", "Read the audit log"),
            ("manage_users", "Create users and API tokens for others"),
            ("report_faults", "Report an equipment or room fault"),
            ("view_engineering", "See the equipment register, fault tickets, maintenance and PAT"),
            ("manage_engineering", "Keep the register, work on faults, maintenance and PAT"),
        ]

    def __str__(self) -> str:
        return "role permissions"


def validate_time_zone(value: str) -> None:
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError) as exc:
        raise ValidationError(f"{value!r} is not a known time zone") from exc


class Site(models.Model):
    """A building of the facility, with its own time zone and public holidays."""

    name = models.CharField(max_length=100, unique=True)
    code = models.SlugField(max_length=20, unique=True)
    time_zone = models.CharField(
        max_length=64, default="Europe/London", validators=[validate_time_zone]
    )
    address = models.TextField(blank=True)
    # Country and subdivision for the `holidays` package (GB + ENG = England and Wales).
    country = models.CharField(max_length=2, default="GB")
    subdivision = models.CharField(max_length=10, blank=True, default="ENG")

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)


class AuditQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("The audit log is append-only")

    def delete(self):
        raise PermissionError("The audit log is append-only")


class AuditEntry(models.Model):
    """One change made through a service: who, when, what, and the fields before and after."""

    class Action(models.TextChoices):
        CREATE = "create"
        UPDATE = "update"
        DELETE = "delete"
        TRANSITION = "transition"

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    # PROTECT: the database refuses changes to audit rows (migrations 0004 and 0005), so a
    # user who appears in the log is deactivated, never deleted.
    actor = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Kept even if the user is later removed, and for system actors ("worker").
    actor_label = models.CharField(max_length=150)
    object_type = models.CharField(max_length=100)
    object_id = models.CharField(max_length=64)
    action = models.CharField(max_length=20, choices=Action.choices)
    # {"field": [before, after], ...}; for a transition also the verb in `summary`.
    changes = models.JSONField(default=dict, blank=True)
    summary = models.CharField(max_length=300, blank=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id", "at"])]
        verbose_name_plural = "audit entries"

    def __str__(self) -> str:
        return (
            f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} "
            f"{self.object_type}#{self.object_id}"
        )

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("The audit log is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("The audit log is append-only")


class ApiTokenQuerySet(models.QuerySet):
    def update(self, **kwargs):
        if "revoked_at" in kwargs and kwargs["revoked_at"] is None:
            raise PermissionError("A revoked API token stays revoked")
        return super().update(**kwargs)


class ApiToken(models.Model):
    """A personal API token. Only its SHA-256 is stored; the token is shown once.

    Revoking is for good: neither a save nor an update clears `revoked_at` (a token that
    leaked and was revoked must not come back to life through any screen or script).
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100, default="API token")
    prefix = models.CharField(max_length=12, help_text="First characters, to recognise it")
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"

    def save(self, *args, **kwargs):
        update_fields = kwargs.get("update_fields")
        if (
            self.pk is not None
            and self.revoked_at is None
            and (update_fields is None or "revoked_at" in update_fields)
            and ApiToken.objects.filter(pk=self.pk, revoked_at__isnull=False).exists()
        ):
            raise PermissionError("A revoked API token stays revoked")
        super().save(*args, **kwargs)

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class Sequence(models.Model):
    """A named counter handed out inside the caller's transaction, so numbers never skip."""

    name = models.CharField(max_length=50, unique=True)
    last_value = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.name}={self.last_value}"


class FacilitySettings(models.Model):
    """The facility's own business details, changed by admins on a page (DESIGN: business
    settings live in the database; only deployment settings are environment variables).

    One row (pk 1), made on first read from the environment's defaults; read it through
    `postdesk.core.facility.current()`.
    """

    name = models.CharField(max_length=200)
    address = models.TextField(blank=True, help_text="Postal address, one line per line")
    country = models.CharField(max_length=2, default="GB", help_text="ISO 3166 code")
    vat_number = models.CharField("VAT registration number", max_length=40, blank=True)
    company_number = models.CharField(max_length=40, blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    bank_details = models.TextField(
        blank=True, help_text="Account name, sort code, account number, IBAN and BIC"
    )
    payment_terms_days = models.PositiveSmallIntegerField(
        default=30, help_text="Days from the invoice date to when it is due"
    )
    document_footer = models.TextField(
        blank=True, help_text="Printed at the foot of quotes, job sheets and invoices"
    )
    logo = models.ImageField(upload_to="facility/", blank=True)
    locale = models.CharField(
        max_length=20, default="en_GB", help_text="How money and dates are written (e.g. en_GB)"
    )
    # The board's working window: each day is drawn from day_start to day_end unless the
    # user asks for 24 hours; work outside it is drawn at the edge and marked.
    board_day_start = models.TimeField(default=datetime.time(7, 0))
    board_day_end = models.TimeField(default=datetime.time(23, 0))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "facility settings"
        verbose_name_plural = "facility settings"
        constraints = [
            models.CheckConstraint(condition=models.Q(pk=1), name="facility_settings_single_row"),
            models.CheckConstraint(
                condition=models.Q(board_day_start__lt=models.F("board_day_end")),
                name="facility_board_day_start_before_end",
            ),
        ]

    def __str__(self) -> str:
        return self.name
