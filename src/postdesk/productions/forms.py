"""Page forms for clients, productions and jobs. They validate; services write."""

from django import forms

from postdesk.core.models import User
from postdesk.core.roles import scope_to_client
from postdesk.productions.models import Client, Contact, Job, Production


class ClientForm(forms.ModelForm):
    class Meta:
        model = Client
        fields = [
            "name",
            "billing_address",
            "country",
            "vat_number",
            "currency",
            "payment_terms_days",
            "credit_status",
            "colour",
            "notes",
        ]
        widgets = {
            "billing_address": forms.Textarea(attrs={"rows": 3}),
            "notes": forms.Textarea(attrs={"rows": 3}),
            "colour": forms.TextInput(attrs={"type": "color"}),
        }
        labels = {"vat_number": "VAT number", "payment_terms_days": "Payment terms (days)"}


class ContactForm(forms.ModelForm):
    class Meta:
        model = Contact
        fields = ["name", "position", "email", "phone"]


class ProductionForm(forms.ModelForm):
    class Meta:
        model = Production
        fields = ["title", "kind", "client", "supervisor", "status", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["client"].queryset = scope_to_client(user, Client.objects.all(), "pk")
        self.fields["supervisor"].queryset = (
            User.objects.filter(groups__name__in=["supervisor", "admin"], is_active=True)
            .distinct()
            .order_by("first_name", "username")
        )
        if self.instance.pk:
            # A production stays with its client: its jobs and invoices hang off that client.
            del self.fields["client"]


class JobForm(forms.ModelForm):
    class Meta:
        model = Job
        fields = ["production", "description", "work_type", "contact", "owner", "status"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["production"].queryset = scope_to_client(
            user, Production.objects.select_related("client"), "client"
        )
        self.fields["contact"].queryset = scope_to_client(
            user, Contact.objects.select_related("client"), "client"
        )
        self.fields["owner"].queryset = User.objects.filter(
            client__isnull=True, is_active=True
        ).order_by("first_name", "username")
        # Left out of a post, a job is "other" work, as through the API.
        self.fields["work_type"].required = False
        if self.instance.pk:
            del self.fields["production"]

    def clean_work_type(self):
        return self.cleaned_data.get("work_type") or self.instance.work_type
