"""The catering order form: its fields are place_order's keyword arguments."""

import datetime

from django import forms
from django.utils import timezone

from postdesk.frontdesk.catering import MAX_COST, MAX_COVERS
from postdesk.frontdesk.models import CateringOrder
from postdesk.productions.models import Contact, Job
from postdesk.scheduling.models import Booking

# The sessions offered: a week either side of today.
SESSION_WINDOW = datetime.timedelta(days=7)


class _JobChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.number} {obj.description}"


class _SessionChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        start = timezone.localtime(obj.start)
        return f"{start:%a %d %b %H:%M} · {obj.job.number} {obj.job.description}"


class CateringForm(forms.Form):
    booking = _SessionChoice(queryset=None, required=False, label="Session")
    job = _JobChoice(queryset=None, required=False, help_text="Or the job, without a session")
    contact = forms.ModelChoiceField(queryset=None, required=False, label="For (client contact)")
    kind = forms.ChoiceField(choices=CateringOrder.Kind.choices)
    items = forms.CharField(max_length=500, label="What")
    dietary = forms.CharField(max_length=300, required=False, label="Dietary needs")
    covers = forms.IntegerField(min_value=1, max_value=MAX_COVERS, initial=1)
    supplier = forms.CharField(max_length=200)
    cost = forms.DecimalField(min_value=0, max_value=MAX_COST, max_digits=10, decimal_places=2)
    service = forms.CharField(
        max_length=120, initial="Catering", help_text="The rate card's service it is billed as"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        now = timezone.now()
        self.fields["booking"].queryset = (
            Booking.objects.filter(
                kind=Booking.Kind.JOB,
                start__lt=now + SESSION_WINDOW,
                end__gt=now - SESSION_WINDOW,
            )
            .select_related("job__client")
            .order_by("start", "pk")
        )
        self.fields["job"].queryset = Job.objects.select_related("client").order_by("-pk")
        self.fields["contact"].queryset = Contact.objects.order_by("name")
