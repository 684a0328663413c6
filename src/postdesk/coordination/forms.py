"""Coordination's forms: they validate; the services write."""

from django import forms
from django.utils import timezone

from postdesk.coordination import catalogue
from postdesk.coordination.models import DealMemo, Deliverable, Document, Milestone
from postdesk.core.models import User
from postdesk.core.timecode import RATE_NAMES
from postdesk.engineering.models import QcReport
from postdesk.library.models import MediaItem
from postdesk.productions.models import Job
from postdesk.scheduling.models import Resource

DATE = forms.DateInput(attrs={"type": "date"})


def _staff():
    return User.objects.filter(is_active=True, client__isnull=True).order_by("username")


class LocalDateTime(forms.DateTimeField):
    """A facility-time date and time from a datetime-local input, as an aware instant."""

    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")

    def to_python(self, value):
        value = super().to_python(value)
        if value is not None and timezone.is_naive(value):
            value = timezone.make_aware(value)
        return value


class FromTemplateForm(forms.Form):
    template = forms.ChoiceField(choices=())
    due = forms.DateField(required=False, widget=DATE, help_text="Every item's due date")
    owner = forms.ModelChoiceField(queryset=User.objects.none(), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["template"].choices = catalogue.choices()
        self.fields["owner"].queryset = _staff()


class DeliverableForm(forms.Form):
    name = forms.CharField(max_length=200)
    spec = forms.CharField(max_length=300, required=False)
    due = forms.DateField(required=False, widget=DATE)
    owner = forms.ModelChoiceField(queryset=User.objects.none(), required=False)
    notes = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=5000
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = _staff()


class DeliverForm(forms.Form):
    delivered_to = forms.CharField(max_length=200, help_text="Who or where it went")
    method = forms.ChoiceField(choices=Deliverable.Method.choices)
    courier = forms.CharField(max_length=100, required=False, help_text="For a courier delivery")
    reference = forms.CharField(
        max_length=200, help_text="Tracking number or file transfer reference"
    )
    delivered_at = LocalDateTime(required=False, help_text="Now, if left empty")


class AcceptForm(forms.Form):
    accepted_by = forms.CharField(max_length=200, help_text="Who accepted it at the recipient")


class RejectForm(forms.Form):
    reason = forms.CharField(max_length=500, widget=forms.Textarea(attrs={"rows": 3}))


class MediaForm(forms.Form):
    media_items = forms.ModelMultipleChoiceField(
        queryset=MediaItem.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, production, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["media_items"].queryset = MediaItem.objects.filter(
            production=production
        ).order_by("barcode")


class QcLinkForm(forms.Form):
    qc_report = forms.ModelChoiceField(
        queryset=QcReport.objects.none(),
        required=False,
        label="QC report",
        help_text="Leave empty to unlink",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The latest reports first; a list to pick from, not the whole history.
        latest = QcReport.objects.order_by("-created_at", "-pk").values_list("pk", flat=True)
        self.fields["qc_report"].queryset = QcReport.objects.filter(
            pk__in=list(latest[:200])
        ).order_by("-created_at", "-pk")


class CostForm(forms.Form):
    cost = forms.DecimalField(
        max_digits=12,
        decimal_places=2,
        min_value=0,
        required=False,
        help_text="In the client's billing currency; empty for no cost",
    )


class MilestoneForm(forms.Form):
    kind = forms.ChoiceField(choices=Milestone.Kind.choices)
    planned = forms.DateField(widget=DATE)
    revised = forms.DateField(required=False, widget=DATE)
    actual = forms.DateField(required=False, widget=DATE)
    notes = forms.CharField(max_length=300, required=False)


class DealMemoForm(forms.Form):
    job = forms.ModelChoiceField(queryset=Job.objects.none())
    person = forms.ModelChoiceField(queryset=Resource.objects.none(), label="Freelancer")
    role = forms.CharField(max_length=100)
    start = forms.DateField(widget=DATE)
    end = forms.DateField(widget=DATE)
    day_rate = forms.DecimalField(max_digits=10, decimal_places=2, min_value=0)
    currency = forms.ChoiceField(
        choices=DealMemo._meta.get_field("currency").choices, initial="GBP"
    )
    overtime_terms = forms.CharField(max_length=300, required=False)

    def __init__(self, *args, production, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["job"].queryset = Job.objects.filter(production=production).order_by("number")
        self.fields["person"].queryset = Resource.objects.filter(
            kind=Resource.Kind.PERSON,
            employment=Resource.Employment.FREELANCE,
            archived_at__isnull=True,
        ).order_by("name")


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(choices=Document.Kind.choices)
    title = forms.CharField(max_length=200)
    file = forms.FileField(help_text="PDF, Word, Excel, text, CSV or EDL; at most 20 MB")


class VersionForm(forms.Form):
    file = forms.FileField(help_text="The new version; the earlier ones stay downloadable")


class VersionRequestForm(forms.Form):
    reason = forms.CharField(max_length=300, help_text="What the new version must change")
    wanted_by = forms.DateField(required=False, widget=DATE)


class AdrSessionForm(forms.Form):
    job = forms.ModelChoiceField(
        queryset=Job.objects.none(), help_text="An ADR job of the production"
    )
    stage = forms.ModelChoiceField(queryset=Resource.objects.none())
    mixer = forms.ModelChoiceField(queryset=Resource.objects.none())
    start = LocalDateTime()
    end = LocalDateTime()
    talent = forms.CharField(max_length=200)
    character = forms.CharField(max_length=200, required=False)
    agent_contact = forms.CharField(max_length=300, required=False)
    agent_email = forms.EmailField(required=False, help_text="Where the call sheet is mailed")
    remote = forms.BooleanField(required=False, help_text="e.g. over Source-Connect")
    remote_studio = forms.CharField(max_length=200, required=False)
    rate = forms.ChoiceField(choices=[(r, r) for r in RATE_NAMES], initial="25")

    def __init__(self, *args, production, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["job"].queryset = Job.objects.filter(production=production, work_type="adr")
        live = Resource.objects.filter(archived_at__isnull=True, bookable=True).order_by("name")
        self.fields["stage"].queryset = live.filter(kind=Resource.Kind.ROOM)
        self.fields["mixer"].queryset = live.filter(kind=Resource.Kind.PERSON)


class CueImportForm(forms.Form):
    file = forms.FileField(help_text="CSV: cue, character, tc_in, tc_out, line")
    dry_run = forms.BooleanField(
        required=False, initial=True, help_text="Only report what is wrong"
    )


class RecordedForm(forms.Form):
    take_notes = forms.CharField(max_length=500, required=False)


class ScreeningForm(forms.Form):
    job = forms.ModelChoiceField(
        queryset=Job.objects.none(), help_text="A screening job of the production"
    )
    room = forms.ModelChoiceField(queryset=Resource.objects.none(), required=False)
    external_venue = forms.CharField(max_length=200, required=False, help_text="Instead of a room")
    venue_capacity = forms.IntegerField(required=False, min_value=1, max_value=10000)
    start = LocalDateTime()
    end = LocalDateTime()
    cut_version = forms.CharField(max_length=100)
    nda_required = forms.BooleanField(required=False)
    plus_ones_allowed = forms.IntegerField(min_value=0, max_value=10, initial=0)

    def __init__(self, *args, production, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["job"].queryset = Job.objects.filter(
            production=production, work_type="screening"
        )
        self.fields["room"].queryset = Resource.objects.filter(
            kind=Resource.Kind.ROOM, archived_at__isnull=True, bookable=True
        ).order_by("name")


class InviteForm(forms.Form):
    name = forms.CharField(max_length=200)
    email = forms.EmailField()


class RsvpForm(forms.Form):
    accept = forms.TypedChoiceField(
        choices=[("yes", "I will come"), ("no", "I cannot come")], coerce=lambda v: v == "yes"
    )
    plus_ones = forms.IntegerField(min_value=0, max_value=10, initial=0, required=False)

    def clean_plus_ones(self):
        return self.cleaned_data["plus_ones"] or 0
