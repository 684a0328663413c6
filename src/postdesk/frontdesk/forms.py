"""The runner board's post form (the page's fallback when scripts are off, and its own)."""

from django import forms

from postdesk.frontdesk.models import RunnerTask
from postdesk.library.models import Location


class TaskForm(forms.Form):
    title = forms.CharField(max_length=200, label="What")
    place = forms.CharField(max_length=100, label="Where")
    priority = forms.ChoiceField(choices=RunnerTask.Priority.choices, initial="normal")
    due_at = forms.DateTimeField(
        required=False,
        label="Due by",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    details = forms.CharField(
        max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    media = forms.CharField(
        max_length=40, required=False, label="Media to move", help_text="Barcode, e.g. LIB-000123"
    )
    move_to = forms.ModelChoiceField(
        queryset=Location.objects.filter(archived=False).order_by("path"),
        required=False,
        label="Move it to",
    )
