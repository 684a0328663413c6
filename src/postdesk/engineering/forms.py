"""Engineering's forms: they validate; the services write."""

import datetime

from django import forms
from django.utils import timezone

from postdesk.core import timecode as tc
from postdesk.engineering.models import Asset, FaultTicket, PatTest
from postdesk.engineering.pat import RISK_CLASSES
from postdesk.library.models import Location
from postdesk.scheduling.models import Resource

RATE_CHOICES = [(r, r) for r in tc.RATE_NAMES]


def _rooms():
    return Resource.objects.filter(kind=Resource.Kind.ROOM, archived_at__isnull=True).order_by(
        "name"
    )


class LocalDateTime(forms.DateTimeField):
    """A facility-time date and time from a datetime-local input, as an aware instant."""

    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")

    def to_python(self, value):
        value = super().to_python(value)
        if value is not None and timezone.is_naive(value):
            value = timezone.make_aware(value)
        return value


class AssetForm(forms.Form):
    tag = forms.CharField(max_length=40, help_text="The barcode on its label")
    make = forms.CharField(max_length=100)
    model = forms.CharField(max_length=100)
    serial = forms.CharField(max_length=100, required=False)
    supplier = forms.CharField(max_length=120, required=False)
    purchase_date = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    warranty_end = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    status = forms.ChoiceField(choices=Asset.Status.choices, initial=Asset.Status.IN_SERVICE)
    room = forms.ModelChoiceField(queryset=Resource.objects.none(), required=False)
    library_location = forms.ModelChoiceField(
        queryset=Location.objects.none(),
        required=False,
        help_text="Or where it is kept in the library (a store, a shelf of spares)",
    )
    critical = forms.BooleanField(required=False, help_text="The room cannot work without it")
    resource = forms.ModelChoiceField(
        queryset=Resource.objects.none(),
        required=False,
        help_text="The equipment resource it is booked as on the board, if any",
    )
    risk_class = forms.ChoiceField(
        choices=[("", "—")] + [(k, v.label) for k, v in RISK_CLASSES.items()], required=False
    )
    notes = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=5000
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["room"].queryset = _rooms()
        self.fields["library_location"].queryset = Location.objects.filter(archived=False).order_by(
            "name"
        )
        self.fields["resource"].queryset = Resource.objects.filter(
            kind=Resource.Kind.EQUIPMENT, archived_at__isnull=True
        ).order_by("name")


class ReportForm(forms.Form):
    """The phone-sized fault report: room, how bad, what is wrong. Nothing else."""

    room = forms.ModelChoiceField(queryset=Resource.objects.none(), empty_label="Which room?")
    severity = forms.ChoiceField(
        choices=FaultTicket.Severity.choices, widget=forms.RadioSelect, initial="degraded"
    )
    description = forms.CharField(
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": "What is wrong?"}),
    )
    photo = forms.ImageField(required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["room"].queryset = _rooms()


class StateForm(forms.Form):
    state = forms.ChoiceField(choices=FaultTicket.State.choices)
    text = forms.CharField(max_length=5000, required=False, label="Note")
    minutes = forms.IntegerField(min_value=0, max_value=24 * 60, initial=0, label="Minutes spent")


class NoteForm(forms.Form):
    text = forms.CharField(max_length=5000, widget=forms.Textarea(attrs={"rows": 2}), label="Note")
    minutes = forms.IntegerField(min_value=0, max_value=24 * 60, initial=0, label="Minutes spent")


class EstimateForm(forms.Form):
    estimate_until = LocalDateTime(label="Back in use by (facility time)")


class ScheduleForm(forms.Form):
    title = forms.CharField(max_length=200)
    room = forms.ModelChoiceField(queryset=Resource.objects.none())
    asset = forms.ModelChoiceField(queryset=Asset.objects.none(), required=False)
    every_days = forms.IntegerField(min_value=1, max_value=10_000, required=False)
    every_booked_hours = forms.IntegerField(min_value=1, max_value=10_000, required=False)
    duration_minutes = forms.IntegerField(min_value=15, max_value=24 * 60, initial=120)
    last_done_at = LocalDateTime(required=False, label="Last done (facility time)")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["room"].queryset = _rooms()
        self.fields["asset"].queryset = Asset.objects.exclude(status=Asset.Status.RETIRED)


class PatForm(forms.Form):
    asset = forms.ModelChoiceField(queryset=Asset.objects.none())
    tested_on = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    tester = forms.CharField(max_length=120)
    result = forms.ChoiceField(choices=PatTest.Result.choices)
    notes = forms.CharField(max_length=5000, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["asset"].queryset = Asset.objects.exclude(risk_class="").exclude(
            status=Asset.Status.RETIRED
        )
        self.fields["tested_on"].initial = datetime.date.today


class TimecodeForm(forms.Form):
    OPERATIONS = [
        ("convert", "Convert to another rate"),
        ("add", "Add"),
        ("subtract", "Subtract"),
        ("duration", "Duration to"),
    ]
    timecode = forms.CharField(max_length=tc.MAX_TEXT, initial="01:00:00:00")
    rate = forms.ChoiceField(choices=RATE_CHOICES, initial="25")
    operation = forms.ChoiceField(choices=OPERATIONS, initial="convert")
    other = forms.CharField(
        max_length=tc.MAX_TEXT,
        required=False,
        label="Other timecode",
        help_text="For add, subtract and duration",
    )
    to_rate = forms.ChoiceField(choices=RATE_CHOICES, initial="23.976", label="To rate")

    def calculate(self) -> list[tuple[str, str]]:
        """What the page shows: (label, value) lines, or a form error saying why not."""
        d = self.cleaned_data
        text, rate, op = d["timecode"], d["rate"], d["operation"]
        try:
            frames = tc.timecode_to_frames(text, rate)
            lines = [
                ("Frames", f"{frames:,}"),
                ("Real time", f"{float(tc.seconds(frames, rate)):.3f} s"),
            ]
            if op == "convert":
                lines.append((f"At {d['to_rate']}", tc.convert(text, rate, d["to_rate"])))
            elif not d["other"]:
                raise ValueError("give the other timecode")
            elif op == "add":
                lines.append(("Sum", tc.add(text, d["other"], rate)))
            elif op == "subtract":
                lines.append(("Difference", tc.subtract(text, d["other"], rate)))
            else:
                frames = tc.duration(text, d["other"], rate)
                lines.append(
                    ("Duration", f"{tc.frames_to_timecode(frames, rate)} ({frames:,} frames)")
                )
            return lines
        except ValueError as exc:
            self.add_error(None, str(exc))
            return []


class SignalPathForm(forms.Form):
    text = forms.CharField(
        max_length=20_000, required=False, widget=forms.Textarea(attrs={"rows": 10})
    )
    diagram = forms.FileField(required=False, help_text="PDF, PNG, JPEG or SVG")


class MachineForm(forms.Form):
    room = forms.ModelChoiceField(queryset=Resource.objects.none())
    hostname = forms.RegexField(max_length=100, regex=r"^[A-Za-z0-9][A-Za-z0-9.-]*$")
    ip_address = forms.GenericIPAddressField(required=False, label="IP address")
    vlan = forms.IntegerField(min_value=1, max_value=4094, required=False, label="VLAN")
    switch_port = forms.CharField(max_length=60, required=False)
    os = forms.CharField(max_length=100, required=False, label="OS")
    notes = forms.CharField(max_length=5000, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["room"].queryset = _rooms()

    def clean_ip_address(self):
        return self.cleaned_data["ip_address"] or None


class LicenceForm(forms.Form):
    product = forms.CharField(max_length=200)
    renews_on = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    room = forms.ModelChoiceField(queryset=Resource.objects.none(), required=False)
    notes = forms.CharField(max_length=5000, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["room"].queryset = _rooms()
