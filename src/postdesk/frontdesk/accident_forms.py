"""The accident book's entry form; the service writes."""

from django import forms

from postdesk.frontdesk.models import AccidentEntry


class AccidentForm(forms.Form):
    person = forms.CharField(max_length=200, label="Who")
    person_kind = forms.ChoiceField(choices=AccidentEntry.Person.choices, label="Who is")
    happened_at = forms.DateTimeField(
        label="When", widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    place = forms.CharField(max_length=200, label="Where")
    what_happened = forms.CharField(max_length=5000, widget=forms.Textarea(attrs={"rows": 4}))
    injury = forms.CharField(max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
    first_aid = forms.CharField(
        max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    first_aider = forms.CharField(max_length=200, required=False)
    riddor_reportable = forms.BooleanField(required=False, label="RIDDOR-reportable")
