"""Forms of the media QC pages: start a check, edit a delivery spec. They validate the
shape of the input; the services decide (media root, file types, spec rules)."""

from django import forms

from postdesk.engineering.models import DeliverySpec
from postdesk.engineering.services.qc import MAX_PATH


class StartCheckForm(forms.Form):
    spec = forms.ModelChoiceField(queryset=DeliverySpec.objects.all(), label="Delivery spec")
    path = forms.CharField(
        max_length=MAX_PATH,
        required=False,
        label="File under the media root",
        help_text="A path relative to the media root, such as shows/ep101/master.mxf",
    )
    file = forms.FileField(required=False, label="Or upload a file")

    def clean(self):
        data = super().clean()
        if bool(data.get("path")) == bool(data.get("file")):
            raise forms.ValidationError("Give a path under the media root or upload a file")
        return data


class SpecForm(forms.Form):
    body = forms.JSONField(
        label="Spec (JSON)", widget=forms.Textarea(attrs={"rows": 30, "spellcheck": "false"})
    )
