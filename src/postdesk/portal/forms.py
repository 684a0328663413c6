"""The portal's page forms: forms validate, services write."""

from django import forms

from postdesk.core.roles import is_outside, scope_to_client
from postdesk.productions.models import Contact, Production
from postdesk.scheduling.models import Resource

from .models import CalendarFeed

Kind = CalendarFeed.Kind


class FeedForm(forms.Form):
    kind = forms.ChoiceField(label="Calendar of")
    resource = forms.ModelChoiceField(Resource.objects.none(), required=False)
    production = forms.ModelChoiceField(Production.objects.none(), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        outside = is_outside(user)
        kinds = [Kind.COMPANY, Kind.PRODUCTION] if outside else [Kind.RESOURCE, Kind.PRODUCTION]
        self.fields["kind"].choices = [(k.value, k.label) for k in kinds]
        if outside:
            del self.fields["resource"]
        else:
            self.fields["resource"].queryset = Resource.objects.filter(
                archived_at__isnull=True
            ).order_by("kind", "name")
        self.fields["production"].queryset = scope_to_client(
            user, Production.objects.order_by("title")
        )

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        if kind == Kind.RESOURCE and not data.get("resource"):
            self.add_error("resource", "Choose the room, equipment or person")
        if kind == Kind.PRODUCTION and not data.get("production"):
            self.add_error("production", "Choose the production")
        return data


class InvitationForm(forms.Form):
    contact = forms.ModelChoiceField(Contact.objects.none())

    def __init__(self, *args, booking, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contact"].queryset = Contact.objects.filter(
            client_id=booking.job.client_id
        ).exclude(email="")
