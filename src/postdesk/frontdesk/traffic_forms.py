"""The traffic pages' forms: a delivery (its media typed one per line) and a dispatch.
Their fields are the services' keyword arguments; the services write."""

from django import forms
from django.contrib.auth import get_user_model

from postdesk.frontdesk.traffic import MAX_MEDIA
from postdesk.library.models import Location, MediaItem
from postdesk.productions.models import Job

MEDIA_HELP = (
    "One item per line: the barcode of an item the library sent out, or, for an item new "
    "to the library, barcode (or nothing) | title | kind | format | generation, e.g. "
    "“| Ep 3 rushes | drive | ssd | camera_original”."
)


def _staff():
    return (
        get_user_model()
        .objects.filter(is_active=True, client__isnull=True)
        .order_by("first_name", "last_name", "username")
    )


class _UserChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.display_name


class _JobChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.number} {obj.description}"


def _lines(text: str) -> list[str]:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if len(lines) > MAX_MEDIA:
        raise forms.ValidationError(f"At most {MAX_MEDIA} media items")
    return lines


def _choice(value: str, choices, what: str) -> str:
    value = value.strip().lower()
    if value not in choices.values:
        raise forms.ValidationError(f"Unknown {what} “{value}”: one of {', '.join(choices.values)}")
    return value


class DeliveryForm(forms.Form):
    courier = forms.CharField(max_length=100)
    tracking = forms.CharField(max_length=100, required=False)
    description = forms.CharField(max_length=300, label="What it is")
    sender = forms.CharField(max_length=200, required=False, label="From")
    recipient = _UserChoice(queryset=None, required=False, label="For (member of staff)")
    recipient_name = forms.CharField(max_length=200, required=False, label="Or for (name)")
    job = _JobChoice(queryset=None, required=False)
    location = forms.ModelChoiceField(
        queryset=Location.objects.filter(archived=False).order_by("path"),
        required=False,
        label="Put its media at",
    )
    media = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 3}), help_text=MEDIA_HELP
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["recipient"].queryset = _staff()
        self.fields["job"].queryset = Job.objects.order_by("-pk")

    def clean_media(self) -> list[dict]:
        rows = []
        for line in _lines(self.cleaned_data["media"]):
            parts = [p.strip() for p in line.split("|")]
            if len(parts) == 1:
                rows.append({"barcode": parts[0]})
                continue
            if len(parts) != 5:
                raise forms.ValidationError(
                    f"“{line}”: a new item is barcode | title | kind | format | generation"
                )
            rows.append(
                {
                    "barcode": parts[0],
                    "title": parts[1][:200],
                    "kind": _choice(parts[2], MediaItem.Kind, "kind"),
                    "format": _choice(parts[3], MediaItem.Format, "format"),
                    "generation": _choice(parts[4], MediaItem.Generation, "generation"),
                }
            )
        return rows


class DispatchForm(forms.Form):
    items = forms.CharField(max_length=500, label="What goes")
    destination = forms.CharField(max_length=300)
    courier = forms.CharField(max_length=100)
    booking_reference = forms.CharField(max_length=100, required=False)
    tracking = forms.CharField(max_length=100, required=False)
    signed_for_by = forms.CharField(max_length=200, label="Signed for by")
    job = _JobChoice(queryset=None, required=False)
    media = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Barcodes of the library items it carries, one per line",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["job"].queryset = Job.objects.order_by("-pk")

    def clean_media(self) -> list[str]:
        return _lines(self.cleaned_data["media"])
