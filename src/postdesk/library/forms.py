"""Page forms for the library. They validate input; the library's services write."""

from django import forms

from postdesk.core.models import User
from postdesk.core.roles import scope_to_client
from postdesk.library.models import (
    BARCODE_MAX,
    DestructionRequest,
    Location,
    MediaItem,
    ResearchRequest,
)
from postdesk.library.services.stocktake import MAX_CODES as MAX_STOCKTAKE_CODES
from postdesk.productions.models import Client, Job, Production

DATE = forms.DateInput(attrs={"type": "date"})


def _locations():
    return Location.objects.filter(archived=False).order_by("path")


class LocationChoice(forms.ModelChoiceField):
    """Locations in tree order, indented by depth, so a shelf reads under its rack."""

    def label_from_instance(self, obj):
        depth = obj.path.count("/") - 2
        return f"{'— ' * depth}{obj.name} ({obj.barcode})"


class MediaItemForm(forms.ModelForm):
    """Registering an item: its identity, technical fields, ties and where it is put."""

    barcode = forms.CharField(
        max_length=BARCODE_MAX,
        required=False,
        help_text="Leave empty to have one generated (LIB-000123), or type the label's own.",
    )
    location = LocationChoice(queryset=Location.objects.none(), help_text="Where it is put now")
    parents = forms.ModelMultipleChoiceField(
        queryset=MediaItem.objects.none(),
        required=False,
        widget=forms.MultipleHiddenInput,
    )
    parent_barcodes = forms.CharField(
        required=False,
        max_length=2000,
        label="Made from",
        help_text="Barcodes of the items this was made from, separated by spaces or commas",
    )

    class Meta:
        model = MediaItem
        fields = [
            "barcode",
            "title",
            "kind",
            "format",
            "generation",
            "client",
            "production",
            "job",
            "owner",
            "standard",
            "resolution",
            "frame_rate",
            "drop_frame",
            "aspect_ratio",
            "audio_layout",
            "start_timecode",
            "duration",
            "reel",
            "condition",
            "file_path",
            "file_size",
            "checksum",
            "retention_until",
            "on_hold",
            "notes",
        ]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3}), "retention_until": DATE}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["location"].queryset = _locations()
        self.fields["client"].queryset = scope_to_client(user, Client.objects.all(), "pk")
        self.fields["production"].queryset = scope_to_client(
            user, Production.objects.select_related("client"), "client"
        )
        self.fields["job"].queryset = scope_to_client(user, Job.objects.all(), "client")
        self.fields["parents"].queryset = MediaItem.objects.all()
        if self.instance.pk:
            # Identity, kind, custody and lineage are set once; custody moves by its actions.
            for name in ("barcode", "kind", "format", "location", "parents", "parent_barcodes"):
                del self.fields[name]
            for name in ("client", "production", "job", "owner"):
                del self.fields[name]

    def clean_barcode(self):
        return self.cleaned_data.get("barcode", "").strip()

    def _get_validation_exclusions(self):
        # An empty barcode means "generate one" (the service does): not a blank field.
        return {*super()._get_validation_exclusions(), "barcode"}

    def clean(self):
        cleaned = super().clean()
        raw = cleaned.pop("parent_barcodes", "") or ""
        codes = {c for c in raw.replace(",", " ").split() if c}
        if codes:
            found = list(MediaItem.objects.filter(barcode__in=codes))
            missing = codes - {i.barcode for i in found}
            if missing:
                self.add_error("parent_barcodes", f"Not known: {', '.join(sorted(missing))}")
            cleaned["parents"] = found
        else:
            cleaned["parents"] = list(cleaned.get("parents") or [])
        if self.instance.pk:
            cleaned.pop("parents", None)
        return cleaned


class MoveForm(forms.Form):
    location = LocationChoice(queryset=Location.objects.none())
    note = forms.CharField(max_length=500, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["location"].queryset = _locations()


class CheckOutForm(forms.Form):
    holder = forms.ModelChoiceField(
        queryset=User.objects.none(),
        required=False,
        help_text="One of the facility's people, or name someone outside below",
    )
    holder_name = forms.CharField(max_length=200, required=False, label="Or an outside person")
    due_back = forms.DateField(widget=DATE)
    signer_name = forms.CharField(max_length=200, required=False, label="Signed for by")
    note = forms.CharField(max_length=500, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["holder"].queryset = User.objects.filter(
            is_active=True, client__isnull=True
        ).order_by("first_name", "username")
        self.fields["holder"].label_from_instance = lambda u: u.display_name

    def clean(self):
        cleaned = super().clean()
        if bool(cleaned.get("holder")) == bool(cleaned.get("holder_name")):
            raise forms.ValidationError("Choose a person, or name someone outside: one of the two")
        return cleaned


class CheckInForm(MoveForm):
    signer_name = forms.CharField(max_length=200, required=False, label="Handed back by")


class ReceiveForm(MoveForm):
    signer_name = forms.CharField(max_length=200, required=False, label="Delivered by")


class DispatchForm(forms.Form):
    courier = forms.CharField(max_length=100)
    tracking = forms.CharField(max_length=100, required=False, label="Tracking number")
    destination = forms.CharField(max_length=300)
    signer_name = forms.CharField(max_length=200, required=False, label="Collected by")
    note = forms.CharField(max_length=500, required=False)


class LocationForm(forms.ModelForm):
    barcode = forms.CharField(
        max_length=BARCODE_MAX, required=False, help_text="Leave empty to have one generated"
    )
    parent = LocationChoice(queryset=Location.objects.none(), required=False)

    class Meta:
        model = Location
        fields = ["name", "kind", "parent", "barcode", "site", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = _locations()

    def clean_barcode(self):
        return self.cleaned_data.get("barcode", "").strip()


class LocationEditForm(forms.Form):
    """Rename, re-note or move a location (its barcode is printed, its kind fixed)."""

    name = forms.CharField(max_length=100)
    parent = LocationChoice(
        queryset=Location.objects.none(),
        required=False,
        help_text="Moving it takes everything inside it along",
    )
    notes = forms.CharField(max_length=5000, required=False, widget=forms.Textarea({"rows": 2}))

    def __init__(self, *args, location: Location, **kwargs):
        kwargs.setdefault(
            "initial",
            {"name": location.name, "parent": location.parent_id, "notes": location.notes},
        )
        super().__init__(*args, **kwargs)
        # Not under itself or anything below it (the service refuses those too).
        self.fields["parent"].queryset = _locations().exclude(path__startswith=location.path)


class BadgeForm(forms.Form):
    """A person's badge code, which the scan station takes as "check out to them"."""

    user = forms.ModelChoiceField(
        queryset=User.objects.none(), label="Person", help_text="Staff who sign items out"
    )
    code = forms.CharField(max_length=BARCODE_MAX, help_text="As printed on the badge")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = User.objects.filter(
            is_active=True, client__isnull=True
        ).order_by("first_name", "last_name", "username")
        self.fields["user"].label_from_instance = lambda u: f"{u.display_name} ({u.username})"


class StockTakeForm(forms.Form):
    location = LocationChoice(
        queryset=Location.objects.none(), help_text="Counts this location and all below it"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["location"].queryset = _locations()


class StockTakeScanForm(forms.Form):
    codes = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 8, "autofocus": True}),
        help_text="One code a line: scan a shelf's label, then everything on that shelf",
        max_length=40_000,
    )

    def clean_codes(self):
        codes = [c.strip() for c in self.cleaned_data["codes"].splitlines() if c.strip()]
        if not codes:
            raise forms.ValidationError("Scan at least one barcode")
        if len(codes) > MAX_STOCKTAKE_CODES:
            raise forms.ValidationError(f"At most {MAX_STOCKTAKE_CODES} codes at a time")
        if any(len(c) > BARCODE_MAX for c in codes):
            raise forms.ValidationError(f"A barcode is at most {BARCODE_MAX} characters")
        return codes


class DestructionForm(forms.Form):
    items = forms.ModelMultipleChoiceField(
        queryset=MediaItem.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    method = forms.ChoiceField(choices=DestructionRequest.Method.choices)
    reason = forms.CharField(max_length=500)

    def __init__(self, *args, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["items"].queryset = items
        self.fields["items"].label_from_instance = lambda i: f"{i.barcode} {i.title}"


class ApproveDestructionForm(forms.Form):
    client_signoff_name = forms.CharField(max_length=200, label="Client's sign-off by")
    client_signoff_date = forms.DateField(widget=DATE, label="Signed off on")


class RejectDestructionForm(forms.Form):
    reason = forms.CharField(max_length=500)


class DestructionDoneForm(forms.Form):
    witness = forms.CharField(max_length=200)


class ResearchForm(forms.ModelForm):
    class Meta:
        model = ResearchRequest
        fields = ["requested_by", "production", "wanted", "wanted_by", "notes"]
        widgets = {
            "wanted": forms.Textarea(attrs={"rows": 4}),
            "notes": forms.Textarea(attrs={"rows": 2}),
            "wanted_by": DATE,
        }
        labels = {"requested_by": "Who asked", "wanted_by": "Wanted by"}


class ResearchStatusForm(forms.Form):
    status = forms.ChoiceField(choices=ResearchRequest.Status.choices)
    note = forms.CharField(max_length=500, required=False, label="Why")


class ResearchItemsForm(forms.Form):
    barcodes = forms.CharField(
        max_length=5000, help_text="Barcodes of the items found, separated by spaces or commas"
    )

    def clean_barcodes(self):
        codes = {c for c in self.cleaned_data["barcodes"].replace(",", " ").split() if c}
        found = list(MediaItem.objects.filter(barcode__in=codes))
        missing = codes - {i.barcode for i in found}
        if missing:
            raise forms.ValidationError(f"Not known: {', '.join(sorted(missing))}")
        return found
