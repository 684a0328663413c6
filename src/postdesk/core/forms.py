"""The facility settings page's form. It validates what a form can; the service
(core/facility.py) checks the rest and writes."""

from django import forms

from postdesk.core.models import FacilitySettings


class FacilitySettingsForm(forms.ModelForm):
    # A plain file input: the stored name is ours and means nothing to show or link to.
    logo = forms.ImageField(
        required=False,
        widget=forms.FileInput(attrs={"accept": "image/png,image/jpeg,image/gif,image/webp"}),
        help_text="PNG, JPEG, GIF or WebP, at most 512 KB; printed at the top of documents",
    )
    remove_logo = forms.BooleanField(required=False, label="Remove the logo")

    class Meta:
        model = FacilitySettings
        fields = [
            "name",
            "address",
            "country",
            "vat_number",
            "company_number",
            "email",
            "phone",
            "bank_details",
            "payment_terms_days",
            "document_footer",
            "locale",
            "logo",
            "board_day_start",
            "board_day_end",
        ]
        widgets = {
            "address": forms.Textarea(attrs={"rows": 4}),
            "bank_details": forms.Textarea(attrs={"rows": 3}),
            "document_footer": forms.Textarea(attrs={"rows": 2}),
            "board_day_start": forms.TimeInput(attrs={"type": "time"}),
            "board_day_end": forms.TimeInput(attrs={"type": "time"}),
        }
        labels = {
            "name": "Business name",
            "company_number": "Company registration number",
            "payment_terms_days": "Payment terms (days)",
            "board_day_start": "Board day starts",
            "board_day_end": "Board day ends",
        }

    def changes(self) -> dict:
        """The service's arguments: the logo only when one was uploaded or removed."""
        data = {k: v for k, v in self.cleaned_data.items() if k not in ("logo", "remove_logo")}
        upload = self.files.get("logo")
        if upload is not None:
            data["logo"] = self.cleaned_data["logo"]
        elif self.cleaned_data.get("remove_logo"):
            data["logo"] = ""
        return data
