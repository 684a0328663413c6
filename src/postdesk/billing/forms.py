"""Forms of the billing pages; they only parse input, the services apply the rules."""

from django import forms

from postdesk.billing.models import Category, LineKind, RateEntry, VatCode
from postdesk.core.money_display import format_money

DATE = forms.DateInput(attrs={"type": "date"})
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class QuoteForm(forms.Form):
    job = forms.ModelChoiceField(
        queryset=None, help_text="Priced from its pencils and confirmed bookings"
    )
    valid_until = forms.DateField(required=False, widget=DATE)
    notes = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        from postdesk.productions.models import Job

        super().__init__(*args, **kwargs)
        self.fields["job"].queryset = Job.objects.select_related("client").exclude(
            status__in=["cancelled", "invoiced"]
        )


class LineForm(forms.Form):
    kind = forms.ChoiceField(choices=LineKind.choices, initial=LineKind.OTHER)
    description = forms.CharField(max_length=300, required=False)
    service = forms.CharField(
        max_length=120, required=False, help_text="A service on the rate card, e.g. Courier"
    )
    quantity = forms.DecimalField(min_value=0.0001, max_digits=12, decimal_places=4, initial=1)
    unit_price = forms.DecimalField(min_value=0, max_digits=12, decimal_places=2, required=False)
    category = forms.ChoiceField(choices=[("", "From the card"), *Category.choices], required=False)
    vat_code = forms.ChoiceField(choices=[("", "From the card"), *VatCode.choices], required=False)

    def clean(self):
        data = super().clean()
        if not data.get("service") and data.get("unit_price") is None:
            self.add_error("unit_price", "Give a unit price, or name a service on the card")
        if not data.get("service") and not data.get("description"):
            self.add_error("description", "Describe the line")
        return data

    def line(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if v not in ("", None)}


class SheetTimesForm(forms.Form):
    actual_start = forms.DateTimeField(widget=DATETIME)
    actual_end = forms.DateTimeField(widget=DATETIME)
    notes = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def clean(self):
        data = super().clean()
        if (
            data.get("actual_start")
            and data.get("actual_end")
            and (data["actual_end"] <= data["actual_start"])
        ):
            self.add_error("actual_end", "The end must be after the start")
        return data


class SignForm(forms.Form):
    party = forms.ChoiceField(choices=[("operator", "Operator"), ("client", "Client contact")])
    name = forms.CharField(max_length=150)


class BookingChoiceField(forms.ModelChoiceField):
    """A booking chosen from the search results, looked up among all the bookings a sheet may
    be made for (never a slice of them, which Django cannot look a choice up in)."""

    def to_python(self, value):
        from postdesk.core.ids import MAX_ID

        if value not in self.empty_values:
            try:
                number = int(str(value))
            except ValueError:
                number = None
            if number is None or not 1 <= number <= MAX_ID:
                raise forms.ValidationError(
                    self.error_messages["invalid_choice"], code="invalid_choice"
                )
        return super().to_python(value)


class NewSheetForm(forms.Form):
    """The booking a job sheet is for; the page lists it from a search (booking_search)."""

    booking = BookingChoiceField(
        queryset=None,
        widget=forms.HiddenInput,
        error_messages={
            "required": "Choose the booking this job sheet is for",
            "invalid_choice": "That booking is not confirmed or completed work without a "
            "job sheet; search again and choose one from the list",
        },
    )

    def __init__(self, *args, **kwargs):
        from postdesk.billing.booking_search import sheetable_bookings

        super().__init__(*args, **kwargs)
        self.fields["booking"].queryset = sheetable_bookings().select_related("job__client")


class IdsChoiceField(forms.ModelMultipleChoiceField):
    """Ids past a bigint are refused as invalid choices before they reach the database,
    which would answer them with an error (a 500 on SQLite)."""

    def _check_values(self, value):
        from postdesk.core.ids import MAX_ID

        for pk in value:
            try:
                number = int(str(pk))
            except ValueError:
                continue  # the parent names it as an invalid choice
            if not 1 <= number <= MAX_ID:
                raise forms.ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": pk},
                )
        return super()._check_values(value)


class NewInvoiceForm(forms.Form):
    job_sheets = IdsChoiceField(queryset=None, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, **kwargs):
        from postdesk.billing.models import JobSheet

        super().__init__(*args, **kwargs)
        self.fields["job_sheets"].queryset = (
            JobSheet.objects.filter(status="signed_off")
            .select_related("job")
            .order_by("job__number", "actual_start")
        )
        self.fields["job_sheets"].label_from_instance = lambda s: (
            f"{s.job.number} · sheet {s.pk} · {s.actual_start:%d %b %Y} · {s.net} {s.currency}"
        )

    def clean_job_sheets(self):
        sheets = self.cleaned_data["job_sheets"]
        if len({s.job_id for s in sheets}) > 1:
            raise forms.ValidationError("Choose sheets of one job")
        return sheets


class PaymentForm(forms.Form):
    amount = forms.DecimalField(min_value=0.01, max_digits=14, decimal_places=2)
    received_on = forms.DateField(widget=DATE)
    reference = forms.CharField(max_length=100, required=False)


class CreditForm(forms.Form):
    reason = forms.CharField(max_length=300)
    amount = forms.DecimalField(
        min_value=0.01,
        max_digits=14,
        decimal_places=2,
        required=False,
        help_text="Net to credit on the chosen line; empty credits everything that remains",
    )
    line = forms.TypedChoiceField(coerce=int, required=False, empty_value=None)

    def __init__(self, *args, invoice=None, **kwargs):
        super().__init__(*args, **kwargs)
        lines = list(invoice.lines.all()) if invoice is not None else []
        self.fields["line"].choices = [("", "Whole invoice")] + [
            (x.pk, f"{x.description} ({format_money(x.net, invoice.currency)} net)") for x in lines
        ]

    def clean(self):
        data = super().clean()
        if data.get("line") and data.get("amount") is None:
            self.add_error("amount", "Say how much of the line to credit")
        return data


class RateCardForm(forms.Form):
    name = forms.CharField(max_length=120)
    is_standard = forms.BooleanField(required=False)
    currency = forms.ChoiceField(
        choices=[(c, c) for c in ("GBP", "EUR", "USD", "CAD", "AUD", "CHF", "JPY")]
    )
    valid_from = forms.DateField(required=False, widget=DATE)


class RateEntryForm(forms.Form):
    target = forms.ChoiceField(
        choices=[
            ("resource_kind", "Kind of resource"),
            ("skill", "Skill"),
            ("resource", "Resource"),
            ("service", "Service or consumable"),
        ]
    )
    resource_kind = forms.ChoiceField(
        choices=[("", "—"), ("room", "Room"), ("equipment", "Equipment"), ("person", "Person")],
        required=False,
    )
    skill = forms.ModelChoiceField(queryset=None, required=False)
    resource = forms.ModelChoiceField(queryset=None, required=False)
    service = forms.CharField(max_length=120, required=False)
    label = forms.CharField(max_length=120, required=False)
    unit = forms.ChoiceField(choices=RateEntry.Unit.choices)
    hourly = forms.DecimalField(min_value=0, max_digits=12, decimal_places=2, required=False)
    half_day = forms.DecimalField(min_value=0, max_digits=12, decimal_places=2, required=False)
    day = forms.DecimalField(min_value=0, max_digits=12, decimal_places=2, required=False)
    unit_price = forms.DecimalField(min_value=0, max_digits=12, decimal_places=2, required=False)
    category = forms.ChoiceField(choices=Category.choices)
    nominal_code = forms.CharField(max_length=20, required=False)
    vat_code = forms.ChoiceField(choices=VatCode.choices)

    def __init__(self, *args, **kwargs):
        from postdesk.scheduling.models import Resource, Skill

        super().__init__(*args, **kwargs)
        self.fields["skill"].queryset = Skill.objects.all()
        self.fields["resource"].queryset = Resource.objects.filter(archived_at__isnull=True)

    def clean(self):
        data = super().clean()
        target = data.get("target")
        if target and not data.get(target):
            self.add_error(target, "Choose what this entry prices")
        return data

    def entry(self) -> dict:
        data = dict(self.cleaned_data)
        target = data.pop("target")
        keep = {target, "resource_kind"} if target == "skill" else {target}
        for name in ("resource_kind", "skill", "resource", "service"):
            if name not in keep:
                data.pop(name)
        return {k: v for k, v in data.items() if v not in (None, "") or k == "label"}


class BudgetForm(forms.Form):
    category = forms.ChoiceField(choices=Category.choices)
    amount = forms.DecimalField(min_value=0, max_digits=14, decimal_places=2)
    notes = forms.CharField(max_length=300, required=False)
