"""The portal's page forms: forms validate, services write."""

from django import forms
from django.contrib.auth import get_user_model

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
        kinds = (
            [Kind.COMPANY, Kind.PRODUCTION]
            if outside
            else [Kind.PERSON, Kind.RESOURCE, Kind.PRODUCTION]
        )
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


class PersonLinkForm(forms.Form):
    """Which person on the board a facility user is (their own calendar feed)."""

    user = forms.ModelChoiceField(
        get_user_model().objects.filter(client__isnull=True, is_active=True).order_by("username")
    )
    resource = forms.ModelChoiceField(
        Resource.objects.filter(kind=Resource.Kind.PERSON, archived_at__isnull=True).order_by(
            "name"
        ),
        label="Person on the board",
    )


class InvitationForm(forms.Form):
    contact = forms.ModelChoiceField(Contact.objects.none())

    def __init__(self, *args, booking, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contact"].queryset = Contact.objects.filter(
            client_id=booking.job.client_id
        ).exclude(email="")


DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class BookingRequestForm(forms.Form):
    production = forms.ModelChoiceField(Production.objects.none())
    what = forms.CharField(max_length=200, label="What for", help_text="e.g. grade, ADR session")
    start = forms.DateTimeField(widget=DATETIME, label="From")
    end = forms.DateTimeField(widget=DATETIME, label="Until")
    notes = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=2000
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["production"].queryset = scope_to_client(
            user, Production.objects.order_by("title")
        )


class QuoteAnswerForm(forms.Form):
    name = forms.CharField(max_length=150, label="Your name", help_text="Signs your answer")
    accept = forms.TypedChoiceField(
        choices=[("yes", "Accept this quote"), ("no", "Decline this quote")],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
        label="Answer",
    )


class PlaceRequestForm(forms.Form):
    booking = forms.IntegerField(min_value=1, max_value=2**62, label="Pencil's booking number")


class DeclineRequestForm(forms.Form):
    answer = forms.CharField(max_length=300, label="Why")
