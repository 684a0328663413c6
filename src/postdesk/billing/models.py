"""Rate cards and client deals, quotes, job sheets, invoices, credit notes, payments, budgets.

Every money amount is a Decimal with the document's currency beside it; each line stores
its own rounded net, VAT and gross (DOMAIN rule 5). Issued invoices and credit notes are
snapshots that the model refuses to change (DOMAIN rule 6).

Longer than the 600 lines a module is held to (tests/test_module_sizes.py): fifteen
models of one app (and three abstract bases) with the constraints and indexes the
database holds for each, kept where Django and readers look for an app's tables.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q

from postdesk.core.errors import InvalidTransition
from postdesk.core.money import CURRENCIES, DEFAULT_CURRENCY

CURRENCY_CHOICES = [(c, c) for c in CURRENCIES]
ZERO = Decimal("0")


def money_field(**kwargs):
    return models.DecimalField(max_digits=14, decimal_places=2, default=ZERO, **kwargs)


class Category(models.TextChoices):
    """Cost report categories: where a line of work falls in a production's budget."""

    OFFLINE = "offline", "Offline"
    ONLINE = "online", "Online"
    GRADE = "grade", "Grade"
    MIX = "mix", "Mix"
    ADR = "adr", "ADR"
    DELIVERABLES = "deliverables", "Deliverables"
    MEDIA = "media", "Stock & media"
    SERVICES = "services", "Services"
    OTHER = "other", "Other"


class VatCode(models.TextChoices):
    """A supply's own VAT class at home: what rate cards and entered lines say."""

    STANDARD = "standard", "Standard"
    ZERO = "zero", "Zero rated"
    EXEMPT = "exempt", "Exempt"


class LineVatCode(models.TextChoices):
    """The VAT a line applies: its supply's own class for a client at home, or none for a
    client abroad, where the supply is outside the scope of UK VAT (billing/vat.py)."""

    STANDARD = "standard", "Standard"
    ZERO = "zero", "Zero rated"
    EXEMPT = "exempt", "Exempt"
    OUTSIDE = "outside", "Outside the scope of UK VAT"


class VatTreatment(models.TextChoices):
    """How an invoice's client is taxed, decided at the tax point (billing/vat.py)."""

    DOMESTIC = "domestic", "UK VAT"
    REVERSE_CHARGE = "reverse_charge", "Reverse charge"
    OUTSIDE_SCOPE = "outside_scope", "Outside the scope of UK VAT"


class LineKind(models.TextChoices):
    BOOKING = "booking", "Booking"
    SERVICE = "service", "Service"
    STOCK = "stock", "Stock"
    MEDIA = "media", "Media"
    CATERING = "catering", "Catering"
    COURIER = "courier", "Courier"
    OTHER = "other", "Other"


# --- rate cards -----------------------------------------------------------------------


class RateCard(models.Model):
    """A price list. The standard card applies to everyone; a client deal may name another."""

    name = models.CharField(max_length=120)
    is_standard = models.BooleanField(default=False)
    currency = models.CharField(max_length=3, default=DEFAULT_CURRENCY, choices=CURRENCY_CHOICES)
    # A card applies from this date on (None: always); the latest valid card wins.
    valid_from = models.DateField(null=True, blank=True)
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # An archived card prices nothing; it stays for the documents and the audit that name it.
    archived_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-is_standard", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["name", "valid_from"], name="rate_card_name_valid_from"
            ),
            # Per currency, one standard card in force from each date and one without a date:
            # another would silently replace the whole standard price list (issue 10).
            models.UniqueConstraint(
                fields=["currency"],
                condition=Q(is_standard=True, valid_from__isnull=True, archived_at__isnull=True),
                name="rate_card_one_undated_standard",
            ),
            models.UniqueConstraint(
                fields=["currency", "valid_from"],
                condition=Q(is_standard=True, archived_at__isnull=True),
                name="rate_card_one_standard_per_date",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None


class RateEntry(models.Model):
    """One price on a card: for a resource, a skill, a kind of resource, or a service."""

    class Unit(models.TextChoices):
        TIME = "time", "Hour / half day / day"
        ITEM = "item", "Each"

    card = models.ForeignKey(RateCard, on_delete=models.CASCADE, related_name="entries")
    resource = models.ForeignKey(
        "scheduling.Resource",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="rate_entries",
    )
    skill = models.ForeignKey(
        "scheduling.Skill",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="rate_entries",
    )
    resource_kind = models.CharField(max_length=20, blank=True)
    service = models.CharField(max_length=120, blank=True, help_text="Stock, courier, catering…")
    label = models.CharField(max_length=120, blank=True)
    unit = models.CharField(max_length=10, choices=Unit.choices, default=Unit.TIME)
    hourly = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    half_day = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    day = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    unit_price = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    category = models.CharField(max_length=20, choices=Category.choices, default=Category.OTHER)
    nominal_code = models.CharField(max_length=20, blank=True)
    vat_code = models.CharField(max_length=10, choices=VatCode.choices, default=VatCode.STANDARD)

    class Meta:
        ordering = ["card_id", "pk"]
        constraints = [
            # One target; a skill entry may also name a kind ("Baselight" rooms vs people).
            models.CheckConstraint(
                name="rate_entry_one_target",
                condition=(
                    Q(resource__isnull=False, skill__isnull=True, resource_kind="", service="")
                    | Q(resource__isnull=True, skill__isnull=False, service="")
                    | (
                        Q(resource__isnull=True, skill__isnull=True, service="")
                        & ~Q(resource_kind="")
                    )
                    | (
                        Q(resource__isnull=True, skill__isnull=True, resource_kind="")
                        & ~Q(service="")
                    )
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.label or self.target

    @property
    def target(self) -> str:
        if self.resource_id:
            return f"resource {self.resource}"
        if self.skill_id:
            kind = f" ({self.resource_kind})" if self.resource_kind else ""
            return f"skill {self.skill}{kind}"
        if self.resource_kind:
            return f"kind {self.resource_kind}"
        return f"service {self.service}"


class ClientDeal(models.Model):
    """A client's terms: its own card (tried before the standard one) and/or a discount."""

    client = models.OneToOneField(
        "productions.Client", on_delete=models.CASCADE, related_name="deal"
    )
    card = models.ForeignKey(
        RateCard, null=True, blank=True, on_delete=models.PROTECT, related_name="deals"
    )
    discount_percent = models.DecimalField(max_digits=5, decimal_places=2, default=ZERO)
    notes = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(discount_percent__gte=0, discount_percent__lte=100),
                name="deal_discount_0_100",
            )
        ]

    def __str__(self) -> str:
        return f"Deal for {self.client}"


# --- lines shared by quotes, job sheets and invoices -----------------------------------


class PricedLine(models.Model):
    """A priced line: quantity × unit price with its breakdown, net/VAT/gross rounded once."""

    kind = models.CharField(max_length=20, choices=LineKind.choices, default=LineKind.OTHER)
    description = models.CharField(max_length=300)
    resource = models.ForeignKey(
        "scheduling.Resource", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    booking = models.ForeignKey(
        "scheduling.Booking", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    date = models.DateField(null=True, blank=True)
    quantity = models.DecimalField(max_digits=12, decimal_places=4, default=Decimal(1))
    unit_price = models.DecimalField(max_digits=12, decimal_places=2, default=ZERO)
    # How the net was reached: hours, base rule, overtime, multiplier, discount, rate source.
    breakdown = models.JSONField(default=dict, blank=True)
    category = models.CharField(max_length=20, choices=Category.choices, default=Category.OTHER)
    nominal_code = models.CharField(max_length=20, blank=True)
    vat_code = models.CharField(
        max_length=10, choices=LineVatCode.choices, default=LineVatCode.STANDARD
    )
    # The supply's own class (from the card, or as entered), kept so that the treatment
    # decided at the tax point can set vat_code either way. Blank on lines made before it
    # was kept: vat_code stands for it.
    supply_vat_code = models.CharField(max_length=10, choices=VatCode.choices, blank=True)
    vat_rate = models.DecimalField(max_digits=5, decimal_places=2, default=ZERO)
    net = money_field()
    vat = money_field()
    gross = money_field()
    position = models.PositiveIntegerField(default=0)

    class Meta:
        abstract = True
        ordering = ["position", "pk"]


# --- what every document shares ---------------------------------------------------------


class Document(models.Model):
    """Quotes, job sheets, invoices and credit notes: one currency, totals summed from the
    lines' rounded amounts, newest first."""

    currency = models.CharField(max_length=3, default=DEFAULT_CURRENCY, choices=CURRENCY_CHOICES)
    net = money_field()
    vat = money_field()
    gross = money_field()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["-created_at", "-pk"]


class CreatedBy(models.Model):
    """Who made the record; kept (as null) when that user is deleted."""

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        abstract = True


# --- quotes -----------------------------------------------------------------------------


class Quote(CreatedBy, Document):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SENT = "sent", "Sent"
        ACCEPTED = "accepted", "Accepted"
        DECLINED = "declined", "Declined"
        EXPIRED = "expired", "Expired"

    job = models.ForeignKey("productions.Job", on_delete=models.PROTECT, related_name="quotes")
    version = models.PositiveIntegerField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    valid_until = models.DateField()
    notes = models.TextField(blank=True)
    terms = models.TextField(blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    responded_at = models.DateTimeField(null=True, blank=True)
    responded_by = models.CharField(max_length=150, blank=True)

    class Meta(Document.Meta):
        constraints = [
            models.UniqueConstraint(fields=["job", "version"], name="quote_version_per_job")
        ]

    def __str__(self) -> str:
        return f"Quote {self.reference}"

    @property
    def reference(self) -> str:
        return f"{self.job.number} v{self.version}"

    @property
    def needs_approval(self) -> bool:
        return self.net > Decimal(str(settings.POSTDESK["QUOTE_APPROVAL_THRESHOLD"]))


class QuoteLine(PricedLine):
    quote = models.ForeignKey(Quote, on_delete=models.CASCADE, related_name="lines")

    class Meta(PricedLine.Meta):
        pass

    def __str__(self) -> str:
        return self.description


# --- job sheets -------------------------------------------------------------------------


class JobSheet(Document):
    """What was actually used on one booking, signed off by the operator and the client."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SIGNED_OFF = "signed_off", "Signed off"
        INVOICED = "invoiced", "Invoiced"

    job = models.ForeignKey("productions.Job", on_delete=models.PROTECT, related_name="job_sheets")
    booking = models.OneToOneField(
        "scheduling.Booking",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="job_sheet",
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)
    actual_start = models.DateTimeField(null=True, blank=True)
    actual_end = models.DateTimeField(null=True, blank=True)
    notes = models.TextField(blank=True)
    operator_name = models.CharField(max_length=150, blank=True)
    operator_signed_at = models.DateTimeField(null=True, blank=True)
    client_name = models.CharField(max_length=150, blank=True)
    client_signed_at = models.DateTimeField(null=True, blank=True)
    invoice = models.ForeignKey(
        "Invoice", null=True, blank=True, on_delete=models.SET_NULL, related_name="job_sheets"
    )

    class Meta(Document.Meta):
        constraints = [
            models.CheckConstraint(
                condition=Q(actual_start__isnull=True)
                | Q(actual_end__isnull=True)
                | Q(actual_start__lt=models.F("actual_end")),
                name="job_sheet_start_before_end",
            )
        ]

    def __str__(self) -> str:
        return f"Job sheet {self.pk} ({self.job.number})"


class JobSheetLine(PricedLine):
    sheet = models.ForeignKey(JobSheet, on_delete=models.CASCADE, related_name="lines")

    class Meta(PricedLine.Meta):
        pass

    def __str__(self) -> str:
        return self.description


# --- invoices ---------------------------------------------------------------------------


class GuardedQuerySet(models.QuerySet):
    """Bulk update/delete may not reach issued rows (they bypass save() and delete())."""

    issued_filter: dict = {"status": "issued"}

    def update(self, **kwargs):
        if self.filter(**self.issued_filter).exists():
            raise InvalidTransition("An issued document can never be changed")
        return super().update(**kwargs)

    def delete(self):
        if self.filter(**self.issued_filter).exists():
            raise InvalidTransition("An issued document can never be deleted")
        return super().delete()


class LineQuerySet(GuardedQuerySet):
    issued_filter = {"invoice__status": "issued"}


class Invoice(CreatedBy, Document):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        ISSUED = "issued", "Issued"

    job = models.ForeignKey("productions.Job", on_delete=models.PROTECT, related_name="invoices")
    client = models.ForeignKey(
        "productions.Client", on_delete=models.PROTECT, related_name="invoices"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    number = models.CharField(max_length=40, null=True, blank=True, unique=True)
    issue_date = models.DateField(null=True, blank=True)
    due_date = models.DateField(null=True, blank=True)
    issued_at = models.DateTimeField(null=True, blank=True)
    # Snapshot of the client at issue.
    client_name = models.CharField(max_length=200, blank=True)
    client_address = models.TextField(blank=True)
    client_country = models.CharField(max_length=2, blank=True)
    client_vat_number = models.CharField(max_length=40, blank=True)
    # The place-of-supply treatment decided at the tax point (issue); reverse_charge is kept
    # for the API and exports that already read it.
    vat_treatment = models.CharField(
        max_length=20, choices=VatTreatment.choices, default=VatTreatment.DOMESTIC
    )
    reverse_charge = models.BooleanField(default=False)
    # The supplier's details as printed when issued (name, address, VAT and company
    # numbers, bank details): a later change of the facility's details leaves it as it was.
    supplier = models.JSONField(default=dict, blank=True)
    notes = models.TextField(blank=True)

    objects = GuardedQuerySet.as_manager()

    class Meta(Document.Meta):
        constraints = [
            models.CheckConstraint(
                condition=Q(status="draft") | Q(number__isnull=False, issue_date__isnull=False),
                name="issued_invoice_has_number",
            )
        ]

    def __str__(self) -> str:
        return self.number or f"Draft invoice {self.pk}"

    def save(self, *args, **kwargs):
        if self.is_issued:
            raise InvalidTransition(f"Invoice {self.number} is issued and can never be changed")
        super().save(*args, **kwargs)
        self._loaded_status = self.status

    def delete(self, *args, **kwargs):
        if self.is_issued or self.status == self.Status.ISSUED:
            raise InvalidTransition(f"Invoice {self.number} is issued and can never be deleted")
        return super().delete(*args, **kwargs)

    @classmethod
    def from_db(cls, db, field_names, values):
        obj = super().from_db(db, field_names, values)
        obj._loaded_status = obj.__dict__.get("status")
        return obj

    @property
    def is_issued(self) -> bool:
        """Issued as loaded from the database (an unsaved change of status does not count)."""
        return getattr(self, "_loaded_status", None) == self.Status.ISSUED


class InvoiceLine(PricedLine):
    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="lines")

    objects = LineQuerySet.as_manager()

    class Meta(PricedLine.Meta):
        pass

    def __str__(self) -> str:
        return self.description

    def save(self, *args, **kwargs):
        self._refuse_if_issued()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        self._refuse_if_issued()
        return super().delete(*args, **kwargs)

    def _refuse_if_issued(self):
        if Invoice.objects.filter(pk=self.invoice_id, status=Invoice.Status.ISSUED).exists():
            raise InvalidTransition("Lines of an issued invoice can never be changed")


class Payment(CreatedBy, models.Model):
    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="payments")
    amount = models.DecimalField(max_digits=14, decimal_places=2)
    received_on = models.DateField()
    reference = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["received_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="payment_amount_positive")
        ]

    def __str__(self) -> str:
        return f"{self.amount} on {self.received_on}"


class CreditNote(CreatedBy, Document):
    """A correction of an issued invoice; issued (numbered) when made, never changed."""

    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="credit_notes")
    number = models.CharField(max_length=40, unique=True)
    status = models.CharField(max_length=10, default="issued", editable=False)
    issue_date = models.DateField()
    reason = models.CharField(max_length=300)
    supplier = models.JSONField(default=dict, blank=True)

    objects = GuardedQuerySet.as_manager()

    class Meta(Document.Meta):
        pass

    def __str__(self) -> str:
        return self.number

    def save(self, *args, **kwargs):
        if self.pk is not None and not kwargs.get("force_insert"):
            raise InvalidTransition(f"Credit note {self.number} can never be changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise InvalidTransition(f"Credit note {self.number} can never be deleted")


class CreditNoteLine(models.Model):
    credit_note = models.ForeignKey(CreditNote, on_delete=models.PROTECT, related_name="lines")
    invoice_line = models.ForeignKey(InvoiceLine, on_delete=models.PROTECT, related_name="credits")
    description = models.CharField(max_length=300)
    vat_code = models.CharField(
        max_length=10, choices=LineVatCode.choices, default=LineVatCode.STANDARD
    )
    vat_rate = models.DecimalField(max_digits=5, decimal_places=2, default=ZERO)
    nominal_code = models.CharField(max_length=20, blank=True)
    net = money_field()
    vat = money_field()
    gross = money_field()

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.description

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise InvalidTransition("Lines of a credit note can never be changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise InvalidTransition("Lines of a credit note can never be deleted")


# --- budgets ----------------------------------------------------------------------------


class BudgetLine(models.Model):
    production = models.ForeignKey(
        "productions.Production", on_delete=models.CASCADE, related_name="budget_lines"
    )
    category = models.CharField(max_length=20, choices=Category.choices)
    amount = models.DecimalField(max_digits=14, decimal_places=2)
    currency = models.CharField(max_length=3, default=DEFAULT_CURRENCY, choices=CURRENCY_CHOICES)
    notes = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["production_id", "category"]
        constraints = [
            models.UniqueConstraint(
                fields=["production", "category"], name="budget_line_per_category"
            )
        ]

    def __str__(self) -> str:
        return f"{self.production_id} {self.category}: {self.amount}"


# --- what cost reports read: exchange rates and the category mapping ----------------------


class ExchangeRate(models.Model):
    """From `valid_from` on (until the pair's next rate), 1 `currency` = `rate` `to_currency`.

    Kept by accounts. Cost reports convert at the rate in force on their date and name it;
    with no rate for a pair they say so rather than guess (billing.exchange)."""

    currency = models.CharField(max_length=3, choices=CURRENCY_CHOICES)
    to_currency = models.CharField(max_length=3, choices=CURRENCY_CHOICES)
    rate = models.DecimalField(max_digits=16, decimal_places=6)
    valid_from = models.DateField()
    source = models.CharField(
        max_length=120, blank=True, help_text="Where the rate comes from, e.g. the bank's rate"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["currency", "to_currency", "-valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["currency", "to_currency", "valid_from"], name="exchange_rate_per_day"
            ),
            models.CheckConstraint(condition=Q(rate__gt=0), name="exchange_rate_positive"),
            models.CheckConstraint(
                condition=~Q(currency=models.F("to_currency")), name="exchange_rate_two_currencies"
            ),
        ]

    def __str__(self) -> str:
        rate = f"{self.rate.normalize():f}"
        return f"1 {self.currency} = {rate} {self.to_currency} from {self.valid_from}"


class CategoryRule(models.Model):
    """Which budget category work on a resource falls in: by the resource itself, by one of
    its skills (optionally only on one kind of resource), or by its kind.

    The resource's own rule wins, then its skill rules by rank (lowest first; a rule for
    its kind before one for any kind), then its kind's rule; with none, the category the
    rate card gave the line stands. So a colourist on a DI grade lands in Grade whatever
    card priced them."""

    resource = models.ForeignKey(
        "scheduling.Resource",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="category_rules",
    )
    skill = models.ForeignKey(
        "scheduling.Skill",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="category_rules",
    )
    resource_kind = models.CharField(max_length=20, blank=True)
    category = models.CharField(max_length=20, choices=Category.choices)
    rank = models.PositiveIntegerField(
        default=100, help_text="When a resource has several mapped skills, the lowest rank wins"
    )

    class Meta:
        ordering = ["rank", "pk"]
        constraints = [
            models.CheckConstraint(
                name="category_rule_one_target",
                condition=(
                    Q(resource__isnull=False, skill__isnull=True, resource_kind="")
                    | Q(resource__isnull=True, skill__isnull=False)
                    | (Q(resource__isnull=True, skill__isnull=True) & ~Q(resource_kind=""))
                ),
            ),
            models.UniqueConstraint(
                fields=["resource"],
                condition=Q(resource__isnull=False),
                name="category_rule_per_resource",
            ),
            models.UniqueConstraint(
                fields=["skill", "resource_kind"],
                condition=Q(skill__isnull=False),
                name="category_rule_per_skill_kind",
            ),
            models.UniqueConstraint(
                fields=["resource_kind"],
                condition=Q(resource__isnull=True, skill__isnull=True),
                name="category_rule_per_kind",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.target} → {self.get_category_display()}"

    @property
    def target(self) -> str:
        if self.resource_id:
            return f"resource {self.resource}"
        if self.skill_id:
            kind = f" ({self.resource_kind})" if self.resource_kind else ""
            return f"skill {self.skill}{kind}"
        return f"kind {self.resource_kind}"
